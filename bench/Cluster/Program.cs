using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ActorHttp;
using ActorHttp.Cluster.Bench;
using ActorHttp.Server;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

// HTTP GET -> sharded entity -> response on a two-node Akka cluster on 127.0.0.1 (issue 10's benchmark):
//   dotnet run --project bench/Cluster -c Release -- [--quick] [--rounds N] [--duration SECONDS] [--concurrency 16,64] [--only remote|local]
//     [--client httpclient|actorhttp|wrk]
// --client wrk runs wrk (apt-get install wrk) as a process of its own, one thread, instead of a client in node A's process:
// the servers then share node A's process with nothing but the cluster.
// CLUSTER_BENCH_HOCON (HOCON text) is laid over both nodes' configuration, e.g. to try Akka.Remote's settings.
// Node A (this process, role "front") runs both HTTP front ends and the closed-loop client; node B (a second process
// of this program, role "entity") hosts the entities of type "remote". Type "local" lives on node A (same-node
// variant). After one warm-up pass over every server and variant, each round runs every case (variant x concurrency),
// both servers back to back, the one that goes first alternating by case and round; the RATIO lines and the table give
// the median of the rounds' ratios (the machine drifts between cases, less within one):
// - actorhttp: ActorHandler.ShardedRoute(region): the connection tells the region the request with itself as
//   reply-to, and the entity answers the connection; no Ask, no temporary actor.
// - kestrel:   ASP.NET Core minimal API, `await region.Ask<Value>(new Get(key))`, the path users take today.
// Internal: --entity-node AKKA-PORT SEED   (node B; leaves the cluster when its standard input closes)

const string SystemName = "bench";
const int Keys = 64;
var askTimeout = TimeSpan.FromSeconds(5);

if (args.Length == 3 && args[0] == "--entity-node") return await EntityNodeAsync(int.Parse(args[1], CultureInfo.InvariantCulture), args[2]);

var quick = false;
TimeSpan? durationArg = null;
int[] concurrencies = [16, 64];
string[] variants = ["remote", "local"];
var rounds = 1;
var clientKind = "httpclient";
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--quick": quick = true; break;
        case "--duration" when i + 1 < args.Length: durationArg = TimeSpan.FromSeconds(double.Parse(args[++i], CultureInfo.InvariantCulture)); break;
        case "--concurrency" when i + 1 < args.Length: concurrencies = args[++i].Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray(); break;
        case "--client" when i + 1 < args.Length && args[i + 1] is "httpclient" or "actorhttp" or "wrk": clientKind = args[++i]; break;
        case "--rounds" when i + 1 < args.Length: rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--only" when i + 1 < args.Length && args[i + 1] is "remote" or "local": variants = [args[++i]]; break;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}'; usage: [--quick] [--rounds N] [--duration SECONDS] [--concurrency 16,64] [--only remote|local] [--client httpclient|actorhttp|wrk]");
            return 2;
    }
}

var duration = durationArg ?? TimeSpan.FromSeconds(quick ? 4 : 10);
var warmup = TimeSpan.FromSeconds(quick ? 1 : 3);
// ActorHttp's assemblies start as tier-0 JIT code while ASP.NET Core's are ReadyToRun: on a loaded 2-core machine a
// 1 s pass left ActorHttp's first case at half its later speed (4.9k against 2.2k req/s, remote c16, one run).
var warmupPass = TimeSpan.FromSeconds(quick ? 3 : 5);

// ---- node A ----
var portA = FreePort();
var seed = $"127.0.0.1:{portA}";
var system = ActorSystem.Create(SystemName, NodeConfig(portA, "front", seed));
Http.Get(system);
var cluster = Akka.Cluster.Cluster.Get(system);
await WaitAsync("node A up", TimeSpan.FromSeconds(30), () => cluster.SelfMember.Status == Akka.Cluster.MemberStatus.Up);

using var entityNode = StartEntityNode(FreePort(), seed);
await WaitAsync("node B (role entity) up", TimeSpan.FromSeconds(60), () =>
    cluster.State.Members.Any(m => m.HasRole("entity") && m.Status == Akka.Cluster.MemberStatus.Up));

var sharding = ClusterSharding.Get(system);
var remoteRegion = sharding.StartProxy("remote", "entity", new Extractor());
var localRegion = sharding.Start("local", Entity.PropsFor, ClusterShardingSettings.Create(system).WithRole("front"), new Extractor());
var regions = new Dictionary<string, IActorRef> { ["remote"] = remoteRegion, ["local"] = localRegion };

// ActorHttp: the route's handler is the region.
var byKey = ActorHandler.EntityIdFromPathValue("key");
var mux = new ServeMux()
    .Handle("GET /remote/{key}", ActorHandler.ShardedRoute(remoteRegion, byKey))
    .Handle("GET /local/{key}", ActorHandler.ShardedRoute(localRegion, byKey));
var actorHttp = await Http.Get(system).StartServerAsync(mux, new IPEndPoint(IPAddress.Loopback, 0));

// Kestrel + Ask: a minimal API as in the Akka.Hosting and Petabridge samples.
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseUrls("http://127.0.0.1:0");
var app = builder.Build();
app.MapGet("/remote/{key}", async (string key) => (await remoteRegion.Ask<Value>(new Get(key), askTimeout)).Text);
app.MapGet("/local/{key}", async (string key) => (await localRegion.Ask<Value>(new Get(key), askTimeout)).Text);
await app.StartAsync();

var servers = new (string Name, Uri Base)[]
{
    ("actorhttp", new Uri($"http://{actorHttp.LocalEndPoint}")),
    ("kestrel", new Uri(app.Urls.First())),
};

Console.WriteLine($"# bench/Cluster {(quick ? "--quick " : "")}{DateTime.UtcNow:yyyy-MM-dd HH:mm}Z: {Environment.ProcessorCount} cores, "
    + $"{duration.TotalSeconds:0.#} s per case after {warmup.TotalSeconds:0.#} s of warm-up, {Keys} keys, closed-loop {clientKind} client{(clientKind == "wrk" ? " (a process of its own)" : " in node A's process")}");
Console.WriteLine($"# node A {seed} (front: both servers, the client, the 'local' entities); node B pid {entityNode.Id} (the 'remote' entities)");

// Every key once through both servers: shards allocated, entities started, connections to node B open.
foreach (var (_, baseUri) in servers)
    foreach (var variant in regions.Keys)
    {
        using var client = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
        for (var k = 0; k < Keys; k++)
        {
            using var response = await client.GetAsync($"/{variant}/k{k}");
            if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{baseUri}{variant}/k{k}: {(int)response.StatusCode}");
        }
    }

// The warm-up pass: every server and variant under load once (JIT tiers, connection pools, remoting buffers), so that
// whichever runs first in a case is not the one that paid for it.
foreach (var variant in variants)
    foreach (var (_, baseUri) in servers)
        await MeasureAsync(baseUri, variant, concurrencies.Max(), TimeSpan.Zero, warmupPass);

var results = new List<(int Round, string Variant, int Concurrency, string Server, Result Result)>();
var caseNumber = 0;
for (var round = 1; round <= rounds; round++)
    foreach (var variant in variants)
        foreach (var concurrency in concurrencies)
        {
            var order = caseNumber++ % 2 == 0 ? servers : servers.Reverse().ToArray();
            foreach (var (name, baseUri) in order)
            {
                var result = await MeasureAsync(baseUri, variant, concurrency, warmup, duration);
                results.Add((round, variant, concurrency, name, result));
                Console.WriteLine($"CASE round={round} variant={variant} c={concurrency} server={name} req_s={result.RequestsPerSecond:F0} p50_ms={result.P50Ms:F2} p99_ms={result.P99Ms:F2} requests={result.Requests} errors={result.Errors}");
            }
        }

var table = new List<string>();
foreach (var group in results.GroupBy(r => (r.Variant, r.Concurrency)))
{
    // Medians over the rounds; the ratio is the median of each round's own ratio.
    var ours = group.Where(r => r.Server == "actorhttp").Select(r => r.Result).ToArray();
    var theirs = group.Where(r => r.Server == "kestrel").Select(r => r.Result).ToArray();
    var ratio = Median(group.GroupBy(r => r.Round).Select(g =>
        g.Single(r => r.Server == "actorhttp").Result.RequestsPerSecond / g.Single(r => r.Server == "kestrel").Result.RequestsPerSecond));
    var p99Ratio = Median(group.GroupBy(r => r.Round).Select(g =>
        g.Single(r => r.Server == "actorhttp").Result.P99Ms / g.Single(r => r.Server == "kestrel").Result.P99Ms));
    Console.WriteLine($"RATIO variant={group.Key.Variant} c={group.Key.Concurrency} rounds={rounds} actorhttp/kestrel+ask req_s={ratio:F2} p99={p99Ratio:F2}");
    table.Add($"| {(group.Key.Variant == "remote" ? "other node" : "same node")} | {group.Key.Concurrency} | {Median(ours.Select(r => r.RequestsPerSecond)):F0} | "
        + $"{Median(ours.Select(r => r.P99Ms)):F2} | {Median(theirs.Select(r => r.RequestsPerSecond)):F0} | {Median(theirs.Select(r => r.P99Ms)):F2} | {ratio:F2} |");
}

Console.WriteLine();
Console.WriteLine("| entity | c | ActorHttp req/s | p99 ms | Kestrel + Ask req/s | p99 ms | ActorHttp ÷ Kestrel + Ask, req/s |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
foreach (var row in table) Console.WriteLine(row);

await app.StopAsync();
await actorHttp.ShutdownAsync(TimeSpan.FromSeconds(5));
entityNode.StandardInput.Close();   // node B leaves the cluster and exits
if (!entityNode.WaitForExit(TimeSpan.FromSeconds(30))) entityNode.Kill(entireProcessTree: true);
await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);
return results.Any(r => r.Result.Errors > 0) ? 1 : 0;

// ---- the parts ----

Task<Result> MeasureAsync(Uri baseUri, string variant, int concurrency, TimeSpan warmupTime, TimeSpan measured) =>
    clientKind == "wrk"
        ? WrkAsync(baseUri, variant, concurrency, warmupTime, measured)
        : LoadAsync(Sender(baseUri, concurrency), baseUri, variant, concurrency, warmupTime, measured);

// One GET, its body read; the status code. HttpClient (SocketsHttpHandler) by default; ActorHttp's client (node A's
// shared transport) costs about a third of it per request (see README, Benchmarks), which leaves more of the machine
// to the servers.
Func<Uri, Task<int>> Sender(Uri baseUri, int concurrency)
{
    if (clientKind == "actorhttp")
    {
        var client = Http.Get(system).CreateClient();
        return async uri =>
        {
            using var response = await client.GetAsync(uri);
            await response.ReadAsByteArrayAsync();
            return response.StatusCode;
        };
    }

    var httpClient = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
    {
        BaseAddress = baseUri,
        Timeout = TimeSpan.FromSeconds(30),
    };
    return async uri =>
    {
        using var response = await httpClient.GetAsync(uri);
        await response.Content.ReadAsByteArrayAsync();
        return (int)response.StatusCode;
    };
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

static Config NodeConfig(int port, string role, string seed) => ConfigurationFactory.ParseString(
    Environment.GetEnvironmentVariable("CLUSTER_BENCH_HOCON") ?? "").WithFallback(ConfigurationFactory.ParseString($$"""
    akka {
      loglevel = WARNING
      actor {
        provider = cluster
        serializers.bench = "ActorHttp.Cluster.Bench.BenchSerializer, ActorHttp.Cluster.Bench"
        serialization-bindings { "ActorHttp.Cluster.Bench.IBenchMessage, ActorHttp.Cluster.Bench" = bench }
      }
      remote.dot-netty.tcp { hostname = "127.0.0.1", port = {{port}} }
      cluster {
        seed-nodes = ["akka.tcp://{{"bench"}}@{{seed}}"]
        roles = [{{role}}]
      }
    }
    """));

// Node B: the "remote" entities; leaves when its standard input closes (node A is done, or died).
static async Task<int> EntityNodeAsync(int port, string seed)
{
    var system = ActorSystem.Create("bench", NodeConfig(port, "entity", seed));
    Http.Get(system);   // ActorHttp's serializer for the requests and replies that cross nodes
    ClusterSharding.Get(system).Start("remote", Entity.PropsFor, ClusterShardingSettings.Create(system).WithRole("entity"), new Extractor());
    await Console.In.ReadToEndAsync();
    await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);
    return 0;
}

static Process StartEntityNode(int port, string seed)
{
    var assembly = typeof(Entity).Assembly.Location;
    var apphost = Path.ChangeExtension(assembly, null);
    var info = OperatingSystem.IsWindows() || !File.Exists(apphost)
        ? new ProcessStartInfo("dotnet") { ArgumentList = { assembly } }
        : new ProcessStartInfo(apphost);
    foreach (var a in new[] { "--entity-node", port.ToString(CultureInfo.InvariantCulture), seed }) info.ArgumentList.Add(a);
    info.RedirectStandardInput = true;
    info.UseShellExecute = false;
    return Process.Start(info) ?? throw new InvalidOperationException("could not start node B");
}

static int FreePort()
{
    using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    return ((IPEndPoint)socket.LocalEndPoint!).Port;
}

// Start-up only (never inside a measurement): polls a condition on the live cluster.
static async Task WaitAsync(string what, TimeSpan deadline, Func<bool> condition)
{
    var clock = Stopwatch.StartNew();
    while (!condition())
    {
        if (clock.Elapsed > deadline) throw new TimeoutException($"{what}: not within {deadline}");
        await Task.Delay(100);
    }
}

// A closed loop: `concurrency` workers, each sending its next GET when the last one's body is read, over at most
// `concurrency` connections; latencies are recorded only in the measured window, after the warm-up.
static async Task<Result> LoadAsync(Func<Uri, Task<int>> send, Uri baseUri, string variant, int concurrency, TimeSpan warmup, TimeSpan duration)
{
    var targets = Enumerable.Range(0, Keys).Select(k => new Uri(baseUri, $"/{variant}/k{k}")).ToArray();
    var state = new LoadState();
    var latencies = new List<long>[concurrency];
    var errors = new int[concurrency];

    async Task Worker(int w)
    {
        var mine = latencies[w] = new List<long>(1 << 16);
        for (var n = w; !state.Stopped; n++)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                if (await send(targets[n % Keys]) != 200 && state.Measuring) errors[w]++;
            }
            catch (Exception e) when (e is HttpRequestException or ActorHttp.Client.HttpClientException && state.Measuring)
            {
                errors[w]++;
            }

            if (state.Measuring) mine.Add(Stopwatch.GetTimestamp() - started);
        }
    }

    var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(() => Worker(w))).ToArray();
    if (warmup > TimeSpan.Zero) await Task.Delay(warmup);
    state.Measuring = true;
    var clock = Stopwatch.StartNew();
    await Task.Delay(duration);
    state.Measuring = false;
    var elapsed = clock.Elapsed;
    state.Stopped = true;
    await Task.WhenAll(workers);

    var all = latencies.SelectMany(l => l).ToArray();
    Array.Sort(all);
    double Ms(double q) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)(q * all.Length))] * 1000.0 / Stopwatch.Frequency;
    return new Result(all.Length, errors.Sum(), all.Length / elapsed.TotalSeconds, Ms(0.50), Ms(0.99));
}

// wrk over the same keys in turn (a Lua script), warm-up first and not counted; its Requests/sec, p50 and p99 (--latency).
static async Task<Result> WrkAsync(Uri baseUri, string variant, int concurrency, TimeSpan warmup, TimeSpan duration)
{
    var script = Path.Combine(Path.GetTempPath(), $"cluster-bench-{variant}.lua");
    await File.WriteAllTextAsync(script, $$"""
        local i = 0
        request = function()
          i = i + 1
          return wrk.format("GET", "/{{variant}}/k" .. (i % {{Keys}}))
        end
        """);
    if (warmup > TimeSpan.Zero) await RunWrkAsync(baseUri, script, concurrency, warmup);
    var output = await RunWrkAsync(baseUri, script, concurrency, duration);
    double Field(string pattern)
    {
        var m = System.Text.RegularExpressions.Regex.Match(output, pattern, System.Text.RegularExpressions.RegexOptions.Multiline);
        return m.Success ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }
    double LatencyMs(string percentile)
    {
        var m = System.Text.RegularExpressions.Regex.Match(output, $@"^\s*{percentile}%\s+([\d.]+)(us|ms|s)\s*$", System.Text.RegularExpressions.RegexOptions.Multiline);
        if (!m.Success) return double.NaN;
        var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return m.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }
    var requests = (long)Field(@"^\s*(\d+) requests in");
    var errors = (int)(Field(@"Non-2xx or 3xx responses: (\d+)") + Field(@"Socket errors: connect (\d+)") + Field(@"read (\d+), write") + Field(@"timeout (\d+)\s*$"));
    return new Result(requests, errors, Field(@"^Requests/sec:\s+([\d.]+)"), LatencyMs("50"), LatencyMs("99"));
}

static async Task<string> RunWrkAsync(Uri baseUri, string script, int concurrency, TimeSpan duration)
{
    var info = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, UseShellExecute = false };
    foreach (var a in new[] { "-t1", $"-c{concurrency}", $"-d{Math.Max(1, (int)duration.TotalSeconds)}s", "--latency", "-s", script, baseUri.ToString() })
        info.ArgumentList.Add(a);
    using var wrk = Process.Start(info) ?? throw new InvalidOperationException("could not start wrk (apt-get install wrk)");
    var output = await wrk.StandardOutput.ReadToEndAsync();
    await wrk.WaitForExitAsync();
    if (wrk.ExitCode != 0) throw new InvalidOperationException($"wrk exited with {wrk.ExitCode}: {output}");
    return output;
}

/// <summary>One server's figures for one case.</summary>
internal sealed record Result(long Requests, int Errors, double RequestsPerSecond, double P50Ms, double P99Ms);

/// <summary>The load's phase, read by every worker.</summary>
internal sealed class LoadState
{
    private volatile bool _measuring;
    private volatile bool _stopped;

    public bool Measuring { get => _measuring; set => _measuring = value; }
    public bool Stopped { get => _stopped; set => _stopped = value; }
}
