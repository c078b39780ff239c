namespace ActorHttp.Kernel;

/// <summary>
/// One incarnation's <see cref="ITimerScheduler"/>. A started timer is a <see cref="TimerTick"/>
/// in a list and is also the message the system scheduler sends; a tick is delivered only while it
/// is still in the list (the current timer of its key, of this incarnation), which is how a
/// cancelled, replaced or previous-incarnation timer's queued message is dropped.
/// </summary>
internal sealed class TimerScheduler : ITimerScheduler
{
    private readonly ActorCell _cell;

    // An actor has a handful of timer keys at most, so a linked list searched linearly: a
    // dictionary or even an array would weigh more than the ticks themselves, and every idle
    // connection actor has a scheduler. Order is irrelevant.
    private TimerTick? _head;

    public TimerScheduler(ActorCell cell) => _cell = cell;

    public void StartSingleTimer(object key, object msg, TimeSpan timeout) => Start(key, msg, timeout, null);

    public void StartPeriodicTimer(object key, object msg, TimeSpan interval) => Start(key, msg, interval, interval);

    public void StartPeriodicTimer(object key, object msg, TimeSpan initialDelay, TimeSpan interval) => Start(key, msg, initialDelay, interval);

    public bool IsTimerActive(object key) => Find(key) is not null;

    public void Cancel(object key)
    {
        if (Find(key) is not { } tick) return;
        tick.Task.Cancel();
        Remove(tick);
    }

    public void CancelAll()
    {
        for (var tick = _head; tick is not null; tick = tick.Next) tick.Task.Cancel();
        _head = null;
    }

    /// <summary>Accepts a tick if it is still the current timer of its key.</summary>
    public bool TryTake(TimerTick tick, out object message)
    {
        message = null!;
        if (!ReferenceEquals(Find(tick.Key), tick)) return false;
        if (!tick.Repeat) Remove(tick);
        message = tick.Message;
        return true;
    }

    private void Start(object key, object msg, TimeSpan initialDelay, TimeSpan? interval)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(msg);
        Cancel(key);
        var tick = new TimerTick(key, msg, repeat: interval is not null);
        var scheduler = _cell.System.Scheduler;
        tick.Task = interval is { } every
            ? scheduler.ScheduleTellRepeatedly(initialDelay, every, _cell.Self, tick, ActorRefs.NoSender)
            : scheduler.ScheduleTellOnce(initialDelay, _cell.Self, tick, ActorRefs.NoSender);
        tick.Next = _head;
        _head = tick;
    }

    private TimerTick? Find(object key)
    {
        for (var tick = _head; tick is not null; tick = tick.Next)
            if (Equals(tick.Key, key)) return tick;
        return null;
    }

    private void Remove(TimerTick tick)
    {
        if (ReferenceEquals(_head, tick))
        {
            _head = tick.Next;
            return;
        }
        for (var previous = _head; previous is not null; previous = previous.Next)
        {
            if (!ReferenceEquals(previous.Next, tick)) continue;
            previous.Next = tick.Next;
            return;
        }
    }
}
