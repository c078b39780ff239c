using ActorHttp.Actors.Tests.Support;
using ActorHttp.Server;
using ActorHttp.Server.Connection;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Server;

/// <summary>
/// Connections live in groups of <see cref="ConnectionGroup.Capacity"/> under the listener: more connections than one
/// group holds are served, counted and shut down like any others, and groups no longer needed go away.
/// </summary>
public sealed class ConnectionGroupTests(ITestOutputHelper output) : ServerTestBase(output, TestConfig.Server)
{
    private const int MoreThanAGroup = ConnectionGroup.Capacity + 1;

    private static ServeMux Mux() => new ServeMux().HandleFunc("GET /plaintext", (w, _) => w.WriteAsync("Hello, World!").AsTask());

    private static async Task<RawConnection> OpenServedAsync(HttpServer server)
    {
        var connection = await ConnectAsync(server);
        await connection.SendAsync("GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(200, (await connection.ReadResponseAsync()).Status);
        return connection;
    }

    // The listener's children are its groups.
    private IReadOnlyList<string> Groups(HttpServer server)
    {
        var listener = ActorTree.Find(Sys, server.Actor.Path.ToStringWithoutAddress() + "/listener")!;
        var depth = listener.Path.Elements.Count + 1;
        return ActorTree.LiveDescendants(listener).Where(p => p.Split('/', StringSplitOptions.RemoveEmptyEntries).Length == depth).ToArray();
    }

    [Fact]
    public async Task Shutdown_reaches_the_connections_of_every_group_before_it_is_published()
    {
        var server = await StartAsync(Mux());
        var connections = new List<RawConnection>();
        for (var i = 0; i < MoreThanAGroup; i++) connections.Add(await OpenServedAsync(server));
        Assert.Equal(2, Groups(server).Count);

        var draining = CreateTestProbe();
        Sys.EventStream.Subscribe(draining.Ref, typeof(ServerDraining));
        var shutdown = server.ShutdownAsync();

        Assert.Equal(MoreThanAGroup, (await draining.ExpectMsgAsync<ServerDraining>()).OpenConnections);
        foreach (var connection in connections)
        {
            Assert.True(await connection.IsClosedByPeerAsync());
            await connection.DisposeAsync();
        }

        await shutdown.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(LiveActorsUnder(server.Actor));
    }

    [Fact]
    public async Task Max_connections_counts_the_connections_of_every_group()
    {
        var server = await StartAsync(Mux(), Settings with { MaxConnections = MoreThanAGroup });
        var connections = new List<RawConnection>();
        for (var i = 0; i < MoreThanAGroup; i++) connections.Add(await OpenServedAsync(server));

        // One more is closed right after it is accepted.
        await using (var refused = await ConnectAsync(server))
            Assert.True(await refused.IsClosedByPeerAsync());

        // Once the listener heard of one closing (from its group), there is room for one again.
        await connections[0].DisposeAsync();
        await AwaitAssertAsync(async () =>
        {
            await using var again = await ConnectAsync(server);
            await again.SendAsync("GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n");
            Assert.Equal(200, (await again.ReadResponseAsync()).Status);
        }, TimeSpan.FromSeconds(10));

        foreach (var connection in connections.Skip(1)) await connection.DisposeAsync();
    }

    [Fact]
    public async Task Groups_left_empty_are_stopped_but_the_one_filling()
    {
        var server = await StartAsync(Mux());
        var connections = new List<RawConnection>();
        for (var i = 0; i < 2 * ConnectionGroup.Capacity + 1; i++) connections.Add(await OpenServedAsync(server));
        Assert.Equal(3, Groups(server).Count);

        foreach (var connection in connections) await connection.DisposeAsync();
        await AwaitAssertAsync(() => Assert.Single(Groups(server)), TimeSpan.FromSeconds(10));

        // And the server goes on: a new connection joins the group that is left.
        await using var next = await OpenServedAsync(server);
        Assert.Single(Groups(server));
    }
}
