using System.Diagnostics;
using ActorHttp.Cli.Get;
using ActorHttp.Client;

namespace ActorHttp.Cli.Bench;

/// <summary>
/// One load loop of <c>actorhttp bench</c>: sends its request, reads and discards the body, records
/// the latency, and sends again, until the run's plan says stop. Owns everything it records
/// (histogram, status and error counts, pool counters), so the loops share nothing but the plan's
/// request budget; the runner adds them up after every loop has finished.
/// </summary>
/// <remarks>
/// Per request it allocates only what the transport does: the request object, its content and
/// the read buffer are made once. What is recorded follows the peer load generators of the shared
/// benchmark: the latency of 2xx responses; a non-2xx status or a failure counts as an error.
/// Requests started during the warm-up are not recorded at all.
/// </remarks>
internal sealed class BenchWorker
{
    private static readonly double NanosecondsPerTick = 1e9 / Stopwatch.Frequency;

    private readonly IRoundTripper _transport;
    private readonly ClientRequest _request;
    private readonly byte[] _buffer;
    private long _completed;

    public BenchWorker(IRoundTripper transport, ClientRequest request, int readBufferSize)
    {
        _transport = transport;
        Pool = new PoolCounters();
        _request = request with { Trace = Pool };
        _buffer = new byte[readBufferSize];
    }

    /// <summary>Latency of recorded 2xx responses, in nanoseconds.</summary>
    public LatencyHistogram Latency { get; } = new();

    /// <summary>Recorded responses by status code (index = code, 100-999).</summary>
    public long[] Statuses { get; } = new long[1000];

    /// <summary>Recorded failures by <see cref="ClientErrorKind"/>; the last slot counts other exceptions (<see cref="ErrorName.Io"/>).</summary>
    public long[] Errors { get; } = new long[Enum.GetValues<ClientErrorKind>().Length + 1];

    /// <summary>This loop's connection counters.</summary>
    public PoolCounters Pool { get; }

    /// <summary>Recorded requests finished so far (read by the progress display while running).</summary>
    public long Completed => Volatile.Read(ref _completed);

    /// <summary>When the loop's last request ended (<see cref="Stopwatch"/> timestamp).</summary>
    public long FinishedAt { get; private set; }

    public async Task RunAsync(BenchPlan plan, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            long start = Stopwatch.GetTimestamp();
            bool record = start >= plan.RecordFrom;
            if (record && !plan.TryTake(start)) break;
            int status = 0;
            try
            {
                var response = await _transport.RoundTripAsync(_request, plan.Abort).ConfigureAwait(false);
                try
                {
                    var body = response.Body;
                    while (await body.ReadAsync(_buffer, plan.Abort).ConfigureAwait(false) > 0) { }
                    status = response.StatusCode;
                }
                finally
                {
                    await response.DisposeAsync().ConfigureAwait(false);
                }
            }
            catch (Exception e) when (record)
            {
                var kind = ErrorName.ClientFailure(e)?.Kind ?? (e is OperationCanceledException ? ClientErrorKind.Canceled : (ClientErrorKind?)null);
                Errors[kind is { } k ? (int)k : Errors.Length - 1]++;
            }
            catch (Exception) when (!record)
            {
                // A warm-up failure is not recorded; the measured phase will show the same failures.
            }
            long end = Stopwatch.GetTimestamp();
            FinishedAt = end;
            if (!record) continue;
            if (status != 0)
            {
                Statuses[status]++;
                if (status is >= 200 and < 300)
                    Latency.Record((long)((end - start) * NanosecondsPerTick));
            }
            Interlocked.Increment(ref _completed);
        }
    }
}
