namespace ActorHttp.Kernel;

/// <summary>
/// The cell is its actor's <see cref="ITimerScheduler"/> (given to <see cref="IWithTimers"/>
/// actors), so that timers cost no object of their own: every idle connection has two actors with
/// timers. A started timer is a <see cref="TimerTick"/> in a list and is also the message the
/// system scheduler sends; a tick is delivered only while it is still in the list (the current
/// timer of its key, of this incarnation), which is how a cancelled, replaced or
/// previous-incarnation timer's queued message is dropped. Owned by the actor's turn.
/// </summary>
internal sealed partial class ActorCell : ITimerScheduler
{
    // An actor has a handful of timer keys at most, so a linked list searched linearly: a
    // dictionary or even an array would weigh more than the ticks themselves. Order is irrelevant.
    private TimerTick? _timers;

    void ITimerScheduler.StartSingleTimer(object key, object msg, TimeSpan timeout) => StartTimer(key, msg, timeout, null);

    void ITimerScheduler.StartPeriodicTimer(object key, object msg, TimeSpan interval) => StartTimer(key, msg, interval, interval);

    void ITimerScheduler.StartPeriodicTimer(object key, object msg, TimeSpan initialDelay, TimeSpan interval) => StartTimer(key, msg, initialDelay, interval);

    bool ITimerScheduler.IsTimerActive(object key) => FindTimer(key) is not null;

    void ITimerScheduler.Cancel(object key) => CancelTimer(key);

    void ITimerScheduler.CancelAll() => CancelAllTimers();

    private void CancelTimer(object key)
    {
        if (FindTimer(key) is not { } tick) return;
        tick.Task.Cancel();
        RemoveTimer(tick);
    }

    private void CancelAllTimers()
    {
        for (var tick = _timers; tick is not null; tick = tick.Next) tick.Task.Cancel();
        _timers = null;
    }

    // Accepts a tick if it is still the current timer of its key.
    private bool TryTakeTimer(TimerTick tick, out object message)
    {
        message = null!;
        if (!ReferenceEquals(FindTimer(tick.Key), tick)) return false;
        if (!tick.Repeat) RemoveTimer(tick);
        message = tick.Message;
        return true;
    }

    private void StartTimer(object key, object msg, TimeSpan initialDelay, TimeSpan? interval)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(msg);
        CancelTimer(key);
        var tick = new TimerTick(key, msg, repeat: interval is not null);
        var scheduler = _system.Scheduler;
        tick.Task = interval is { } every
            ? scheduler.ScheduleTellRepeatedly(initialDelay, every, Self, tick, ActorRefs.NoSender)
            : scheduler.ScheduleTellOnce(initialDelay, Self, tick, ActorRefs.NoSender);
        tick.Next = _timers;
        _timers = tick;
    }

    private TimerTick? FindTimer(object key)
    {
        for (var tick = _timers; tick is not null; tick = tick.Next)
            if (Equals(tick.Key, key)) return tick;
        return null;
    }

    private void RemoveTimer(TimerTick tick)
    {
        if (ReferenceEquals(_timers, tick))
        {
            _timers = tick.Next;
            return;
        }
        for (var previous = _timers; previous is not null; previous = previous.Next)
        {
            if (!ReferenceEquals(previous.Next, tick)) continue;
            previous.Next = tick.Next;
            return;
        }
    }
}
