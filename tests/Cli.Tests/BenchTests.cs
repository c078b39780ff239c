using System.Globalization;
using System.Net;
using ActorHttp.Cli.Bench;
using ActorHttp.Client;
using ActorHttp.Client.Transport;
using ActorHttp.Protocol;
using ActorHttp.Server;
using Akka.Actor;

namespace ActorHttp.Cli.Tests;

public class BenchTests
{
    private const string ResultPattern = @"^RESULT rps=\d+\.\d p50_ms=\d+\.\d{3} p99_ms=\d+\.\d{3} errors=\d+ requests=\d+$";

    /// <summary>Answers at once: 200 with a small body, or what <c>script</c> says for the n-th request.</summary>
    private sealed class InstantRoundTripper(Func<int, int> script) : IRoundTripper
    {
        private int _n;
        public int Calls => _n;

        public Task<ClientResponse> RoundTripAsync(ClientRequest request, CancellationToken ct)
        {
            int n = Interlocked.Increment(ref _n);
            int status = script(n);
            if (status == 0) throw new HttpClientException(ClientErrorKind.ConnectionReset, "reset", request, true);
            request.Trace?.OnEvent(new GotConn(n > 1, n > 1, TimeSpan.Zero));
            return Task.FromResult(new ClientResponse(request, status, "", HttpProtocolVersion.Http11, HeaderCollection.Empty,
                new MemoryStream(new byte[100])));
        }
    }

    private static async Task<CommandRunner.Outcome> Bench(IRoundTripper transport, params string[] args) =>
        await CommandRunner.BenchAsync((_, _) => transport, ["http://h/x", .. args]);

    [Fact]
    public async Task The_result_line_has_the_drivers_exact_shape()
    {
        var outcome = await Bench(new InstantRoundTripper(_ => 200), "-c", "4", "-n", "400", "--warmup", "0s", "--result-line");
        Assert.Equal(0, outcome.ExitCode);
        var line = outcome.Out.TrimEnd('\n', '\r');
        Assert.Matches(ResultPattern, line);
        Assert.EndsWith("errors=0 requests=400", line);
        Assert.Equal("", outcome.Error);
    }

    [Fact]
    public async Task Errors_count_failures_and_non_2xx_and_are_left_out_of_latency()
    {
        // Of 100 requests: every 10th fails, every 10th + 5 is a 503.
        var transport = new InstantRoundTripper(n => n % 10 == 0 ? 0 : n % 10 == 5 ? 503 : 200);
        var outcome = await Bench(transport, "-c", "1", "-n", "100", "--warmup", "0s");
        Assert.Equal(100, transport.Calls);
        Assert.Contains("Requests:     100 (80 2xx, 20 errors)", outcome.Out);
        Assert.Contains("[200] 80 responses", outcome.Out);
        Assert.Contains("[503] 10 responses", outcome.Out);
        Assert.Contains("connection_reset: 10", outcome.Out);
        Assert.Contains("p99.9", outcome.Out);
        Assert.Contains("Histogram", outcome.Out);
    }

    [Fact]
    public async Task Nothing_but_failures_exits_non_zero()
    {
        var outcome = await Bench(new InstantRoundTripper(_ => 0), "-c", "2", "-n", "10", "--warmup", "0s", "--result-line");
        Assert.Equal(1, outcome.ExitCode);
        Assert.Matches(ResultPattern, outcome.Out.TrimEnd());
        Assert.EndsWith("errors=10 requests=10", outcome.Out.TrimEnd());
    }

    [Fact]
    public async Task A_duration_run_stops_on_time()
    {
        var transport = new InstantRoundTripper(_ => 200);
        var outcome = await Bench(transport, "-c", "2", "-z", "200ms", "--warmup", "50ms", "--result-line");
        var fields = outcome.Out.Trim().Split(' ').Skip(1).ToDictionary(f => f.Split('=')[0], f => f.Split('=')[1]);
        long requests = long.Parse(fields["requests"], CultureInfo.InvariantCulture);
        double rps = double.Parse(fields["rps"], CultureInfo.InvariantCulture);
        Assert.InRange(requests, 1, transport.Calls);
        // rps is requests over the measured time: at least the 0.2 s from the end of the warm-up, to the end of the last
        // request. The upper bound is loose on purpose: on a busy machine a loop preempted inside its last request ends it
        // hundreds of milliseconds late (0.49 s was seen with three test projects running on two loaded cores).
        Assert.InRange(requests / rps, 0.19, 2.0);
    }

    /// <summary>Hands out one response whose body rewinds when disposed: the fake itself allocates nothing per call.</summary>
    private sealed class ReusedResponseRoundTripper : IRoundTripper
    {
        private readonly Task<ClientResponse> _response;

        public ReusedResponseRoundTripper() => _response = Task.FromResult(new ClientResponse(ClientRequest.Get("http://h/"), 200, "OK",
            HttpProtocolVersion.Http11, HeaderCollection.Empty, new RewindingStream(new byte[1000])));

        public Task<ClientResponse> RoundTripAsync(ClientRequest request, CancellationToken ct) => _response;

        private sealed class RewindingStream(byte[] bytes) : MemoryStream(bytes)
        {
            protected override void Dispose(bool disposing) => Position = 0;
            public override ValueTask DisposeAsync()
            {
                Position = 0;
                return ValueTask.CompletedTask;
            }
        }
    }

    [Fact]
    public void The_load_loop_allocates_nothing_per_request()
    {
        // Completed tasks make the loop run synchronously on this thread, so its allocations are this thread's.
        var transport = new ReusedResponseRoundTripper();
        long Run(long requests)
        {
            var worker = new BenchWorker(transport, ClientRequest.Get("http://h/"), 16);
            var plan = BenchPlan.ForRequests(System.Diagnostics.Stopwatch.GetTimestamp(), TimeSpan.Zero, requests, CancellationToken.None);
            long before = GC.GetAllocatedBytesForCurrentThread();
            var run = worker.RunAsync(plan, CancellationToken.None);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(run.IsCompletedSuccessfully);
            Assert.Equal(requests, worker.Completed);
            return allocated;
        }
        Run(1000);   // JIT and first-call costs
        long small = Run(1000), large = Run(21_000);
        Assert.True(large - small < 1000, $"{large - small} bytes for 20,000 more requests");
    }

    // An ActorHttp server and a client transport in one actor system, for the actor load loops.
    private static async Task<(ActorSystem System, HttpServer Server, ActorTransport Transport)> StartActorsAsync()
    {
        var system = ActorSystem.Create("bench-tests");
        var mux = new ServeMux()
            .HandleFunc("GET /hello", (w, _) => w.WriteAsync("hello\n").AsTask())
            .HandleFunc("GET /big", (w, _) => w.WriteAsync(new byte[200_000]).AsTask())
            // Answers only when the client goes away: every request to it is in flight when the run's abort comes.
            .HandleFunc("GET /stuck", async (_, r) => await Task.Delay(Timeout.Infinite, r.Aborted).ContinueWith(_ => { }));
        var server = await HttpServer.StartAsync(system, mux, new IPEndPoint(IPAddress.Loopback, 0));
        return (system, server, ActorTransport.Create(system, ClientSettings.Load()));
    }

    private static Task<BenchResult> RunActorsAsync(ActorSystem system, ActorTransport transport, string url, BenchSettings settings,
        long? requests, TimeSpan? duration) =>
        BenchRunner.RunAsync(new BenchArguments(new Uri(url), 4, 4, requests, duration, TimeSpan.Zero, "GET", null, ResultLine: true),
            transport, system, "bench-test", settings, new CliConsole(new StringWriter(), new StringWriter(), null, false), CancellationToken.None);

    private static readonly BenchSettings Settings = BenchSettings.FromConfig(CliConfig.Load(null));

    [Theory]
    [InlineData("/hello")]
    [InlineData("/big")]   // bodies streamed through a pipe: reads that wait tell the loop's actor
    public async Task On_the_actor_transport_the_loops_are_actors_that_run_the_budget_over_reused_connections(string path)
    {
        var (system, server, transport) = await StartActorsAsync();
        try
        {
            var url = $"http://{server.LocalEndPoint}{path}";
            var result = await RunActorsAsync(system, transport, url, Settings, 400, null).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(400, result.Succeeded);
            Assert.Equal(0, result.ErrorCount);
            Assert.Equal(400, result.Reused + result.Fresh);
            Assert.InRange(result.Fresh, 1, 4);
            // Plain HTTP: the loops ran on the event loop of the target's pool (where loops exist).
            if (ActorHttp.Dispatch.EventLoopDispatchers.IsSupported)
                Assert.StartsWith(ActorHttp.Dispatch.EventLoopDispatchers.DispatcherIdPrefix, transport.PoolDispatcher(ClientRequest.Get(url)));
        }
        finally
        {
            await transport.DisposeAsync();
            await server.CloseAsync();
            await system.Terminate();
        }
    }

    [Fact]
    public async Task Requests_still_in_flight_when_the_drain_timeout_passes_are_cancelled_and_counted()
    {
        var (system, server, transport) = await StartActorsAsync();
        try
        {
            var settings = Settings with { DrainTimeout = TimeSpan.FromMilliseconds(200) };
            var result = await RunActorsAsync(system, transport, $"http://{server.LocalEndPoint}/stuck", settings, null, TimeSpan.FromMilliseconds(100))
                .WaitAsync(TimeSpan.FromSeconds(30));
            // Each of the four loops had its one request in flight: cancelled at the pool, recorded as such.
            Assert.Equal(4, result.Errors[(int)ClientErrorKind.Canceled]);
            Assert.Equal(4, result.Requests);
            Assert.Equal(0, result.Succeeded);
        }
        finally
        {
            await transport.DisposeAsync();
            await server.CloseAsync();
            await system.Terminate();
        }
    }

    [Fact]
    public void The_result_line_is_invariant_culture()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            var worker = new BenchWorker(new InstantRoundTripper(_ => 200), ClientRequest.Get("http://h/"), 16);
            worker.Latency.Record(1_500_000);
            worker.Statuses[200]++;
            var line = new BenchResult([worker], TimeSpan.FromSeconds(0.5)).ResultLine();
            Assert.Equal("RESULT rps=2.0 p50_ms=1.500 p99_ms=1.500 errors=0 requests=1", line);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }
}
