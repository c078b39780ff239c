using ActorHttp.Client;
using ActorHttp.Client.Cluster;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Remote.Transport;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.ClusterTests;

/// <summary>
/// The node of a cluster-wide pool goes away while requests from another node wait on it: three actor systems in one cluster on
/// 127.0.0.1, the pool on node 0, a Kestrel whose <c>/hold</c> requests answer only when the test lets them, so the pool's two
/// connections are busy and two more requests wait in its queue. Abruptly: the requests fail, typed (PoolNodeLost), once the
/// split-brain resolver has downed the node, and the next request is served by the pool on a surviving node. Gracefully: the
/// waiting requests go to the pool's new node, and every request is answered, the cluster-wide cap kept through the hand-over.
/// </summary>
public sealed class ClusterPoolNodeLossTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_dead_pool_node_fails_its_requests_with_PoolNodeLost_and_the_pool_comes_back_on_a_survivor()
    {
        await using var peer = await ClusterPoolPeer.StartAsync();
        await using (var nodes = await ClusterPoolNodes.StartAsync(3))
        {
            using (var first = await nodes.SendAsync(0, ClientRequest.Get(peer.Url("/hello"))).WaitAsync(Deadline))
                Assert.Equal("hello", await first.ReadAsStringAsync());
            var held = Enumerable.Range(0, 4).Select(i => nodes.SendAsync(1, ClientRequest.Get(peer.Url($"/hold?n={i}")))).ToArray();
            // Two reach the server (max-conns-per-host = 2); the other two wait in the pool on node 0.
            await peer.Held.ReadAsync().AsTask().WaitAsync(Deadline);
            await peer.Held.ReadAsync().AsTask().WaitAsync(Deadline);

            var removed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var dead = Akka.Cluster.Cluster.Get(nodes.Systems[0]).SelfAddress;
            var watcher = nodes.Systems[1].ActorOf(Props.Create(() => new RemovedWatcher(dead, removed)));
            // Node 0 dies: nothing from it reaches the others any more, then its system goes, without leaving.
            foreach (var survivor in nodes.Systems[1..])
                Assert.True(await ((ExtendedActorSystem)survivor).Provider.AsRemote().Transport
                    .ManagementCommand(new SetThrottle(dead, ThrottleTransportAdapter.Direction.Both, Blackhole.Instance)));
            await nodes.Systems[0].Terminate();

            foreach (var call in held)
            {
                var error = await Assert.ThrowsAsync<HttpClientException>(() => call.WaitAsync(Deadline));
                Assert.Equal(ClientErrorKind.PoolNodeLost, error.Kind);
                Assert.True(error.RequestWritten);   // unknown, so reported as written
                Assert.True(error.IsRetryable);      // a GET may be sent again
            }
            await removed.Task.WaitAsync(Deadline);
            output.WriteLine($"node 0 removed; connections: {peer.Connections}");

            // The next request finds the pool on a survivor (the allocation strategy puts it on the requester's node).
            using (var again = await nodes.SendAsync(1, ClientRequest.Get(peer.Url("/hello"))).WaitAsync(Deadline))
                Assert.Equal("hello", await again.ReadAsStringAsync());
            var entities = await ClusterPoolTests.EntitiesAsync(nodes.Systems[1]);
            Assert.Equal([$"http://127.0.0.1:{peer.BaseAddress.Port}"], entities);
            nodes.Systems[1].Stop(watcher);
        }
        await peer.Connections.WaitForAllClosedAsync().WaitAsync(Deadline);
    }

    [Fact]
    public void PoolNodeLost_is_retryable_for_idempotent_requests_only()
    {
        var get = new HttpClientException(ClientErrorKind.PoolNodeLost, "lost", ClientRequest.Get("http://x/"), requestWritten: true);
        var post = new HttpClientException(ClientErrorKind.PoolNodeLost, "lost", new ClientRequest("POST", new Uri("http://x/")), requestWritten: true);
        Assert.True(get.IsRetryable);
        Assert.False(post.IsRetryable);
    }

    [Fact]
    public async Task A_leaving_pool_node_hands_its_waiting_requests_to_the_new_pool_and_every_request_is_answered()
    {
        await using var peer = await ClusterPoolPeer.StartAsync();
        await using (var nodes = await ClusterPoolNodes.StartAsync(3))
        {
            using (var first = await nodes.SendAsync(0, ClientRequest.Get(peer.Url("/hello"))).WaitAsync(Deadline))
                Assert.Equal("hello", await first.ReadAsStringAsync());
            var handingOver = new TaskCompletionSource<ClusterHostPool.HandingOver>(TaskCreationOptions.RunContinuationsAsynchronously);
            var listener = nodes.Systems[0].ActorOf(Props.Create(() => new HandOverListener(handingOver)));
            nodes.Systems[0].EventStream.Subscribe(listener, typeof(ClusterHostPool.HandingOver));
            var calls = Enumerable.Range(0, 4).Select(i => nodes.SendAsync(1, ClientRequest.Get(peer.Url($"/hold?n={i}")))).ToArray();
            await peer.Held.ReadAsync().AsTask().WaitAsync(Deadline);
            await peer.Held.ReadAsync().AsTask().WaitAsync(Deadline);
            Assert.Equal(2, peer.Connections.Accepted);

            // Node 0 leaves: its shard hands over, the pool gives back its two waiting requests and waits for its two running ones.
            var leaving = Akka.Cluster.Cluster.Get(nodes.Systems[0]).LeaveAsync();
            var handOver = await handingOver.Task.WaitAsync(Deadline);
            Assert.InRange(handOver.Held, 2, 4);   // the two running, and the two waiting unless they arrive after the hand-over began
            peer.Release();

            foreach (var call in calls)
            {
                using var response = await call.WaitAsync(Deadline);
                Assert.Equal("held", await response.ReadAsStringAsync());
            }
            await leaving.WaitAsync(Deadline);
            output.WriteLine($"connections: {peer.Connections}, at most {peer.MaxOpen} open at once");
            // The two given back ran on the new pool's connections, dialed once the old pool had stopped with its own.
            Assert.True(peer.Connections.Accepted >= 3, $"{peer.Connections.Accepted} connections: the waiting requests did not move");
            Assert.True(peer.MaxOpen <= 2, $"{peer.MaxOpen} connections were open at once during the hand-over");
            var entities = await Task.WhenAll(nodes.Systems[1..].Select(ClusterPoolTests.EntitiesAsync));
            Assert.Equal([$"http://127.0.0.1:{peer.BaseAddress.Port}"], entities.SelectMany(e => e));
        }
        await peer.Connections.WaitForAllClosedAsync().WaitAsync(Deadline);
    }

    private sealed class RemovedWatcher : ReceiveActor
    {
        public RemovedWatcher(Address node, TaskCompletionSource removed)
        {
            Receive<ClusterEvent.MemberRemoved>(m =>
            {
                if (m.Member.Address == node) removed.TrySetResult();
            });
            Receive<ClusterEvent.CurrentClusterState>(_ => { });
            Receive<ClusterEvent.IMemberEvent>(_ => { });
        }

        protected override void PreStart() =>
            Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberRemoved));

        protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
    }

    private sealed class HandOverListener : ReceiveActor
    {
        public HandOverListener(TaskCompletionSource<ClusterHostPool.HandingOver> seen) =>
            Receive<ClusterHostPool.HandingOver>(m => seen.TrySetResult(m));
    }
}
