using System.Net;
using ActorHttp;
using ActorHttp.Server;
using Akka.Actor;

namespace ClusterKv.Tests;

/// <summary><c>GET /healthz</c> of one ClusterKv node in this process: 503 until the node is Up, then 200.</summary>
public sealed class HealthTests : IAsyncLifetime
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

    [Fact]
    public async Task Healthz_is_503_before_the_node_is_Up_and_200_once_it_is()
    {
        KvApp.PrepareDataFile(_data.File);
        var options = new Options("127.0.0.1", 0, 0, [], _data.File);   // no seeds: it stays out of any cluster until told
        _system = ActorSystem.Create(Options.SystemName, KvApp.BuildConfig(options, TestCluster.Hocon));
        Http.Get(_system);
        var (_, node) = KvApp.Start(_system, options);
        var binding = await node.Ask<HttpServerActor.Binding>(HttpServerActor.GetBinding.Instance, TimeSpan.FromSeconds(10));
        using var http = new HttpClient { BaseAddress = new Uri($"http://{binding.LocalEndPoint}"), Timeout = TimeSpan.FromSeconds(20) };

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
}
