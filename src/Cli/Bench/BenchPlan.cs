using System.Diagnostics;

namespace ActorHttp.Cli.Bench;

/// <summary>
/// When the load loops record and when they stop, shared by all of them: recording starts at
/// <see cref="RecordFrom"/> (the end of the warm-up); it ends at a deadline, or once a budget of
/// requests has been handed out — one interlocked decrement per recorded request, the only shared
/// write of the run.
/// </summary>
internal sealed class BenchPlan
{
    private readonly long _recordUntil;
    private long _budget;

    private BenchPlan(long recordFrom, long recordUntil, long budget, CancellationToken abort)
    {
        RecordFrom = recordFrom;
        _recordUntil = recordUntil;
        _budget = budget;
        Abort = abort;
    }

    /// <summary>The end of the warm-up (<see cref="Stopwatch"/> timestamp).</summary>
    public long RecordFrom { get; }

    /// <summary>Cancels requests still in flight once the drain timeout after the end has passed.</summary>
    public CancellationToken Abort { get; }

    /// <summary>Records for <paramref name="duration"/> after <paramref name="warmup"/>.</summary>
    public static BenchPlan ForDuration(long start, TimeSpan warmup, TimeSpan duration, CancellationToken abort)
    {
        long from = start + Ticks(warmup);
        return new BenchPlan(from, from + Ticks(duration), long.MaxValue, abort);
    }

    /// <summary>Records <paramref name="requests"/> requests after <paramref name="warmup"/>.</summary>
    public static BenchPlan ForRequests(long start, TimeSpan warmup, long requests, CancellationToken abort) =>
        new(start + Ticks(warmup), long.MaxValue, requests, abort);

    /// <summary>True when a loop may start a recorded request at <paramref name="now"/>.</summary>
    public bool TryTake(long now) =>
        now < _recordUntil && (_budget == long.MaxValue || Interlocked.Decrement(ref _budget) >= 0);

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
