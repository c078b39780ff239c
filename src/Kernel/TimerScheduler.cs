namespace ActorHttp.Kernel;

/// <summary>
/// One incarnation's <see cref="ITimerScheduler"/>. Each start gets a new generation; the tick
/// carries (owner, key, generation) and is delivered only if that is still the current timer,
/// which is how a cancelled, replaced or previous-incarnation timer's queued message is dropped.
/// </summary>
internal sealed class TimerScheduler : ITimerScheduler
{
    private readonly ActorCell _cell;

    // An actor has a handful of timer keys at most, so a short array searched linearly: an empty
    // dictionary alone weighs more than this array with its first two timers. Order is irrelevant.
    private Entry[] _entries = [];
    private int _count;
    private long _generation;

    public TimerScheduler(ActorCell cell) => _cell = cell;

    public void StartSingleTimer(object key, object msg, TimeSpan timeout) => Start(key, msg, timeout, null);

    public void StartPeriodicTimer(object key, object msg, TimeSpan interval) => Start(key, msg, interval, interval);

    public void StartPeriodicTimer(object key, object msg, TimeSpan initialDelay, TimeSpan interval) => Start(key, msg, initialDelay, interval);

    public bool IsTimerActive(object key) => IndexOf(key) >= 0;

    public void Cancel(object key)
    {
        var i = IndexOf(key);
        if (i < 0) return;
        _entries[i].Task.Cancel();
        RemoveAt(i);
    }

    public void CancelAll()
    {
        for (var i = 0; i < _count; i++) _entries[i].Task.Cancel();
        Array.Clear(_entries, 0, _count);
        _count = 0;
    }

    /// <summary>Accepts a tick if it belongs to the current timer of its key.</summary>
    public bool TryTake(TimerTick tick, out object message)
    {
        message = null!;
        var i = IndexOf(tick.Key);
        if (i < 0 || _entries[i].Generation != tick.Generation) return false;
        if (!_entries[i].Repeat) RemoveAt(i);
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
        if (_count == _entries.Length) Array.Resize(ref _entries, Math.Max(2, _count * 2));
        _entries[_count++] = new Entry(key, tick.Generation, interval is not null, task);
    }

    private int IndexOf(object key)
    {
        for (var i = 0; i < _count; i++)
            if (Equals(_entries[i].Key, key)) return i;
        return -1;
    }

    private void RemoveAt(int i)
    {
        _count--;
        _entries[i] = _entries[_count];
        _entries[_count] = default;
    }

    private readonly record struct Entry(object Key, long Generation, bool Repeat, ICancelable Task);
}
