using System.Net;
using ActorHttp.Server;
using Akka.Actor;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Support;

/// <summary>
/// Base of the server tests: one actor system per test (Akka.TestKit's), servers on a free loopback
/// port, and a leak check at the end: every server started here is shut down and must leave no
/// actor behind under its path.
/// </summary>
public abstract class ServerTestBase : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    private readonly List<HttpServer> _servers = new();

    protected ServerTestBase(ITestOutputHelper output, string? serverConfig = null)
        : base(serverConfig ?? "", output)
    {
        Settings = Http.Get(Sys).ServerSettings;
    }

    /// <summary>The reference server settings with this test class's overrides.</summary>
    protected ServerSettings Settings { get; }

    /// <summary>Paths of the live actors at or under <paramref name="actor"/> (itself included).</summary>
    protected static IReadOnlyList<string> LiveActorsUnder(IActorRef actor) => ActorTree.LivePaths(actor);

    protected async Task<HttpServer> StartAsync(ServeMux mux, ServerSettings? settings = null)
    {
        var server = await HttpServer.StartAsync(Sys, mux, new IPEndPoint(IPAddress.Loopback, 0), settings ?? Settings);
        _servers.Add(server);
        return server;
    }

    protected static HttpClient ClientFor(HttpServer server, HttpMessageHandler? handler = null) =>
        new(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
        {
            BaseAddress = new Uri($"http://{server.LocalEndPoint}"),
            Timeout = TimeSpan.FromSeconds(20),
        };

    protected static Task<RawConnection> ConnectAsync(HttpServer server) => RawConnection.ConnectAsync(server.LocalEndPoint);

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Shuts every server down and checks that none left an actor behind.</summary>
    public async Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.ShutdownAsync(TimeSpan.FromSeconds(5)).WaitAsync(TimeSpan.FromSeconds(15));
            await AwaitAssertAsync(() => Assert.Empty(LiveActorsUnder(server.Actor)), TimeSpan.FromSeconds(5));
        }
    }
}
