using System.Diagnostics;
using ActorHttp.Actors.Tests.Support;
using ActorHttp.Server;
using Akka.Actor;
using Akka.Configuration;
using Akka.Remote.Transport;
using Xunit.Abstractions;
using static ActorHttp.Server.ActorHandler;

namespace ActorHttp.Actors.Tests.ClusterTests;

/// <summary>
/// A handler's node dies abruptly while requests wait on it: two actor systems on 127.0.0.1 joined by Akka.Remote over
/// real sockets; the server on node A (this test kit's system), the handler on node B. Node B does not leave: node A's
/// transport drops everything from and to B (Akka's throttler in blackhole mode, what the multi-node TestConductor uses
/// to cut a network) and then B's system goes away, so no <c>DeathWatchNotification</c> from B can reach A. A learns of
/// it only through the remote failure detector, whose <c>Terminated</c> for the watched handler ends the wait.
/// </summary>
/// <remarks>
/// The failure detector is tuned here (heartbeats every 200 ms, 1 s of acceptable pause) so that it fires in about
/// 2 s; <c>request-timeout</c> is 15 s, so a 503 before then can only be death watch's. Akka's defaults (1 s
/// heartbeats, 10 s pause) give about 12 s, and the deadline (20 s) stays the bound when death watch cannot help.
/// </remarks>
public sealed class AbruptNodeLossTests(ITestOutputHelper output) : ServerTestBase(output, TestConfig.Server + Remote)
{
    private static readonly TimeSpan HandlerTimeout = TimeSpan.FromSeconds(15);

    // Port 0: the OS picks free ports. "trttl" puts the throttler in front of the TCP transport, so a test can cut it.
    private const string Remote = """

        akka.actor.provider = remote
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0, applied-adapters = [trttl] }
        akka.remote.watch-failure-detector {
          heartbeat-interval = 200ms
          acceptable-heartbeat-pause = 1s
          unreachable-nodes-reaper-interval = 200ms
          expected-response-after = 500ms
        }
        """;

    // Tells the probe what it got and never answers: the requests wait on node B until it dies.
    private sealed class Silent : ReceiveActor
    {
        public Silent(IActorRef probe) => Receive<HandleStrictRequest>(m => probe.Tell(m.Target));
    }

    [Fact]
    public async Task Waiting_requests_get_503_through_the_failure_detector_and_the_other_connections_serve_on()
    {
        var probe = CreateTestProbe();
        var nodeB = ActorSystem.Create("nodeB", ConfigurationFactory.ParseString(Remote));
        Http.Get(nodeB);   // the receiving node needs the serializer too
        nodeB.ActorOf(Props.Create(() => new Silent(probe.Ref)), "handler");
        var addressB = ((ExtendedActorSystem)nodeB).Provider.DefaultAddress;
        try
        {
            var handler = await Sys.ActorSelection(new RootActorPath(addressB) / "user" / "handler").ResolveOne(TimeSpan.FromSeconds(10));
            var server = await StartAsync(new ServeMux()
                    .Handle("/remote/{key}", StrictRoute(handler))
                    .HandleFunc("/local", (w, _) => w.WriteAsync("local").AsTask()),
                Settings with { RequestTimeout = HandlerTimeout });

            // A keep-alive connection that only uses the local route, opened and used before the loss.
            await using var bystander = await ConnectAsync(server);
            await bystander.SendAsync("GET /local HTTP/1.1\r\nHost: x\r\n\r\n");
            Assert.Equal("local", (await bystander.ReadResponseAsync()).Text);
            // Two connections whose requests wait on node B's handler.
            await using var first = await ConnectAsync(server);
            await using var second = await ConnectAsync(server);
            await first.SendAsync("PUT /remote/a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
            await second.SendAsync("GET /remote/b HTTP/1.1\r\nHost: x\r\n\r\n");
            var waiting = new[] { await probe.ExpectMsgAsync<string>(TimeSpan.FromSeconds(10)), await probe.ExpectMsgAsync<string>(TimeSpan.FromSeconds(10)) };
            Assert.Equal(["/remote/a", "/remote/b"], waiting.Order());

            // The cut: nothing from or to B reaches A any more, then B's system goes, without leaving.
            var cut = await ((ExtendedActorSystem)Sys).Provider.AsRemote().Transport
                .ManagementCommand(new SetThrottle(addressB, ThrottleTransportAdapter.Direction.Both, Blackhole.Instance));
            Assert.True(cut);
            var clock = Stopwatch.StartNew();
            RawResponse[] answers = [];
            // The remote watcher's own line: B was declared dead by the failure detector, not by a notice from B.
            await EventFilter.Warning(contains: "Detected unreachable").ExpectOneAsync(HandlerTimeout, async () =>
            {
                await nodeB.Terminate();
                answers = await Task.WhenAll(
                    first.ReadResponseAsync("PUT", HandlerTimeout + TimeSpan.FromSeconds(10)),
                    second.ReadResponseAsync(timeout: HandlerTimeout + TimeSpan.FromSeconds(10)));
            });
            Output.WriteLine($"503s after {clock.Elapsed.TotalSeconds:F1} s");
            Assert.All(answers, a => Assert.Equal(503, a.Status));
            // Death watch, not the deadline: the failure detector's Terminated came well before request-timeout.
            Assert.True(clock.Elapsed < HandlerTimeout - TimeSpan.FromSeconds(5), $"503 after {clock.Elapsed}");

            // No connection hangs: those that waited serve their next request, and the bystander was untouched.
            foreach (var connection in new[] { first, second, bystander })
            {
                await connection.SendAsync("GET /local HTTP/1.1\r\nHost: x\r\n\r\n");
                Assert.Equal("local", (await connection.ReadResponseAsync()).Text);
            }
        }
        finally
        {
            await nodeB.Terminate();
        }
    }
}

internal static class RemoteProviderExtensions
{
    /// <summary>The remote provider of a system whose <c>akka.actor.provider</c> is remote or cluster.</summary>
    public static Akka.Remote.IRemoteActorRefProvider AsRemote(this IActorRefProvider provider) =>
        (Akka.Remote.IRemoteActorRefProvider)provider;
}
