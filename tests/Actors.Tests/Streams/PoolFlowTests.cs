using System.Net;
using System.Net.Sockets;
using ActorHttp.Actors.Tests.Client.Loopback;
using ActorHttp.Actors.Tests.Support.Peers;
using ActorHttp.Client;
using ActorHttp.Streams;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Akka.Util;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Streams;

/// <summary>
/// Host pools as flows against loopback servers: 10,000 requests through eight connections with no overflow, failures as
/// failed results that do not fail the stream, and demand that follows the pool's free slots.
/// </summary>
public abstract class PoolFlowTests(ITestOutputHelper output, bool onLoops) : TransportTestBase(output, onLoops)
{
    private IMaterializer Materializer => Sys.Materializer();

    [Fact]
    public async Task Ten_thousand_requests_through_a_flow_of_eight_connections_all_complete_with_no_overflow()
    {
        const int count = 10_000;
        await using var peer = await KestrelPeer.StartAsync();
        // max-pending-requests = 1: a flow that let requests queue in the pool behind busy connections would trip it.
        var transport = NewTransport("""
            actorhttp.client.max-conns-per-host = 8
            actorhttp.client.max-pending-requests = 1
            """);
        var seen = new bool[count];
        var failures = new List<string>();
        await Source.From(Enumerable.Range(0, count))
            .Select(i => (ClientRequest.Get(peer.Url($"/plaintext?i={i}")), i))
            .Via(transport.HostConnectionPool<int>(peer.BaseAddress))
            .RunForeach(result =>
            {
                var (response, i) = result;
                if (!response.IsSuccess) failures.Add($"{i}: {response.Exception}");
                else
                {
                    using var r = response.Value!;
                    if (r.StatusCode != 200) failures.Add($"{i}: status {r.StatusCode}");
                }
                if (seen[i]) failures.Add($"{i}: answered twice");
                seen[i] = true;
            }, Materializer).WaitAsync(TimeSpan.FromSeconds(180));
        Assert.Empty(failures);
        Assert.All(seen, Assert.True);
        Assert.InRange(peer.Connections.Accepted, 1, 8);
    }

    [Fact]
    public async Task Failures_come_back_as_failed_results_and_the_stream_goes_on()
    {
        await using var peer = await KestrelPeer.StartAsync();
        var deadPort = FreePort();
        var transport = NewTransport();
        var results = await Source.From(Enumerable.Range(0, 20))
            .Select(i => (ClientRequest.Get(i % 2 == 0 ? peer.Url("/plaintext") : new Uri($"http://127.0.0.1:{deadPort}/")), i))
            .Via(transport.SuperPool<int>())
            .RunWith(Sink.Seq<(Result<ClientResponse>, int)>(), Materializer).WaitAsync(Deadline);
        Assert.Equal(Enumerable.Range(0, 20), results.Select(r => r.Item2).Order());
        foreach (var (result, i) in results)
        {
            if (i % 2 == 0)
            {
                Assert.True(result.IsSuccess, result.Exception?.ToString());
                using var response = result.Value!;
                Assert.Equal(200, response.StatusCode);
            }
            else
            {
                var error = Assert.IsType<HttpClientException>(result.Exception);
                Assert.Equal(ClientErrorKind.Dial, error.Kind);
            }
        }
    }

    [Fact]
    public async Task A_request_for_another_origin_is_a_failed_result()
    {
        await using var peer = await KestrelPeer.StartAsync();
        var transport = NewTransport();
        var results = await Source.From([(ClientRequest.Get("http://127.0.0.1:1/elsewhere"), 1), (ClientRequest.Get(peer.Url("/plaintext")), 2)])
            .Via(transport.HostConnectionPool<int>(peer.BaseAddress))
            .RunWith(Sink.Seq<(Result<ClientResponse>, int)>(), Materializer).WaitAsync(Deadline);
        var refused = results.Single(r => r.Item2 == 1).Item1;
        Assert.Equal(ClientErrorKind.InvalidRequest, Assert.IsType<HttpClientException>(refused.Exception).Kind);
        using var ok = results.Single(r => r.Item2 == 2).Item1.Value!;
        Assert.Equal(200, ok.StatusCode);
    }

    [Fact]
    public async Task The_flow_pulls_a_request_only_when_a_slot_frees()
    {
        await using var server = new BulkServer(8 * 1024 * 1024);
        var transport = NewTransport("actorhttp.client.max-conns-per-host = 2");
        // The requests are made by a source fused with the flow (no buffer between them): each one made is one pull.
        int pulled = 0;
        var subscriber = Source.From(Enumerable.Range(0, 1000))
            .Select(i =>
            {
                Interlocked.Increment(ref pulled);
                return (ClientRequest.Get(server.Url("/")), i);
            })
            .Via(transport.HostConnectionPool<int>(new Uri($"http://127.0.0.1:{server.EndPoint.Port}")))
            .RunWith(this.SinkProbe<(Result<ClientResponse>, int)>(), Materializer);
        subscriber.Request(10);
        var first = await subscriber.ExpectNextAsync(Deadline);
        var second = await subscriber.ExpectNextAsync(Deadline);
        // Both slots are held by bodies nobody has read (8 MiB each: their connections are busy), and the flow has run since
        // it pulled them (it emitted both): it pulled two, and no more, though the subscriber asks for ten.
        Assert.Equal(2, Volatile.Read(ref pulled));
        Assert.Equal(new[] { 0, 1 }, new[] { first.Item2, second.Item2 }.Order().ToArray());
        await first.Item1.Value!.DiscardBytes().WaitAsync(Deadline);
        // The freed slot is taken by exactly one more request.
        var third = await subscriber.ExpectNextAsync(Deadline);
        Assert.Equal(2, third.Item2);
        Assert.Equal(3, Volatile.Read(ref pulled));
        subscriber.Cancel();
        // Disposed with most of 8 MiB unread: past the drain bound, so both connections close.
        second.Item1.Value!.Dispose();
        third.Item1.Value!.Dispose();
        await server.Connections.WaitForClosedAsync(2).WaitAsync(Deadline);
        Assert.Equal(2, server.Connections.Accepted);
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>Plain-HTTP connections on the event loops.</summary>
    public sealed class OnLoops(ITestOutputHelper output) : PoolFlowTests(output, onLoops: true);

    /// <summary>Plain-HTTP connections as streams on the default dispatcher.</summary>
    public sealed class OnStreams(ITestOutputHelper output) : PoolFlowTests(output, onLoops: false);
}
