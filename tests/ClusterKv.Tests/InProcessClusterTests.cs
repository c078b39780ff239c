using System.Net;
using ActorHttp;
using ActorHttp.Server;
using Akka.Actor;
using Xunit.Abstractions;

namespace ClusterKv.Tests;

/// <summary>
/// Two ClusterKv nodes in this process, made by the sample's own composition (<see cref="KvApp"/>): two actor systems
/// joined into one Akka cluster over real sockets on 127.0.0.1, each with its HTTP server, sharing one SQLite file.
/// </summary>
public sealed class InProcessClusterTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TestCluster.DataDirectory _data = new();
    private readonly List<(ActorSystem System, HttpClient Http)> _nodes = [];

    public async Task InitializeAsync()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        KvApp.PrepareDataFile(_data.File);
        for (int i = 0; i < 2; i++)
        {
            // Port 0 for both: the OS picks; the nodes join by address below instead of through seed-nodes.
            var options = new Options("127.0.0.1", 0, 0, [], _data.File);
            var system = ActorSystem.Create(Options.SystemName, KvApp.BuildConfig(options, TestCluster.Hocon));
            Http.Get(system);
            var (_, node) = KvApp.Start(system, options);
            var binding = await node.Ask<HttpServerActor.Binding>(HttpServerActor.GetBinding.Instance, TimeSpan.FromSeconds(10));
            _nodes.Add((system, new HttpClient { BaseAddress = new Uri($"http://{binding.LocalEndPoint}"), Timeout = TimeSpan.FromSeconds(20) }));
        }
        var first = Akka.Cluster.Cluster.Get(_nodes[0].System);
        await first.JoinAsync(first.SelfAddress).WaitAsync(TimeSpan.FromSeconds(20));
        await Akka.Cluster.Cluster.Get(_nodes[1].System).JoinAsync(first.SelfAddress).WaitAsync(TimeSpan.FromSeconds(20));
        output.WriteLine($"two nodes up after {clock.Elapsed.TotalSeconds:F1} s");
    }

    public async Task DisposeAsync()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach (var (system, http) in _nodes)
        {
            http.Dispose();
            await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance).WaitAsync(TimeSpan.FromSeconds(30));
        }
        _data.Dispose();
        output.WriteLine($"both nodes down after {clock.Elapsed.TotalSeconds:F1} s");
    }

    private string Address(int node) => Akka.Cluster.Cluster.Get(_nodes[node].System).SelfAddress.ToString();

    private static string NodeOf(HttpResponseMessage response) => response.Headers.GetValues("X-Kv-Node").Single();

    [Fact]
    public async Task A_request_to_node_1_is_served_by_an_entity_on_node_2_and_read_back_through_either()
    {
        var (node1, node2) = (_nodes[0].Http, _nodes[1].Http);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.OK, (await node1.GetAsync("/healthz")).StatusCode);
        string members = await node1.GetStringAsync("/cluster/members");
        Assert.Contains($"\"address\":\"{Address(1)}\",\"status\":\"Up\"", members);

        // Keys spread over both nodes' shards: write through node 1 until one lands on node 2.
        string? remoteKey = null;
        for (int i = 0; i < 40 && remoteKey is null; i++)
        {
            using var put = await node1.PutAsync($"/kv/key-{i}", new StringContent($"value {i}"));
            if (put.StatusCode == HttpStatusCode.ServiceUnavailable) continue;   // not acknowledged: a starved machine
            Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
            if (NodeOf(put) == Address(1)) remoteKey = $"key-{i}";
        }
        Assert.NotNull(remoteKey);
        output.WriteLine($"{remoteKey} lives on {Address(1)} ({clock.Elapsed.TotalSeconds:F1} s)");

        foreach (var client in new[] { node1, node2 })
        {
            using var get = await client.GetAsync($"/kv/{remoteKey}");
            Assert.Equal((HttpStatusCode.OK, "value " + remoteKey[4..], Address(1)), (get.StatusCode, await get.Content.ReadAsStringAsync(), NodeOf(get)));
        }
        using (var delete = await node1.DeleteAsync($"/kv/{remoteKey}")) Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        using (var gone = await node2.GetAsync($"/kv/{remoteKey}")) Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        // The route's limit is the 64 KiB: one byte more is refused before any entity sees it.
        using (var big = await node1.PutAsync("/kv/big", new ByteArrayContent(new byte[64 * 1024 + 1])))
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
        using (var fits = await node1.PutAsync("/kv/big", new ByteArrayContent(new byte[64 * 1024])))
            Assert.Equal(HttpStatusCode.NoContent, fits.StatusCode);
    }

    [Fact]
    public async Task A_graceful_leave_under_load_loses_no_acknowledged_write()
    {
        var node1 = _nodes[0].Http;
        var acknowledged = new System.Collections.Concurrent.ConcurrentDictionary<string, (string Value, string Node)>();
        using var stop = new CancellationTokenSource();
        int refused = 0;
        async Task Writer(int w)
        {
            for (int n = 0; !stop.IsCancellationRequested; n++)
            {
                string key = $"w{w}-{n}", value = $"{w}:{n}:{Guid.NewGuid()}";
                using var put = await node1.PutAsync($"/kv/{key}", new StringContent(value));
                // Only a 204 is a promise; a 503 while a shard moves is a write the client knows did not happen.
                if (put.StatusCode == HttpStatusCode.NoContent) acknowledged[key] = (value, NodeOf(put));
                else Interlocked.Increment(ref refused);
            }
        }
        var writers = Enumerable.Range(0, 8).Select(Writer).ToArray();

        await TestCluster.EventuallyAsync("writes acknowledged by node 2's entities", TimeSpan.FromSeconds(20),
            () => Task.FromResult(acknowledged.Values.Count(a => a.Node == Address(1)) >= 20));
        string leaving = Address(1);
        var node2 = _nodes[1].System;
        await CoordinatedShutdown.Get(node2).Run(CoordinatedShutdown.ClusterLeavingReason.Instance).WaitAsync(TimeSpan.FromSeconds(30));
        await node2.WhenTerminated.WaitAsync(TimeSpan.FromSeconds(30));
        int atLeave = acknowledged.Count;
        await TestCluster.EventuallyAsync("writes after the leave", TimeSpan.FromSeconds(20),
            () => Task.FromResult(acknowledged.Count >= atLeave + 50));
        stop.Cancel();
        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"{acknowledged.Count} acknowledged ({acknowledged.Values.Count(a => a.Node == leaving)} on the node that left), {refused} refused");

        foreach (var (key, (value, _)) in acknowledged)
        {
            using var get = await node1.GetAsync($"/kv/{key}");
            Assert.Equal((HttpStatusCode.OK, value), (get.StatusCode, await get.Content.ReadAsStringAsync()));
        }
    }
}
