using System.Net;
using ActorHttp.Client;
using ActorHttp.Client.Transport;
using ActorHttp.Server;
using Akka.Actor;
using Akka.Configuration;

namespace ActorHttp.Faults;

/// <summary>
/// One fault's world: its own actor system (so nothing of one fault outlives it into the next), the servers and
/// client transports it starts there, a seeded random source, and the scale it runs at. Disposing closes the
/// servers, stops the transports and terminates the system.
/// </summary>
public sealed class FaultRun : IAsyncDisposable
{
    /// <summary>What every fault's actor system runs with; a fault adds its own settings over it.</summary>
    public const string BaseConfig = """
        akka.loglevel = WARNING
        akka.stdout-loglevel = OFF
        akka.loggers = ["ActorHttp.Faults.CountingLogger, ActorHttp.Faults"]
        akka.log-dead-letters = off
        akka.log-dead-letters-during-shutdown = off
        akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
        actorhttp.server.log-requests = off
        """;

    private readonly List<HttpServer> _servers = [];
    private readonly List<ActorTransport> _transports = [];
    private readonly List<ClientMetrics> _metrics = [];

    private FaultRun(string name, FaultScale scale, ActorSystem system)
    {
        Name = name;
        Scale = scale;
        System = system;
        Http = Http.Get(system);
        var seed = scale.Seed;
        foreach (var c in name) seed = unchecked(seed * 31 + c);
        Random = new Random(seed);
    }

    /// <summary>The fault's name.</summary>
    public string Name { get; }

    /// <summary>Sizes and bounds.</summary>
    public FaultScale Scale { get; }

    /// <summary>The fault's actor system.</summary>
    public ActorSystem System { get; }

    /// <summary>ActorHttp in that system.</summary>
    public Http Http { get; }

    /// <summary>Seeded from <see cref="FaultScale.Seed"/> and the fault's name: the same choices on every run.</summary>
    public Random Random { get; }

    /// <summary>Past this a client request that has not ended is hung: its deadline plus the grace.</summary>
    public TimeSpan HungAfter => Scale.RequestTimeout + Scale.HungGrace;

    /// <summary>A run in a new actor system configured with <paramref name="hocon"/> over <see cref="BaseConfig"/>.</summary>
    public static FaultRun Create(string name, FaultScale scale, string hocon = "")
    {
        Meters.EnsureStarted();
        // FAULTS_HOCON: settings over every fault's own, for experiments (e.g. "actorhttp.server.heartbeat-interval = 10ms").
        var config = ConfigurationFactory.ParseString(Environment.GetEnvironmentVariable("FAULTS_HOCON") ?? "")
            .WithFallback(ConfigurationFactory.ParseString(hocon)).WithFallback(ConfigurationFactory.ParseString(BaseConfig));
        return new FaultRun(name, scale, ActorSystem.Create("faults-" + name, config));
    }

    /// <summary>Starts a server on 127.0.0.1 (port 0: any free one) with this system's settings or <paramref name="settings"/>.</summary>
    public async Task<HttpServer> StartServerAsync(ServeMux mux, ServerSettings? settings = null, int port = 0)
    {
        var server = await Http.StartServerAsync(mux, new IPEndPoint(IPAddress.Loopback, port), settings).ConfigureAwait(false);
        _servers.Add(server);
        return server;
    }

    /// <summary>A transport of its own (with metrics, so its connections are counted) and a client over it.</summary>
    public (ActorTransport Transport, ActorHttpClient Client) CreateClient(ClientSettings? settings = null)
    {
        var metrics = new ClientMetrics();
        _metrics.Add(metrics);
        var transport = Http.CreateTransport(settings, new TransportOptions { Metrics = metrics });
        _transports.Add(transport);
        var client = new ActorHttpClient(transport, new ClientOptions(maxRedirects: 0, disableCompression: true, userAgent: "actorhttp-faults", Scale.RequestTimeout));
        return (transport, client);
    }

    /// <summary>The background load on <paramref name="client"/>: GET <paramref name="uri"/> at the scale's rate.</summary>
    public Load CreateLoad(ActorHttpClient client, Uri uri) =>
        new((_, _) => Exchanges.SendAsync(client, ClientRequest.Get(uri)), Scale.LoadRate, Scale.LoadWorkers, HungAfter);

    /// <summary>The scale's load of <paramref name="exchange"/>.</summary>
    public Load CreateLoad(Func<long, LoadPhase, Task<Answer>> exchange) => new(exchange, Scale.LoadRate, Scale.LoadWorkers, HungAfter);

    /// <summary>
    /// Waits (up to <see cref="FaultScale.Settle"/>) until the server's live connection actors are exactly the client's:
    /// once the bad clients are gone, only the load's connections may be left. Returns both counts.
    /// </summary>
    public async Task<(bool Settled, int Server, int Client)> SettleAsync(HttpServer server, ActorTransport transport)
    {
        var settled = await WaitUntilAsync(() => LiveActors.Connections(server.Actor) == LiveActors.Connections(transport.Actor), Scale.Settle).ConfigureAwait(false);
        return (settled, LiveActors.Connections(server.Actor), LiveActors.Connections(transport.Actor));
    }

    /// <summary>Waits until <paramref name="condition"/> holds or <paramref name="timeout"/> passes; returns whether it held.</summary>
    public static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow >= deadline) return false;
            await Task.Delay(20).ConfigureAwait(false);
        }
        return true;
    }

    /// <summary>Closes the servers, stops the transports, terminates the system.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var transport in _transports) await transport.DisposeAsync().ConfigureAwait(false);
        // A stopped transport's connections are closed: its open-connection count should reach zero before its meter goes.
        await WaitUntilAsync(() => Meters.ClientConnections == 0, TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        foreach (var server in _servers)
            await server.CloseAsync().WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
        await System.Terminate().WaitAsync(TimeSpan.FromSeconds(20)).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
        foreach (var metrics in _metrics) metrics.Dispose();
    }
}

/// <summary>The background load running: warm-up, then its baseline, then the fault window, then stopped.</summary>
public sealed class LoadRun : IAsyncDisposable
{
    /// <summary>Load before the baseline that is counted nowhere (connections dialed, code jitted).</summary>
    public static readonly TimeSpan Warmup = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    private LoadRun(Load load)
    {
        Load = load;
        _running = load.RunAsync(_stop.Token);
    }

    /// <summary>The load.</summary>
    public Load Load { get; }

    /// <summary>The requests of the baseline window.</summary>
    public Tally Baseline => Load.Baseline;

    /// <summary>The requests of the fault window.</summary>
    public Tally Window => Load.Fault;

    /// <summary>Starts <paramref name="load"/>, warms up, runs its baseline for <paramref name="baseline"/>, then returns in the fault phase.</summary>
    public static async Task<LoadRun> StartAsync(Load load, TimeSpan baseline)
    {
        var run = new LoadRun(load);
        await Task.Delay(Warmup).ConfigureAwait(false);
        load.Phase = LoadPhase.Baseline;
        await Task.Delay(baseline).ConfigureAwait(false);
        load.Phase = LoadPhase.Fault;
        return run;
    }

    /// <summary>Stops the load; completes when its last requests ended or hung.</summary>
    public async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested) await _stop.CancelAsync().ConfigureAwait(false);
        await _running.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
