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
    public async Task Bodies_above_the_inline_limit_fail_typed_naming_the_limit()
    {
        await using var peer = await ClusterPoolPeer.StartAsync();
        await using (var nodes = await ClusterPoolNodes.StartAsync(2))
        {
            using (var first = await nodes.SendAsync(0, ClientRequest.Get(peer.Url("/hello"))).WaitAsync(Deadline))
                Assert.Equal("hello", await first.ReadAsStringAsync());
            int limit = Http.Get(nodes.Systems[0]).ClusterSettings.MaxInlineBody;

            // A request body one byte over: refused on the caller's node, nothing sent.
            var tooLarge = new ClientRequest("POST", peer.Url("/echo")) { Content = RequestContent.FromBytes(new byte[limit + 1]) };
            var sent = await Assert.ThrowsAsync<HttpClientException>(() => nodes.SendAsync(1, tooLarge).WaitAsync(Deadline));
            Assert.Equal(ClientErrorKind.BodyTooLarge, sent.Kind);
            Assert.False(sent.RequestWritten);
            Assert.Contains("max-inline-body", sent.Message);
            Assert.Contains($"{limit + 1} bytes", sent.Message);

            // A streamed request body cannot cross either.
            var streamed = new ClientRequest("POST", peer.Url("/echo")) { Content = RequestContent.FromStream(new MemoryStream(new byte[10])) };
            var streamedError = await Assert.ThrowsAsync<HttpClientException>(() => nodes.SendAsync(1, streamed).WaitAsync(Deadline));
            Assert.Equal(ClientErrorKind.RequestContent, streamedError.Kind);

            // A response body one byte over: the pool's node reads no further and fails the request, typed, on the caller's node.
            var received = await Assert.ThrowsAsync<HttpClientException>(() => nodes.SendAsync(1, ClientRequest.Get(peer.Url($"/bytes/{limit + 1}"))).WaitAsync(Deadline));
            Assert.Equal(ClientErrorKind.BodyTooLarge, received.Kind);
            Assert.True(received.RequestWritten);
            Assert.Contains("max-inline-body", received.Message);

            // Exactly the limit travels.
            using (var atLimit = await nodes.SendAsync(1, ClientRequest.Get(peer.Url($"/bytes/{limit}"))).WaitAsync(Deadline))
                Assert.Equal(limit, (await atLimit.ReadAsByteArrayAsync()).Length);
        }
        await peer.Connections.WaitForAllClosedAsync().WaitAsync(Deadline);
    }
}
