using ActorHttp.Kernel;

namespace ActorHttp.TestKit;

/// <summary>
/// A scheduler whose clock only moves when the test says so (<see cref="Advance"/>, <see cref="AdvanceTo"/>):
/// timers, receive timeouts and ask timeouts fire deterministically, in due order, on the test's thread.
/// Work scheduled with a zero or negative delay runs at once.
/// </summary>
public sealed class TestScheduler : IScheduler
{
    private static readonly DateTimeOffset Epoch = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly object _lock = new();
    private readonly List<Item> _items = new();
    private TimeSpan _now;
    private long _sequence;

    /// <inheritdoc />
    public DateTimeOffset Now
    {
        get
        {
            lock (_lock) return Epoch + _now;
        }
    }

    /// <inheritdoc />
    public TimeSpan MonotonicClock
    {
        get
        {
            lock (_lock) return _now;
        }
    }

    /// <summary>How many scheduled items have neither fired nor been cancelled.</summary>
    public int PendingCount
    {
        get
        {
            lock (_lock) return _items.Count(i => !i.IsCancellationRequested);
        }
    }

    /// <inheritdoc />
    public ICancelable ScheduleTellOnce(TimeSpan delay, IActorRef receiver, object message, IActorRef? sender) =>
        Add(delay, null, () => receiver.Tell(message, sender));

    /// <inheritdoc />
    public ICancelable ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, IActorRef receiver, object message, IActorRef? sender)
    {
        if (interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(interval), interval, "The interval must be positive.");
        return Add(initialDelay, interval, () => receiver.Tell(message, sender));
    }

    /// <inheritdoc />
    public ICancelable ScheduleOnce(TimeSpan delay, Action<object?> action, object? state) =>
        Add(delay, null, () => action(state));

    /// <summary>Moves the clock forward by <paramref name="by"/>, firing everything that falls due, in order.</summary>
    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(by), by, "Time only moves forward.");
        TimeSpan target;
        lock (_lock) target = _now + by;
        AdvanceTo(target);
    }

    /// <summary>Moves the clock to <paramref name="time"/> (since the scheduler started), firing everything that falls due, in order.</summary>
    public void AdvanceTo(TimeSpan time)
    {
        while (true)
        {
            Item? next = null;
            lock (_lock)
            {
                _items.RemoveAll(i => i.IsCancellationRequested);
                foreach (var item in _items)
                    if (item.Due <= time && (next is null || item.Due < next.Due || (item.Due == next.Due && item.Sequence < next.Sequence)))
                        next = item;
                if (next is null)
                {
                    if (time > _now) _now = time;
                    return;
                }
                if (next.Due > _now) _now = next.Due;
                if (next.Interval is { } interval)
                {
                    next.Due += interval;
                    next.Sequence = ++_sequence;
                }
                else _items.Remove(next);
            }
            if (!next.IsCancellationRequested) next.Action();
        }
    }

    private Item Add(TimeSpan delay, TimeSpan? interval, Action action)
    {
        Item item;
        lock (_lock)
        {
            item = new Item(action, _now + (delay < TimeSpan.Zero ? TimeSpan.Zero : delay), interval, ++_sequence);
            if (delay > TimeSpan.Zero || interval is not null) _items.Add(item);
        }
        if (delay <= TimeSpan.Zero)
        {
            action();
            if (interval is { } every)
                lock (_lock) item.Due = _now + every;
        }
        return item;
    }

    private sealed class Item(Action action, TimeSpan due, TimeSpan? interval, long sequence) : ICancelable
    {
        private int _cancelled;

        public Action Action { get; } = action;

        public TimeSpan Due { get; set; } = due;

        public TimeSpan? Interval { get; } = interval;

        public long Sequence { get; set; } = sequence;

        public bool IsCancellationRequested => Volatile.Read(ref _cancelled) != 0;

        public void Cancel() => Interlocked.Exchange(ref _cancelled, 1);
    }
}
