using System.Globalization;
using ActorHttp.Cli.Get;
using ActorHttp.Client;

namespace ActorHttp.Cli.Bench;

/// <summary>
/// What a bench run measured, the loops' records added up: latency of the 2xx responses, status
/// and error counts, pool counters, and the measured time (from the end of the warm-up to the end
/// of the last recorded request).
/// </summary>
internal sealed class BenchResult
{
    public BenchResult(IReadOnlyList<BenchWorker> workers, TimeSpan elapsed)
    {
        Elapsed = elapsed;
        foreach (var w in workers)
        {
            Latency.Add(w.Latency);
            for (int i = 0; i < Statuses.Length; i++) Statuses[i] += w.Statuses[i];
            for (int i = 0; i < Errors.Length; i++) Errors[i] += w.Errors[i];
            Dialed += w.Pool.Dialed;
            DialFailed += w.Pool.DialFailed;
            Reused += w.Pool.Reused;
            Fresh += w.Pool.Fresh;
        }
    }

    public TimeSpan Elapsed { get; }
    public LatencyHistogram Latency { get; } = new();
    public long[] Statuses { get; } = new long[1000];
    public long[] Errors { get; } = new long[Enum.GetValues<ClientErrorKind>().Length + 1];
    public long Dialed { get; }
    public long DialFailed { get; }
    public long Reused { get; }
    public long Fresh { get; }

    /// <summary>2xx responses: the requests the latency figures are about.</summary>
    public long Succeeded => Latency.Count;

    /// <summary>Failures and non-2xx responses, as wrk and the shared benchmark's load generators count errors.</summary>
    public long ErrorCount => Errors.Sum() + Statuses.Select((n, code) => code is >= 200 and < 300 ? 0 : n).Sum();

    /// <summary>Every recorded request: 2xx, other statuses and failures.</summary>
    public long Requests => Succeeded + ErrorCount;

    /// <summary>2xx responses per second of measured time.</summary>
    public double RequestsPerSecond => Elapsed > TimeSpan.Zero ? Succeeded / Elapsed.TotalSeconds : 0;

    /// <summary>The name of error slot <paramref name="index"/>.</summary>
    public static string ErrorSlotName(int index) =>
        index < Enum.GetValues<ClientErrorKind>().Length ? ErrorName.Of((ClientErrorKind)index) : ErrorName.Io;

    /// <summary>
    /// The benchmark driver's line: <c>RESULT rps=&lt;float&gt; p50_ms=&lt;float&gt; p99_ms=&lt;float&gt; errors=&lt;int&gt; requests=&lt;int&gt;</c>,
    /// invariant culture, rps to 0.1 and milliseconds to 0.001 as the peer load generators print them.
    /// </summary>
    public string ResultLine() => string.Create(CultureInfo.InvariantCulture,
        $"RESULT rps={RequestsPerSecond:F1} p50_ms={Ms(Latency.ValueAtPercentile(50)):F3} p99_ms={Ms(Latency.ValueAtPercentile(99)):F3} errors={ErrorCount} requests={Requests}");

    internal static double Ms(long nanoseconds) => nanoseconds / 1e6;
}
