using System.Diagnostics;
using System.Globalization;
using ActorHttp.Bench;
using ActorHttp.Client;
using ActorHttp.Client.Bench;
using ActorHttp.Client.Transport;
using Akka.Actor;

// Per-request cost of a transport on reused keep-alive connections, against a canned loopback server:
//   dotnet ActorHttp.Client.Bench.dll [--transport actor|httpclient] [--callers async|actor] [-n requests] [-c loops] [--config HOCON] [--alloc]
// (--alloc: also list the types allocated, sampled; --callers actor: the loops are actors that tell the host's pool their
// requests and get the responses as messages, on the pool's dispatcher (an event loop for plain HTTP), as `actorhttp bench`
// runs; async: they await ActorTransport.RoundTripAsync on the thread pool)
// Prints requests/s, bytes allocated per request (whole process; the server allocates nothing per
// request), thread-pool work items per request (each actor turn and each async continuation
// that is not inlined is one: a proxy for hops) and CPU time per request (whole process, server
// included: on a busy machine a steadier figure than requests/s).

var transportName = "actor";
var callers = "async";
using var sampler = args.Contains("--alloc") ? new AllocationSampler() : null;
long n = 200_000;
int loops = 1;
var config = "";
for (var i = 0; i < args.Length - 1; i++)
{
    switch (args[i])
    {
        case "--transport": transportName = args[++i]; break;
        case "--callers": callers = args[++i]; break;
        case "-n": n = long.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "-c": loops = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--config": config = args[++i]; break;
    }
}

await using var server = new CannedServer();
var uri = new Uri($"http://127.0.0.1:{server.Port}/plaintext");
var system = ActorSystem.Create("client-bench");
IRoundTripper transport = transportName switch
{
    "actor" => ActorTransport.Create(system, ClientSettings.Load(Akka.Configuration.ConfigurationFactory.ParseString(config))),
    "httpclient" => new HttpClientRoundTripper(),
    _ => throw new ArgumentException($"unknown transport {transportName}"),
};
var request = new ClientRequest("GET", uri) { Headers = RequestHeaders.Empty.Add("Host", uri.Authority) };
var buffer = new byte[16 * 1024];

async Task Loop(long count)
{
    for (long i = 0; i < count; i++)
    {
        var response = await transport.RoundTripAsync(request, CancellationToken.None).ConfigureAwait(false);
        await using (response.ConfigureAwait(false))
            while (await response.Body.ReadAsync(buffer).ConfigureAwait(false) > 0) { }
    }
}

async Task Run(long total)
{
    var tasks = new Task[loops];
    if (callers == "actor" && transport is ActorTransport actors)
    {
        var pool = await actors.PoolAsync(request).ConfigureAwait(false);
        var dispatcher = actors.PoolDispatcher(request);
        for (int i = 0; i < loops; i++)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var count = total / loops;
            system.ActorOf(Props.Create(() => new LoadActor(pool, request, count, done)).WithDispatcher(dispatcher));
            tasks[i] = done.Task;
        }
    }
    else
    {
        for (int i = 0; i < loops; i++) tasks[i] = Task.Run(() => Loop(total / loops));
    }
    await Task.WhenAll(tasks).ConfigureAwait(false);
}

await Run(Math.Max(loops * 1000L, n / 10)); // warm-up: connections dialed, code jitted
GC.Collect();
sampler?.Start();
long bytes0 = GC.GetTotalAllocatedBytes(precise: true);
long items0 = ThreadPool.CompletedWorkItemCount;
long gc0 = GC.CollectionCount(0);
var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
var clock = Stopwatch.StartNew();
await Run(n);
clock.Stop();
var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu0;
long bytes = GC.GetTotalAllocatedBytes(precise: true) - bytes0;
long items = ThreadPool.CompletedWorkItemCount - items0;
long requests = n / loops * loops;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"transport={transportName} callers={callers} c={loops} requests={requests} rps={requests / clock.Elapsed.TotalSeconds:F0} bytes/req={(double)bytes / requests:F0} workitems/req={(double)items / requests:F2} cpu_us/req={cpu.TotalMicroseconds / requests:F1} gen0={GC.CollectionCount(0) - gc0}"));

if (sampler is not null)
    foreach (var (type, sampled) in sampler.Top(40))
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {(double)sampled / requests,8:F0} B/req  {type}"));
if (transport is IAsyncDisposable d) await d.DisposeAsync().ConfigureAwait(false);
await system.Terminate().ConfigureAwait(false);
