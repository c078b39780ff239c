using System.Net;
using ActorHttp;
using ActorHttp.Server;
using Akka;
using Akka.Actor;
using Akka.Cluster;

namespace ClusterKv.Tests;

/// <summary>
/// <c>GET /healthz</c> of one ClusterKv node in this process: 503 until the node is Up, then 200, and 503 again from the
/// moment it starts to leave while its server still serves.
/// </summary>
public sealed class HealthTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TestCluster.DataDirectory _data = new();
    private ActorSystem? _system;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_system is not null)
            await CoordinatedShutdown.Get(_system).Run(CoordinatedShutdown.ClrExitReason.Instance).WaitAsync(TimeSpan.FromSeconds(30));
        _data.Dispose();
    }

    // One node, not in any cluster until the test joins it: its HTTP client.
    private async Task<HttpClient> StartNodeAsync(string? overrides = null)
    {
        KvApp.PrepareDataFile(_data.File);
        var options = new Options("127.0.0.1", 0, 0, [], _data.File);   // no seeds: it stays out of any cluster until told
        _system = ActorSystem.Create(Options.SystemName, KvApp.BuildConfig(options, TestCluster.Hocon + "\n" + (overrides ?? "")));
        Http.Get(_system);
        var (_, node) = KvApp.Start(_system, options);
        var binding = await node.Ask<HttpServerActor.Binding>(HttpServerActor.GetBinding.Instance, TimeSpan.FromSeconds(10));
        return new HttpClient { BaseAddress = new Uri($"http://{binding.LocalEndPoint}"), Timeout = TimeSpan.FromSeconds(20) };
    }

    [Fact]
    public async Task Healthz_is_503_before_the_node_is_Up_and_200_once_it_is()
    {
        using var http = await StartNodeAsync();

        using (var before = await http.GetAsync("/healthz")) Assert.Equal(HttpStatusCode.ServiceUnavailable, before.StatusCode);
        var cluster = Akka.Cluster.Cluster.Get(_system);
        await cluster.JoinAsync(cluster.SelfAddress).WaitAsync(TimeSpan.FromSeconds(20));
        // JoinAsync completes on the MemberUp event; Cluster.SelfMember (what /healthz reads) is the cluster's read view,
        // updated by its own subscriber a moment later. It failed once when asked at once: it must turn 200, not be 200.
        await TestCluster.EventuallyAsync("/healthz 200 after Up", TimeSpan.FromSeconds(20), async () =>
        {
            using var up = await http.GetAsync("/healthz");
            return up.StatusCode == HttpStatusCode.OK;
        });
    }

    [Fact]
    public async Task Healthz_is_503_while_the_node_leaves_before_its_server_unbinds()
    {
        // The leave's CoordinatedShutdown is held in its first phase (before-service-unbind) until the test has looked:
        // the server is still bound there, so what answers is /healthz, not a refused connection. The phase's timeout is
        // raised so that Akka does not move on without the hold (its default is 5 s).
        using var http = await StartNodeAsync("akka.coordinated-shutdown.phases.before-service-unbind.timeout = 60s");
        var system = _system!;
        var cluster = Cluster.Get(system);
        await cluster.JoinAsync(cluster.SelfAddress).WaitAsync(TimeSpan.FromSeconds(20));
        await TestCluster.EventuallyAsync("/healthz 200 after Up", TimeSpan.FromSeconds(20), async () =>
        {
            using var up = await http.GetAsync("/healthz");
            return up.StatusCode == HttpStatusCode.OK;
        });
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "test-hold", async () =>
        {
            held.TrySetResult();
            await release.Task;
            return Done.Instance;
        });
        var left = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        system.ActorOf(Props.Create(() => new SelfLeft(cluster.SelfAddress, left)));

        // A graceful leave as an operator or Akka.Management starts it: the cluster's Leave, not the process's SIGTERM.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        cluster.Leave(cluster.SelfAddress);
        await left.Task.WaitAsync(TimeSpan.FromSeconds(20));
        output.WriteLine($"left after {clock.Elapsed.TotalSeconds:F1} s");
        // The event comes from the cluster's gossip; Cluster.SelfMember (what /healthz reads) is the read view, updated
        // by its own subscriber a moment later: it must turn 503, while the node is leaving and its server serves.
        string seen = "";
        await TestCluster.EventuallyAsync("/healthz 503 while leaving", TimeSpan.FromSeconds(20), async () =>
        {
            using var leaving = await http.GetAsync("/healthz");
            seen = await leaving.Content.ReadAsStringAsync();
            return leaving.StatusCode == HttpStatusCode.ServiceUnavailable;
        });
        output.WriteLine($"/healthz 503 ({seen}) after {clock.Elapsed.TotalSeconds:F1} s");
        await held.Task.WaitAsync(TimeSpan.FromSeconds(20));
        output.WriteLine($"shutdown held after {clock.Elapsed.TotalSeconds:F1} s");
        Assert.False(system.WhenTerminated.IsCompleted, "the node exited before /healthz was seen 503");
        Assert.Contains(seen, new[] { "Leaving", "Exiting", "Removed", "shutting down" });

        release.SetResult();
        await system.WhenTerminated.WaitAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"terminated after {clock.Elapsed.TotalSeconds:F1} s");
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("/healthz"));
    }

    // Completes Left when this node's own member is seen Leaving (MemberLeft) or beyond.
    private sealed class SelfLeft : ReceiveActor
    {
        public SelfLeft(Address self, TaskCompletionSource left)
        {
            Receive<ClusterEvent.IMemberEvent>(e =>
            {
                if (e.Member.Address.Equals(self) && e is ClusterEvent.MemberLeft or ClusterEvent.MemberExited or ClusterEvent.MemberRemoved)
                    left.TrySetResult();
            });
            Receive<ClusterEvent.CurrentClusterState>(_ => { });
        }

        protected override void PreStart() => Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent));

        protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);
    }
}
