using ActorHttp.Client;
using ActorHttp.Client.Cluster;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.ClusterTests;

/// <summary>
/// Cluster-wide host pools (<c>actorhttp.client.cluster-pools = on</c>): three actor systems in one cluster on 127.0.0.1, each with
/// its own transport, all calling one Kestrel that counts its connections. The host's pool lives on node 0 (the tests' allocation
/// strategy), so nodes 1 and 2 reach it across nodes.
/// </summary>
// One multi-node cluster at a time: on a busy machine two would slow each other into false failure detections.
[Collection(ClusterPoolNodes.Collection)]
public sealed class ClusterPoolTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Three_nodes_share_max_conns_per_host_and_every_request_is_answered()
    {
        await using var peer = await ClusterPoolPeer.StartAsync();
        await using (var nodes = await ClusterPoolNodes.StartAsync(3))
        {
            // The first request comes from the pool's node, so the shard is allocated with its region known.
            using (var first = await nodes.SendAsync(0, ClientRequest.Get(peer.Url("/hello"))).WaitAsync(Deadline))
                Assert.Equal("hello", await first.ReadAsStringAsync());

            const int perNode = 40;
            var calls = Enumerable.Range(0, 3).SelectMany(node => Enumerable.Range(0, perNode).Select(async i =>
            {
                using var response = await nodes.SendAsync(node, ClientRequest.Get(peer.Url($"/hello?n={node}-{i}"))).WaitAsync(Deadline);
                return (response.StatusCode, Body: await response.ReadAsStringAsync(), response.Request.Uri.Query);
            })).ToArray();
            var answers = await Task.WhenAll(calls);

            Assert.All(answers, a => Assert.Equal((200, "hello"), (a.StatusCode, a.Body)));
            // Each caller gets the response to its own request back.
            Assert.Equal(3 * perNode, answers.Select(a => a.Query).Distinct().Count());
            output.WriteLine($"connections: {peer.Connections}, at most {peer.MaxOpen} open at once");
            Assert.True(peer.MaxOpen <= 2, $"{peer.MaxOpen} connections were open at once; max-conns-per-host is 2 for the whole cluster");
            Assert.True(peer.Connections.Accepted <= 2, $"{peer.Connections.Accepted} connections were dialed; the cluster's one pool reuses its 2");

            // The one pool is on node 0: its region holds the host's entity, the other nodes' regions none.
            var entities = await Task.WhenAll(nodes.Systems.Select(EntitiesAsync));
            Assert.Equal([$"http://127.0.0.1:{peer.BaseAddress.Port}"], entities[0]);
            Assert.Empty(entities[1]);
            Assert.Empty(entities[2]);
        }
        // The transports and their systems are gone: so is every connection.
        await peer.Connections.WaitForAllClosedAsync().WaitAsync(Deadline);
    }

    /// <summary>The cluster-wide pools whose entities live on <paramref name="system"/>.</summary>
    internal static async Task<string[]> EntitiesAsync(ActorSystem system) =>
        (await ClusterSharding.Get(system).ShardRegion(ClusterPoolClient.TypeName)
            .Ask<CurrentShardRegionState>(GetShardRegionState.Instance, Deadline)).Shards.SelectMany(s => s.EntityIds).ToArray();

    [Fact]
    public async Task A_request_from_another_node_goes_through_the_pools_node_with_its_body_both_ways()
    {
        await using var peer = await ClusterPoolPeer.StartAsync();
        await using (var nodes = await ClusterPoolNodes.StartAsync(2))
        {
            using (var first = await nodes.SendAsync(0, ClientRequest.Get(peer.Url("/hello"))).WaitAsync(Deadline))
                Assert.Equal("hello", await first.ReadAsStringAsync());
            var body = Enumerable.Range(0, 64 * 1024).Select(i => (byte)i).ToArray();
            var request = new ClientRequest("POST", peer.Url("/echo")) { Content = RequestContent.FromBytes(body) }.WithHeader("X-Test", "a");

            using var response = await nodes.SendAsync(1, request).WaitAsync(Deadline);

            Assert.Equal(200, response.StatusCode);
            Assert.Same(request, response.Request);
            Assert.Equal(body, await response.ReadAsByteArrayAsync());
            // Node 1 opened no connection of its own: the one the pool dialed for node 0's request served it.
            Assert.Equal(1, peer.Connections.Accepted);
        }
        await peer.Connections.WaitForAllClosedAsync().WaitAsync(Deadline);
    }

    [Fact]
    public async Task Pools_are_never_passivated_as_idle_since_their_requests_bypass_the_shard()
    {
        await using var nodes = await ClusterPoolNodes.StartAsync(1);
        var settings = ClusterPoolClient.ShardingSettings(nodes.Systems[0]);
        Assert.Equal(TimeSpan.Zero, settings.PassivateIdleEntityAfter);
        Assert.Equal(TimeSpan.FromSeconds(120), ClusterShardingSettings.Create(nodes.Systems[0]).PassivateIdleEntityAfter);   // Akka's default
    }

    [Fact]
    public async Task HttpClient_posts_a_streamed_body_through_the_pool_on_another_node()
    {
        await using var peer = await ClusterPoolPeer.StartAsync();
        await using (var nodes = await ClusterPoolNodes.StartAsync(2))
        {
            using (var first = await nodes.SendAsync(0, ClientRequest.Get(peer.Url("/hello"))).WaitAsync(Deadline))
                Assert.Equal("hello", await first.ReadAsStringAsync());
            using var http = new HttpClient(new ActorHttpHandler(nodes.Transports[1], new ClientOptions(10, false, "cluster-pool-test", TimeSpan.Zero)))
                { Timeout = Deadline };
            var body = Enumerable.Range(0, 30_000).Select(i => (byte)(i * 7)).ToArray();

            using var response = await http.PostAsync(peer.Url("/echo"), new StreamContent(new MemoryStream(body)));

            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
            Assert.Equal(1, peer.Connections.Accepted);
        }
        await peer.Connections.WaitForAllClosedAsync().WaitAsync(Deadline);
    }

    [Fact]
    public async Task Bodies_one_byte_above_the_inline_limit_stream_both_ways_and_bodies_at_the_limit_travel_inline()
    {
        await using var peer = await ClusterPoolPeer.StartAsync();
        await using (var nodes = await ClusterPoolNodes.StartAsync(2))
        {
            using (var first = await nodes.SendAsync(0, ClientRequest.Get(peer.Url("/hello"))).WaitAsync(Deadline))
                Assert.Equal("hello", await first.ReadAsStringAsync());
            int limit = Http.Get(nodes.Systems[0]).ClusterSettings.MaxInlineBody;
            var body = Enumerable.Range(0, limit + 1).Select(i => (byte)(i * 13)).ToArray();

            // A request body one byte over, in memory and read on demand: each streams to the pool's node, and its echo streams back.
            foreach (var content in new[] { RequestContent.FromBytes(body), RequestContent.FromStream(new MemoryStream(body)) })
            {
                using var echoed = await nodes.SendAsync(1, new ClientRequest("POST", peer.Url("/echo")) { Content = content }).WaitAsync(Deadline);
                Assert.Equal(body, await echoed.ReadAsByteArrayAsync());
            }

            // Exactly the limit, both ways, travels inline: the body that arrives is whole in memory.
            using (var atLimit = await nodes.SendAsync(1, new ClientRequest("POST", peer.Url("/echo")) { Content = RequestContent.FromBytes(body.AsMemory(0, limit)) }).WaitAsync(Deadline))
            {
                Assert.IsType<MemoryStream>(atLimit.Body);
                Assert.Equal(body[..limit], await atLimit.ReadAsByteArrayAsync());
            }
            // One byte over: streamed, not in memory.
            using (var over = await nodes.SendAsync(1, ClientRequest.Get(peer.Url($"/bytes/{limit + 1}"))).WaitAsync(Deadline))
            {
                Assert.IsNotType<MemoryStream>(over.Body);
                Assert.Equal(limit + 1, (await over.ReadAsByteArrayAsync()).Length);
            }
            Assert.Equal(1, peer.Connections.Accepted);   // every body, streamed or not, went through the pool's one connection
        }
        await peer.Connections.WaitForAllClosedAsync().WaitAsync(Deadline);
    }
}
