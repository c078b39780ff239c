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
/// <para>Two drivers: on the actor transport a <see cref="BenchWorkerActor"/> runs the loop with messages (<see cref="Begin"/>,
/// <see cref="End"/>); on any other round tripper (<c>--transport httpclient</c>, tests' fakes) <see cref="RunAsync"/> awaits it,
/// which is how such a client is used.</para>
/// <para>Per request it allocates only what the transport does: the request object, its content and
/// the read buffer are made once. What is recorded follows the peer load generators of the shared
/// benchmark: the latency of 2xx responses; a non-2xx status or a failure counts as an error.
/// Requests started during the warm-up are not recorded at all.</para>
/// </remarks>
internal sealed class BenchWorker
{
    private static readonly double NanosecondsPerTick = 1e9 / Stopwatch.Frequency;

    private readonly IRoundTripper _transport;
    private readonly ClientRequest _request;
    private readonly byte[] _buffer;
    private long _completed;

    // The request in progress (one at a time): when it started and whether it counts.
    private long _start;
    private bool _record;

    public BenchWorker(IRoundTripper transport, ClientRequest request, int readBufferSize)
    {
        _transport = transport;
        Pool = new PoolCounters();
        _request = request with { Trace = Pool };
        _buffer = new byte[readBufferSize];
    }

    /// <summary>The request this loop sends, with its trace sink.</summary>
    public ClientRequest Request => _request;

    /// <summary>The buffer bodies are read into and thrown away.</summary>
    public byte[] Buffer => _buffer;

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

    /// <summary>The loop, awaited (any round tripper).</summary>
    public async Task RunAsync(BenchPlan plan, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested && Begin(plan))
        {
            int status = 0;
            Exception? error = null;
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
            catch (Exception e)
            {
                error = e;
            }
            End(status, error);
        }
    }

    /// <summary>Starts the next request's clock; false when the plan says stop.</summary>
    public bool Begin(BenchPlan plan)
    {
        _start = Stopwatch.GetTimestamp();
        _record = _start >= plan.RecordFrom;
        return !_record || plan.TryTake(_start);
    }

    /// <summary>Records the request begun last: its response's <paramref name="status"/> (read to the end), or its failure.</summary>
    public void End(int status, Exception? error)
    {
        long end = Stopwatch.GetTimestamp();
        FinishedAt = end;
        // A warm-up request is not recorded, failed or not; the measured phase will show the same failures.
        if (!_record) return;
        if (error is not null)
        {
            var kind = ErrorName.ClientFailure(error)?.Kind ?? (error is OperationCanceledException ? ClientErrorKind.Canceled : (ClientErrorKind?)null);
            Errors[kind is { } k ? (int)k : Errors.Length - 1]++;
        }
        else if (status != 0)
        {
            Statuses[status]++;
            if (status is >= 200 and < 300)
                Latency.Record((long)((end - _start) * NanosecondsPerTick));
        }
        Interlocked.Increment(ref _completed);
    }
}
