using System.Net;
using System.Net.Sockets;
using ActorHttp.Actors.Tests.Support;
using ActorHttp.Server;
using Akka.Actor;
using Akka.Configuration;

namespace ActorHttp.Actors.Tests.Runtime;

/// <summary>
/// A server takes part in its actor system's CoordinatedShutdown: in service-unbind it stops accepting, in
/// service-requests-done it lets the request in flight finish, answers the queued ones with 503, and closes; then
/// the system terminates. Each test has a system of its own, since the shutdown ends it.
/// </summary>
public sealed class CoordinatedShutdownTests
{
    private static ActorSystem NewSystem(string phaseTimeout = "20s") => ActorSystem.Create("shutdown", ConfigurationFactory.ParseString($"""
        akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
        akka.coordinated-shutdown.phases.service-unbind.timeout = {phaseTimeout}
        akka.coordinated-shutdown.phases.service-requests-done.timeout = {phaseTimeout}
        actorhttp.server.shutdown-timeout = 15s
        """));

    [Fact]
    public async Task Shutdown_unbinds_then_drains_in_flight_requests_then_terminates_the_system()
    {
        var system = NewSystem();
        try
        {
            var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var mux = new ServeMux()
                .HandleFunc("GET /slow", async (w, _) =>
                {
                    entered.TrySetResult();
                    await release.Task;
                    await w.WriteAsync("finished");
                })
                .HandleFunc("GET /fast", (w, _) => w.WriteAsync("fast").AsTask());
            var server = await Http.Get(system).StartServerAsync(mux, new IPEndPoint(IPAddress.Loopback, 0));
            var draining = new TaskCompletionSource<ServerDraining>(TaskCreationOptions.RunContinuationsAsynchronously);
            system.EventStream.Subscribe(system.ActorOf(Props.Create(() => new Completer<ServerDraining>(draining))), typeof(ServerDraining));

            await using var raw = await RawConnection.ConnectAsync(server.LocalEndPoint);
            // One request in flight and one queued behind it on the same connection (pipelined).
            await raw.SendAsync("GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /fast HTTP/1.1\r\nHost: x\r\n\r\n");
            await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

            var shutdown = CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);
            // service-unbind has run and service-requests-done has begun: the server told its connections to finish.
            await draining.Task.WaitAsync(TimeSpan.FromSeconds(10));
            // Unbound: nothing accepts on the port any more.
            using (var late = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
                await Assert.ThrowsAsync<SocketException>(() => late.ConnectAsync(server.LocalEndPoint));
            Assert.False(shutdown.IsCompleted);

            release.SetResult();
            var finished = await raw.ReadResponseAsync();
            Assert.Equal((200, "finished"), (finished.Status, finished.Text));
            Assert.Equal(503, (await raw.ReadResponseAsync()).Status);
            Assert.True(await raw.IsClosedByPeerAsync());
            await shutdown.WaitAsync(TimeSpan.FromSeconds(20));
            await system.WhenTerminated.WaitAsync(TimeSpan.FromSeconds(20));
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public async Task A_server_stopped_before_the_shutdown_does_not_hold_it_up()
    {
        // Phases far longer than the test's own bound: a task that asked the dead server would wait them out.
        var system = NewSystem(phaseTimeout: "10m");
        try
        {
            var server = await Http.Get(system).StartServerAsync(new ServeMux(), new IPEndPoint(IPAddress.Loopback, 0));
            await server.ShutdownAsync().WaitAsync(TimeSpan.FromSeconds(10));

            // Its tasks find it stopped and finish at once.
            await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance).WaitAsync(TimeSpan.FromSeconds(20));
        }
        finally
        {
            await system.Terminate();
        }
    }

    /// <summary>Completes a task with the first <typeparamref name="T"/> it receives.</summary>
    private sealed class Completer<T> : ReceiveActor
    {
        public Completer(TaskCompletionSource<T> completion) => Receive<T>(m => completion.TrySetResult(m));
    }
}
