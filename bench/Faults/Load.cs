using System.Diagnostics;

namespace ActorHttp.Faults;

/// <summary>Where the load is: warming up (not counted), measuring its baseline, or running beside the fault.</summary>
public enum LoadPhase
{
    /// <summary>Connections dialed, code jitted; requests are counted nowhere.</summary>
    Warmup,
    /// <summary>The load alone: <c>baseline_p99_ms</c>.</summary>
    Baseline,
    /// <summary>The load beside the fault: the line's counters.</summary>
    Fault,
}

/// <summary>
/// The background load: <c>workers</c> loops that each send at <c>rate / workers</c> requests per second (a worker
/// that falls behind sends at once), every request tracked into the tally of the <see cref="Phase"/> current when it
/// started. Fixed rate rather than flat out, so that its p99 measures how the server serves, not how long a queue is.
/// </summary>
public sealed class Load
{
    private readonly Func<long, LoadPhase, Task<Answer>> _exchange;
    private readonly double _rate;
    private readonly int _workers;
    private readonly TimeSpan _hungAfter;
    private readonly Tally _warmup = new();
    private long _sequence;
    private volatile LoadPhase _phase;
    private readonly System.Collections.Concurrent.ConcurrentBag<(long SentAt, double Ms, double GcPauseMs, int Gen0, int Gen1, int Gen2, long Allocated)> _timeline = [];

    /// <summary>A load that sends <paramref name="exchange"/> (given the request's number and phase) at <paramref name="rate"/> per second.</summary>
    public Load(Func<long, LoadPhase, Task<Answer>> exchange, double rate, int workers, TimeSpan hungAfter)
    {
        _exchange = exchange;
        _rate = rate;
        _workers = workers;
        _hungAfter = hungAfter;
    }

    /// <summary>The requests of the baseline phase.</summary>
    public Tally Baseline { get; } = new();

    /// <summary>The requests of the fault phase.</summary>
    public Tally Fault { get; } = new();

    /// <summary>The phase requests started from now on belong to.</summary>
    public LoadPhase Phase
    {
        get => _phase;
        set => _phase = value;
    }

    /// <summary>Told of every request's end with its number and phase (faults that judge requests one by one); null for none.</summary>
    public Action<long, LoadPhase, Outcome>? OnOutcome { get; init; }

    /// <summary>With FAULTS_TRACE: the fault window's latencies by when they were sent, in <paramref name="bucket"/> slices (count, p50, max).</summary>
    public void TraceTimeline(string fault, TimeSpan bucket)
    {
        if (!Trace.Enabled || _timeline.IsEmpty) return;
        var start = _timeline.Min(t => t.SentAt);
        // The slow ones: above twice the baseline's p99, the faults' criterion.
        var slow = 2 * Baseline.Latencies.P99;
        foreach (var g in _timeline.GroupBy(t => (int)(Stopwatch.GetElapsedTime(start, t.SentAt) / bucket)).OrderBy(g => g.Key))
        {
            var ms = g.Select(t => t.Ms).Order().ToArray();
            Trace.Write(FormattableString.Invariant($"{fault}: load t={g.Key * bucket.TotalSeconds:F2}s n={ms.Length} slow={ms.Count(m => m > slow)} p50={ms[ms.Length / 2]:F1}ms max={ms[^1]:F1}ms gc_pause_total={g.Max(t => t.GcPauseMs):F0}ms gen0={g.Max(t => t.Gen0)} gen1={g.Max(t => t.Gen1)} gen2={g.Max(t => t.Gen2)} allocated={g.Max(t => t.Allocated) / 1048576.0:F1}MiB"));
        }
    }

    /// <summary>Runs until <paramref name="stop"/> is cancelled; completes when every worker's last request ended (or hung).</summary>
    public Task RunAsync(CancellationToken stop)
    {
        var tasks = new Task[_workers];
        var interval = TimeSpan.FromSeconds(_workers / _rate);
        for (var i = 0; i < _workers; i++)
        {
            // Workers start spread over one interval, not all at once.
            var offset = interval * i / _workers;
            tasks[i] = Task.Run(() => Worker(offset, interval, stop));
        }
        return Task.WhenAll(tasks);
    }

    private async Task Worker(TimeSpan offset, TimeSpan interval, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        var due = offset;
        while (!stop.IsCancellationRequested)
        {
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            var n = Interlocked.Increment(ref _sequence);
            var phase = _phase;
            var tally = phase switch { LoadPhase.Baseline => Baseline, LoadPhase.Fault => Fault, _ => _warmup };
            var sentAt = Stopwatch.GetTimestamp();
            var outcome = await Exchanges.TrackAsync(tally, () => _exchange(n, phase), _hungAfter).ConfigureAwait(false);
            if (Trace.Enabled && phase == LoadPhase.Fault) _timeline.Add((sentAt, outcome.LatencyMs, GC.GetTotalPauseDuration().TotalMilliseconds, GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalAllocatedBytes()));
            OnOutcome?.Invoke(n, phase, outcome);
            due += interval;
            // A worker more than a second behind (the server stalled) does not burst to catch up.
            if (clock.Elapsed - due > TimeSpan.FromSeconds(1)) due = clock.Elapsed;
        }
    }
}
