using System.Diagnostics;

namespace ActorHttp.Kernel;

/// <summary>
/// The production scheduler: a hashed timing wheel (Varghese and Lauck; Akka.NET's default
/// scheduler is one too). A scheduled item is one small object in the list of the bucket its due
/// tick hashes to; a clock turns the wheel one bucket per tick and fires what is due there.
/// </summary>
/// <remarks>
/// <para>Why not one <see cref="Timer"/> per item, as this scheduler once was: a runtime timer is
/// three objects (about 150 B) besides the item, and every idle keep-alive connection keeps one
/// armed for its idle timeout; memory per idle connection is what a server pays for holding many.
/// The price is accuracy: an item fires on the first tick at or after its due time (up to one
/// <c>scheduler.tick</c> late, plus the runtime timer's own delay).</para>
/// <para>The clock is one periodic <see cref="Timer"/>, running only while something is scheduled,
/// so an idle system never wakes. A tick that comes late (a busy pool) turns the wheel through
/// every bucket it missed. Scheduling, cancelling and turning take one lock; a cancelled item is
/// unlinked at once (a walk along its bucket's short list: buckets are not doubly linked, which
/// would cost a field per item), since most timers are cancelled long before they are due (a
/// connection's header timeout at its first request). Pending items are cancelled when the system
/// shuts down.</para>
/// </remarks>
internal sealed class DefaultScheduler : IScheduler, IDisposable
{
    /// <summary>Buckets (a power of two): with a 10 ms tick one turn of the wheel is about 5 s.</summary>
    internal const int WheelSize = 512;

    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly long _tickTicks;       // tick duration in TimeSpan ticks
    private readonly TimeSpan _tick;
    private readonly Func<TimeSpan>? _manualClock;
    private readonly Item?[] _buckets = new Item?[WheelSize];
    private readonly Lock _lock = new();
    private readonly Timer? _timer;
    private long _turned;                   // last tick whose bucket was processed (guarded by _lock)
    private int _linked;                    // items in the buckets, cancelled ones included (guarded by _lock)
    private bool _running;                  // the clock timer is on (guarded by _lock)
    private bool _disposed;                 // guarded by _lock

    public DefaultScheduler(TimeSpan tick) : this(tick, manualClock: null)
    {
    }

    /// <summary>With a <paramref name="manualClock"/> nothing turns the wheel but <see cref="Turn"/> (tests).</summary>
    internal DefaultScheduler(TimeSpan tick, Func<TimeSpan>? manualClock)
    {
        if (tick <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(tick), tick, "The tick must be positive.");
        _tick = tick;
        _tickTicks = tick.Ticks;
        _manualClock = manualClock;
        if (manualClock is not null) return;
        // The clock must not capture the creator's ExecutionContext (AsyncLocals of whoever started the system).
        var restore = !ExecutionContext.IsFlowSuppressed();
        if (restore) ExecutionContext.SuppressFlow();
        try
        {
            _timer = new Timer(static s => ((DefaultScheduler)s!).Turn(), this, Timeout.Infinite, Timeout.Infinite);
        }
        finally
        {
            if (restore) ExecutionContext.RestoreFlow();
        }
    }

    public DateTimeOffset Now => DateTimeOffset.UtcNow;

    public TimeSpan MonotonicClock => _manualClock?.Invoke() ?? Stopwatch.GetElapsedTime(_start);

    /// <summary>Items in the wheel, cancelled ones not yet unlinked included (tests).</summary>
    internal int LinkedCount
    {
        get
        {
            lock (_lock) return _linked;
        }
    }

    public ICancelable ScheduleTellOnce(TimeSpan delay, IActorRef receiver, object message, IActorRef? sender) =>
        Schedule(NewItem(receiver, message, sender, 0), delay);

    public ICancelable ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, IActorRef receiver, object message, IActorRef? sender)
    {
        if (interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(interval), interval, "The interval must be positive.");
        return Schedule(NewItem(receiver, message, sender, TicksFor(interval)), initialDelay);
    }

    public ICancelable ScheduleOnce(TimeSpan delay, Action<object?> action, object? state) =>
        Schedule(NewItem(action, state, null, 0), delay);

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            for (var i = 0; i < _buckets.Length; i++)
            {
                for (var item = _buckets[i]; item is not null; item = item.Next) item.MarkCancelled();
                _buckets[i] = null;
            }
            _linked = 0;
            _running = false;
        }
        _timer?.Dispose();
    }

    private Item NewItem(object target, object? payload, IActorRef? sender, long intervalTicks) =>
        sender is null && intervalTicks == 0 ? new Item(this, target, payload) : new FullItem(this, target, payload, sender, intervalTicks);

    // Whole ticks covering the span, at least one: a due time is never early.
    private long TicksFor(TimeSpan span) => Math.Max(1, (Math.Max(span.Ticks, 0) + _tickTicks - 1) / _tickTicks);

    private Item Schedule(Item item, TimeSpan delay)
    {
        // Due on the first tick at or after now + delay, counted from the clock, not from the
        // wheel's position (which may lag while a turn is late); never on a tick already turned.
        var due = MonotonicClock.Ticks + Math.Min(Math.Max(delay.Ticks, 0), TimeSpan.MaxValue.Ticks / 4);
        var dueTick = (due + _tickTicks - 1) / _tickTicks;
        lock (_lock)
        {
            if (_disposed)
            {
                item.MarkCancelled();
                return item;
            }
            Link(item, Math.Max(dueTick, _turned + 1));
            StartClock();
        }
        return item;
    }

    // Under _lock.
    private void Link(Item item, long dueTick)
    {
        item.DueTick = dueTick;
        ref var head = ref _buckets[dueTick & (WheelSize - 1)];
        item.Next = head;
        head = item;
        _linked++;
    }

    private void Unlink(Item cancelled)
    {
        lock (_lock)
        {
            ref var link = ref _buckets[cancelled.DueTick & (WheelSize - 1)];
            while (link is { } item)
            {
                if (ReferenceEquals(item, cancelled))
                {
                    link = item.Next;
                    item.Next = null;
                    _linked--;
                    return;
                }
                link = ref item.Next;
            }
        }
    }

    // Under _lock.
    private void StartClock()
    {
        if (_running || _timer is null) return;
        _running = true;
        _timer.Change(_tick, _tick);
    }

    /// <summary>Fires everything due by now; the clock calls it every tick (tests call it by hand).</summary>
    internal void Turn()
    {
        List<Item>? due = null;
        lock (_lock)
        {
            if (_disposed) return;
            var now = MonotonicClock.Ticks / _tickTicks;
            // After a long stall, one pass over the wheel visits every bucket.
            var from = Math.Max(_turned + 1, now - WheelSize + 1);
            for (var tick = from; tick <= now; tick++) CollectDue(tick, now, ref due);
            if (now > _turned) _turned = now;
            if (_linked == 0 && _running)
            {
                _running = false;
                _timer!.Change(Timeout.Infinite, Timeout.Infinite);
            }
        }
        if (due is null) return;
        foreach (var item in due) item.Fire();
    }

    // Under _lock: unlinks the bucket's cancelled items and its items due by now; periodic ones are linked again for their next time.
    private void CollectDue(long tick, long now, ref List<Item>? due)
    {
        ref var link = ref _buckets[tick & (WheelSize - 1)];
        List<Item>? again = null;
        var first = due?.Count ?? 0;
        while (link is { } item)
        {
            if (!item.IsPending || item.DueTick <= now)
            {
                link = item.Next;
                item.Next = null;
                _linked--;
                if (!item.IsPending) continue;
                (due ??= []).Add(item);
                if (item.IntervalTicks > 0) (again ??= []).Add(item);
                continue;
            }
            link = ref item.Next;
        }
        // A bucket lists its newest item first; items due together fire in the order they were scheduled.
        if (due is not null) due.Reverse(first, due.Count - first);
        if (again is null) return;
        foreach (var item in again) Link(item, Math.Max(item.DueTick + item.IntervalTicks, now + 1));
    }

    // One scheduled send or action. Target is the receiver or the action; Payload the message or its state.
    private class Item(DefaultScheduler owner, object target, object? payload) : ICancelable
    {
        private const int Pending = 0;
        private const int Done = 1;
        private const int Cancelled = 2;

        private object? _target = target;
        private object? _payload = payload;
        private int _state;

        public virtual long IntervalTicks => 0;

        protected virtual IActorRef? Sender => null;
        public long DueTick;    // guarded by the scheduler's lock
        public Item? Next;      // guarded by the scheduler's lock

        public bool IsPending => Volatile.Read(ref _state) == Pending;

        public bool IsCancellationRequested => Volatile.Read(ref _state) == Cancelled;

        public void Cancel()
        {
            if (MarkCancelled()) owner.Unlink(this);
        }

        // A once item that has fired stays Done: cancelling it is a no-op, as it was with Timer.
        public bool MarkCancelled()
        {
            if (Interlocked.CompareExchange(ref _state, Cancelled, Pending) != Pending) return false;
            _target = null;
            _payload = null;
            return true;
        }

        public void Fire()
        {
            object? target, payload;
            IActorRef? sender;
            if (IntervalTicks == 0)
            {
                if (Interlocked.CompareExchange(ref _state, Done, Pending) != Pending) return;
                (target, payload, sender) = (_target, _payload, Sender);
                _target = _payload = null;
            }
            else
            {
                // A Cancel racing this send either cleared a field already read here (nothing is
                // sent) or comes after the reads (the send was already under way, as with Timer).
                (target, payload, sender) = (_target, _payload, Sender);
                if (target is null || payload is null || !IsPending) return;
            }
            if (target is Action<object?> action) action(payload);
            else ((IActorRef)target!).Tell(payload!, sender);
        }
    }

    // A send with a sender, or a repeated one: rare, so these fields are not in every item (a
    // timer's or a timeout's item is 64 B without them).
    private sealed class FullItem(DefaultScheduler owner, object target, object? payload, IActorRef? sender, long intervalTicks)
        : Item(owner, target, payload)
    {
        public override long IntervalTicks { get; } = intervalTicks;

        protected override IActorRef? Sender { get; } = sender;
    }
}
