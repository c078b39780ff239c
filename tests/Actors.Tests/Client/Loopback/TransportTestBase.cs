using ActorHttp.Actors.Tests.Support;
using ActorHttp.Client;
using ActorHttp.Client.Transport;
using Akka.Configuration;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Client.Loopback;

/// <summary>
/// Base of the transport tests: transports made here are checked at the end of each test — after their idle
/// connections are closed, no connection actor may be left under them — and then stopped.
/// </summary>
/// <remarks>
/// <paramref name="onLoops"/> is <c>epoll-event-loop</c> for every transport made here: on, plain-HTTP connections run on the
/// event loops over sockets registered there (where loops run: Linux x64/arm64); off, every connection reads and writes a
/// stream on the default dispatcher. Suites about the bytes of an exchange run on both (their <c>OnLoops</c> and
/// <c>OnStreams</c> classes), as the server's socket engines do.
/// </remarks>
public abstract class TransportTestBase(ITestOutputHelper output, bool onLoops = true) : Akka.TestKit.Xunit2.TestKit(output: output), IAsyncLifetime
{
    /// <summary>Every await in these tests is bounded by this.</summary>
    protected static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly List<ActorTransport> _transports = new();

    /// <summary>Whether plain-HTTP connections of the transports made here run on the event loops (epoll-event-loop).</summary>
    protected bool ConnectionsOnLoops { get; } = onLoops;

    /// <summary>A transport with the reference settings under <paramref name="config"/> (HOCON, keys under actorhttp.client).</summary>
    protected ActorTransport NewTransport(string config = "", TransportOptions? options = null)
    {
        var settings = ConfigurationFactory.ParseString(config)
            .WithFallback(ConfigurationFactory.ParseString($"actorhttp.client.epoll-event-loop = {(ConnectionsOnLoops ? "on" : "off")}"));
        var transport = ActorTransport.Create(Sys, ClientSettings.Load(settings), options);
        _transports.Add(transport);
        return transport;
    }

    /// <summary>Paths of the connection actors under <paramref name="transport"/>.</summary>
    protected IReadOnlyList<string> Connections(ActorTransport transport) =>
        ActorTree.LivePaths(transport.Actor).Where(p => p.Contains("/conn-")).ToArray();

    /// <summary>Options for the facade, no overall timeout (each test bounds its awaits).</summary>
    protected static ClientOptions Options(bool disableCompression = false) => new(10, disableCompression, "transport-test", TimeSpan.Zero);

    /// <summary>The pool figures of the only host the transport talks to.</summary>
    protected static async Task<ActorHttp.Client.Pool.PoolStats> StatsAsync(ActorTransport transport) =>
        (await transport.GetPoolStatsAsync().WaitAsync(Deadline)).Hosts.Values.Single();

    /// <inheritdoc />
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        foreach (var transport in _transports)
        {
            transport.CloseIdleConnections();
            await AwaitAssertAsync(() => Assert.Empty(Connections(transport)), Deadline);
            await transport.DisposeAsync();
            await AwaitAssertAsync(() => Assert.Empty(ActorTree.LivePaths(transport.Actor)), Deadline);
        }
    }
}
