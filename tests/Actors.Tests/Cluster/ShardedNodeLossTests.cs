using System.Collections.Immutable;
using System.Diagnostics;
using ActorHttp.Actors.Tests.Support;
using ActorHttp.Server;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using Akka.Remote.Transport;
using Xunit.Abstractions;
using static ActorHttp.Server.ActorHandler;

namespace ActorHttp.Actors.Tests.ClusterTests;

/// <summary>
/// A sharded route whose entity's node dies abruptly mid-request: a two-node Akka cluster on 127.0.0.1, the server
/// and a shard region on node A (this test kit's system), the entity on node B. Unlike a remote handler, the handler
/// the connection watches is the region on its own node, which lives on: the request ends with
/// <c>request-timeout</c>'s 503, and the connection and its neighbours serve on.
/// </summary>
public sealed class ShardedNodeLossTests(ITestOutputHelper output) : ServerTestBase(output, TestConfig.Server + Cluster)
{
    private static readonly TimeSpan HandlerTimeout = TimeSpan.FromSeconds(3);

    // No automatic downing: the test downs B itself once it has seen the 503, so that neither side's resolver races it.
    private const string Cluster = """

        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0, applied-adapters = [trttl] }
        akka.cluster.downing-provider-class = ""
        """;

    private sealed class Extractor() : HashCodeMessageExtractor(maxNumberOfShards: 10)
    {
        public override string EntityId(object message) => (message as ShardedHttpRequest)?.EntityId!;
        public override object EntityMessage(object message) => (message as ShardedHttpRequest)?.Request ?? message;
    }

    // Every shard goes to the region on node B: the entity is remote by construction.
    private sealed class OnNode(Address node) : IShardAllocationStrategy
    {
        public Task<IActorRef> AllocateShard(IActorRef requester, string shardId, IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations) =>
            Task.FromResult(currentShardAllocations.Keys.First(region => region.Path.Address == node));

        public Task<IImmutableSet<string>> Rebalance(IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations, IImmutableSet<string> rebalanceInProgress) =>
            Task.FromResult<IImmutableSet<string>>(ImmutableHashSet<string>.Empty);
    }

    // Tells the probe where it got the request and never answers.
    private sealed class Silent : ReceiveActor
    {
        public Silent(IActorRef probe) => Receive<HandleStrictRequest>(m => probe.Tell($"{Akka.Cluster.Cluster.Get(Context.System).SelfAddress} {m.Target}"));
    }

    [Fact]
    public async Task A_request_on_a_lost_entity_node_gets_the_deadlines_503_and_the_connections_serve_on()
    {
        var probe = CreateTestProbe();
        // B's termination skips CoordinatedShutdown: a dead node does not leave, and its leave could not complete anyway.
        var nodeB = ActorSystem.Create(Sys.Name, ConfigurationFactory.ParseString(
            Cluster + "\nakka.coordinated-shutdown.run-by-actor-system-terminate = off"));
        try
        {
            Http.Get(nodeB);
            var (clusterA, clusterB) = (Akka.Cluster.Cluster.Get(Sys), Akka.Cluster.Cluster.Get(nodeB));
            await clusterA.JoinAsync(clusterA.SelfAddress).WaitAsync(TimeSpan.FromSeconds(20));
            await clusterB.JoinAsync(clusterA.SelfAddress).WaitAsync(TimeSpan.FromSeconds(20));
            var addressB = clusterB.SelfAddress;
            var regions = new List<IActorRef>();
            foreach (var system in new[] { Sys, nodeB })
            {
                var sharding = ClusterSharding.Get(system);   // first: it adds the sharding reference config the settings read
                var settings = ClusterShardingSettings.Create(system);
                regions.Add(await sharding.StartAsync("kv", _ => Props.Create(() => new Silent(probe.Ref)),
                    settings, new Extractor(), new OnNode(addressB), PoisonPill.Instance));
            }
            // Node B's region must be known to the coordinator before a shard can be allocated to it.
            await AwaitAssertAsync(async () => Assert.Contains(addressB,
                (await regions[0].Ask<CurrentRegions>(GetCurrentRegions.Instance, TimeSpan.FromSeconds(5))).Regions), TimeSpan.FromSeconds(20));
            var server = await StartAsync(new ServeMux()
                    .Handle("/kv/{key}", ShardedRoute(regions[0], EntityIdFromPathValue("key")))
                    .HandleFunc("/local", (w, _) => w.WriteAsync("local").AsTask()),
                Settings with { RequestTimeout = HandlerTimeout });

            await using var bystander = await ConnectAsync(server);
            await bystander.SendAsync("GET /local HTTP/1.1\r\nHost: x\r\n\r\n");
            Assert.Equal("local", (await bystander.ReadResponseAsync()).Text);
            await using var waiting = await ConnectAsync(server);
            var clock = Stopwatch.StartNew();
            await waiting.SendAsync("PUT /kv/a HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nx");
            await probe.ExpectMsgAsync($"{addressB} /kv/a", TimeSpan.FromSeconds(20));   // B's entity has it

            var cut = await ((ExtendedActorSystem)Sys).Provider.AsRemote().Transport
                .ManagementCommand(new SetThrottle(addressB, ThrottleTransportAdapter.Direction.Both, Blackhole.Instance));
            Assert.True(cut);
            await nodeB.Terminate();

            var answer = await waiting.ReadResponseAsync("PUT", HandlerTimeout + TimeSpan.FromSeconds(15));
            Output.WriteLine($"503 {clock.Elapsed.TotalSeconds:F1} s after the request");
            Assert.Equal(503, answer.Status);
            // The deadline's 503: nothing told the connection earlier (its handler, the local region, is alive).
            Assert.True(clock.Elapsed >= HandlerTimeout - TimeSpan.FromMilliseconds(100), $"503 after {clock.Elapsed}");
            foreach (var connection in new[] { waiting, bystander })
            {
                await connection.SendAsync("GET /local HTTP/1.1\r\nHost: x\r\n\r\n");
                Assert.Equal("local", (await connection.ReadResponseAsync()).Text);
            }
            // B is gone for good: downing it lets this node leave cleanly when the test kit shuts it down.
            clusterA.Down(addressB);
        }
        finally
        {
            await nodeB.Terminate();
        }
    }
}
