namespace ActorHttp.Kernel;

/// <summary>
/// One incarnation's <see cref="ITimerScheduler"/>. Each start gets a new generation; the tick
/// carries (owner, key, generation) and is delivered only if that is still the current timer,
/// which is how a cancelled, replaced or previous-incarnation timer's queued message is dropped.
/// </summary>
internal sealed class TimerScheduler : ITimerScheduler
{
    private readonly ActorCell _cell;
    private readonly Dictionary<object, Entry> _timers = new();
    private long _generation;

    public TimerScheduler(ActorCell cell) => _cell = cell;

    public void StartSingleTimer(object key, object msg, TimeSpan timeout) => Start(key, msg, timeout, null);

    public void StartPeriodicTimer(object key, object msg, TimeSpan interval) => Start(key, msg, interval, interval);

    public void StartPeriodicTimer(object key, object msg, TimeSpan initialDelay, TimeSpan interval) => Start(key, msg, initialDelay, interval);

    public bool IsTimerActive(object key) => _timers.ContainsKey(key);

    public void Cancel(object key)
    {
        if (_timers.Remove(key, out var entry)) entry.Task.Cancel();
    }

    public void CancelAll()
    {
        foreach (var entry in _timers.Values) entry.Task.Cancel();
        _timers.Clear();
    }

    /// <summary>Accepts a tick if it belongs to the current timer of its key.</summary>
    public bool TryTake(TimerTick tick, out object message)
    {
        message = null!;
        if (!_timers.TryGetValue(tick.Key, out var entry) || entry.Generation != tick.Generation) return false;
        if (!entry.Repeat) _timers.Remove(tick.Key);
        message = tick.Message;
        return true;
    }

    private void Start(object key, object msg, TimeSpan initialDelay, TimeSpan? interval)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(msg);
        Cancel(key);
        var tick = new TimerTick(this, key, ++_generation, msg);
        var scheduler = _cell.System.Scheduler;
        var task = interval is { } every
            ? scheduler.ScheduleTellRepeatedly(initialDelay, every, _cell.Self, tick, ActorRefs.NoSender)
            : scheduler.ScheduleTellOnce(initialDelay, _cell.Self, tick, ActorRefs.NoSender);
        _timers[key] = new Entry(tick.Generation, interval is not null, task);
    }

    private sealed record Entry(long Generation, bool Repeat, ICancelable Task);
}
