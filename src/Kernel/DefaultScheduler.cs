using System.Collections.Concurrent;
using System.Diagnostics;

namespace ActorHttp.Kernel;

/// <summary>
/// The production scheduler, built on <see cref="Timer"/>. Why not a hashed wheel: the runtime's
/// timer queue already keeps all timers in per-core lists behind one native timer (no thread per
/// timer), fires each at its due time without a tick's rounding, and makes cancellation O(1); a
/// wheel would add a thread that wakes every tick even when idle. Pending timers are tracked so
/// that shutting the system down cancels them all.
/// </summary>
internal sealed class DefaultScheduler : IScheduler, IDisposable
{
    // Timer's limit is 0xfffffffe ms (~49.7 days); longer delays are clamped (documented in kernel.conf terms: "effectively never").
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(0xfffffffe);

    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly ConcurrentDictionary<Item, byte> _pending = new();
    private volatile bool _disposed;

    public DateTimeOffset Now => DateTimeOffset.UtcNow;

    public TimeSpan MonotonicClock => Stopwatch.GetElapsedTime(_start);

    public ICancelable ScheduleTellOnce(TimeSpan delay, IActorRef receiver, object message, IActorRef? sender) =>
        Start(new Item(this, receiver, message, sender, null, null, repeat: false), delay, Timeout.InfiniteTimeSpan);

    public ICancelable ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, IActorRef receiver, object message, IActorRef? sender)
    {
        if (interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(interval), interval, "The interval must be positive.");
        return Start(new Item(this, receiver, message, sender, null, null, repeat: true), initialDelay, Clamp(interval));
    }

    public ICancelable ScheduleOnce(TimeSpan delay, Action<object?> action, object? state) =>
        Start(new Item(this, null, null, null, action, state, repeat: false), delay, Timeout.InfiniteTimeSpan);

    public void Dispose()
    {
        _disposed = true;
        foreach (var item in _pending.Keys) item.Cancel();
    }

    private static TimeSpan Clamp(TimeSpan t) => t < TimeSpan.Zero ? TimeSpan.Zero : t > MaxDelay ? MaxDelay : t;

    private Item Start(Item item, TimeSpan delay, TimeSpan period)
    {
        if (_disposed)
        {
            item.Cancel();
            return item;
        }
        _pending.TryAdd(item, 0);
        // Timers must not capture the caller's ExecutionContext (AsyncLocals of whoever scheduled).
        var restore = !ExecutionContext.IsFlowSuppressed();
        if (restore) ExecutionContext.SuppressFlow();
        try
        {
            item.Timer = new Timer(static s => ((Item)s!).Fire(), item, Clamp(delay), period);
        }
        finally
        {
            if (restore) ExecutionContext.RestoreFlow();
        }
        if (item.IsCancellationRequested) item.Timer.Dispose();
        return item;
    }

    private sealed class Item(DefaultScheduler owner, IActorRef? receiver, object? message, IActorRef? sender, Action<object?>? action, object? state, bool repeat)
        : ICancelable
    {
        private int _cancelled;

        public Timer? Timer { get; set; }

        public bool IsCancellationRequested => Volatile.Read(ref _cancelled) != 0;

        public void Cancel()
        {
            if (Interlocked.Exchange(ref _cancelled, 1) != 0) return;
            Timer?.Dispose();
            owner._pending.TryRemove(this, out _);
        }

        public void Fire()
        {
            if (IsCancellationRequested || owner._disposed) return;
            if (!repeat)
            {
                Interlocked.Exchange(ref _cancelled, 1);
                Timer?.Dispose();
                owner._pending.TryRemove(this, out _);
            }
            if (action is not null) action(state);
            else receiver!.Tell(message!, sender);
        }
    }
}
