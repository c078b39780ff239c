using ActorHttp.Actors.Tests.Support.Peers;
using ActorHttp.Client;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Client.Loopback;

/// <summary>The transport against Kestrel: keep-alive reuse, bodies both ways, streaming, the facade and HttpClient on top.</summary>
public abstract class KestrelLoopbackTests(ITestOutputHelper output, bool onLoops) : TransportTestBase(output, onLoops)
{
    [Fact]
    public async Task Sequential_gets_reuse_one_connection()
    {
        await using var peer = await KestrelPeer.StartAsync();
        var transport = NewTransport();
        var ports = new List<string>();
        for (int i = 0; i < 5; i++)
        {
            using var response = await transport.RoundTripAsync(ClientRequest.Get(peer.Url("/conn")), default).WaitAsync(Deadline);
            Assert.Equal(200, response.StatusCode);
            ports.Add(await response.ReadAsStringAsync().WaitAsync(Deadline));
        }
        Assert.Single(ports.Distinct());
        Assert.Equal(1, peer.Connections.Accepted);
        await AwaitAssertAsync(async () => Assert.Equal(new ActorHttp.Client.Pool.PoolStats(1, 0, 0, 0), await StatsAsync(transport)), Deadline);
        transport.CloseIdleConnections();
        await peer.Connections.WaitForAllClosedAsync().WaitAsync(Deadline);
    }

    [Fact]
    public async Task Post_with_bytes_is_echoed()
    {
        await using var peer = await KestrelPeer.StartAsync();
        var transport = NewTransport();
        var body = PeerBytes.Pattern(100_000);
        var request = new ClientRequest("POST", peer.Url("/echo"), RequestContent.FromBytes(body));
        using var response = await transport.RoundTripAsync(request, default).WaitAsync(Deadline);
        Assert.Equal(200, response.StatusCode);
        Assert.Equal(body, await response.ReadAsByteArrayAsync().WaitAsync(Deadline));
    }

    [Fact]
    public async Task Chunked_upload_of_unknown_length_is_echoed()
    {
        await using var peer = await KestrelPeer.StartAsync();
        var transport = NewTransport();
        var body = PeerBytes.Pattern(50_000);
        var pipe = new System.IO.Pipelines.Pipe();
        await pipe.Writer.WriteAsync(body);
        await pipe.Writer.CompleteAsync();
        var request = new ClientRequest("POST", peer.Url("/echo"), RequestContent.FromPipe(pipe.Reader));
        using var response = await transport.RoundTripAsync(request, default).WaitAsync(Deadline);
        Assert.Equal(body, await response.ReadAsByteArrayAsync().WaitAsync(Deadline));
        Assert.Null(request.Content!.Length);
    }

    [Fact]
    public async Task Large_download_streams_and_the_connection_is_reused()
    {
        await using var peer = await KestrelPeer.StartAsync();
        var transport = NewTransport();
        const int size = 4 * 1024 * 1024;
        var expected = PeerBytes.Pattern(size);
        for (int round = 0; round < 2; round++)
        {
            using var response = await transport.RoundTripAsync(ClientRequest.Get(peer.Url($"/stream/{size}")), default).WaitAsync(Deadline);
            var buffer = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = await response.Body.ReadAsync(buffer).AsTask().WaitAsync(Deadline)) > 0)
            {
                // One comparison per read, not an assertion per byte: 8 M of those cost seconds of test time.
                Assert.True(buffer.AsSpan(0, n).SequenceEqual(expected.AsSpan((int)total, n)), $"bytes {total}..{total + n} differ");
                total += n;
            }
            Assert.Equal(size, total);
        }
        Assert.Equal(1, peer.Connections.Accepted);
    }

    [Fact]
    public async Task Gzip_is_decoded_through_ActorHttpClient()
    {
        await using var peer = await KestrelPeer.StartAsync();
        var client = new ActorHttpClient(NewTransport(), Options());
        using var response = await client.GetAsync(peer.Url("/gzip")).WaitAsync(Deadline);
        Assert.Equal(200, response.StatusCode);
        Assert.False(response.Headers.Contains("Content-Encoding"));
        Assert.NotEmpty(await response.ReadAsStringAsync().WaitAsync(Deadline));
    }

    [Fact]
    public async Task HttpClient_runs_over_ActorHttpHandler()
    {
        await using var peer = await KestrelPeer.StartAsync();
        using var http = new HttpClient(new ActorHttpHandler(NewTransport(), Options())) { Timeout = Deadline };
        Assert.Equal(PlaintextBody, await http.GetStringAsync(peer.Url("/plaintext")));
        using var post = await http.PostAsync(peer.Url("/echo"), new StringContent("hello"));
        Assert.Equal("hello", await post.Content.ReadAsStringAsync());
        Assert.Equal(1, peer.Connections.Accepted);
    }

    [Fact]
    public async Task Concurrent_requests_respect_max_conns_per_host()
    {
        await using var peer = await KestrelPeer.StartAsync();
        var transport = NewTransport("actorhttp.client.max-conns-per-host = 4");
        var tasks = Enumerable.Range(0, 200).Select(async _ =>
        {
            using var response = await transport.RoundTripAsync(ClientRequest.Get(peer.Url("/conn")), default);
            return await response.ReadAsStringAsync();
        }).ToArray();
        var ports = await Task.WhenAll(tasks).WaitAsync(Deadline);
        Assert.InRange(ports.Distinct().Count(), 1, 4);
        Assert.InRange(peer.Connections.Accepted, 1, 4);
    }

    [Fact]
    public async Task An_early_disposed_body_is_drained_and_the_connection_reused()
    {
        await using var peer = await KestrelPeer.StartAsync();
        var transport = NewTransport();
        var first = await transport.RoundTripAsync(ClientRequest.Get(peer.Url("/stream/100000")), default).WaitAsync(Deadline);
        await first.Body.ReadAsync(new byte[10]).AsTask().WaitAsync(Deadline);
        await first.DisposeAsync();
        // The drain runs after the dispose; once it is over the connection is idle again.
        await AwaitAssertAsync(async () => Assert.Equal(1, (await StatsAsync(transport)).Idle), Deadline);
        using var second = await transport.RoundTripAsync(ClientRequest.Get(peer.Url("/plaintext")), default).WaitAsync(Deadline);
        Assert.Equal(PlaintextBody, await second.ReadAsStringAsync().WaitAsync(Deadline));
        Assert.Equal(1, peer.Connections.Accepted);
    }

    private static string PlaintextBody => KestrelPeerRoutes.PlaintextBody;

    /// <summary>Plain-HTTP connections on the event loops.</summary>
    public sealed class OnLoops(ITestOutputHelper output) : KestrelLoopbackTests(output, onLoops: true);

    /// <summary>Every connection on a stream (epoll-event-loop off).</summary>
    public sealed class OnStreams(ITestOutputHelper output) : KestrelLoopbackTests(output, onLoops: false);
}
