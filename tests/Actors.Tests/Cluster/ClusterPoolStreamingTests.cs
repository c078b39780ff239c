using System.Security.Cryptography;
using ActorHttp.Client;
using ActorHttp.Streams;
using Akka.Actor;
using Akka.IO;
using Akka.Remote.Transport;
using Akka.Streams;
using Akka.Streams.Dsl;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.ClusterTests;

/// <summary>
/// Bodies above <c>actorhttp.cluster.max-inline-body</c> through a cluster-wide pool on another node: they stream as Akka.Streams
/// stream refs, both ways, pulled only as the far side reads. The pool lives on node 0; the caller is node 1; a Kestrel counts the
/// connections and the bytes its <c>/stream</c> handler got rid of.
/// </summary>
// One multi-node cluster at a time: on a busy machine two would slow each other into false failure detections.
[Collection(ClusterPoolNodes.Collection)]
public sealed class ClusterPoolStreamingTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private const long MiB = 1024 * 1024;

    private static async Task<ClusterPoolNodes> StartAsync(ClusterPoolPeer peer, int count = 2)
    {
        var nodes = await ClusterPoolNodes.StartAsync(count);
        // The first request comes from the pool's node, so the shard is allocated there.
        using (var first = await nodes.SendAsync(0, ClientRequest.Get(peer.Url("/hello"))).WaitAsync(Deadline))
            Assert.Equal("hello", await first.ReadAsStringAsync());
        return nodes;
    }

    private static async Task<(byte[] Hash, long Length)> HashAsync(Stream body, CancellationToken ct = default)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        long length = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, ct)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            length += read;
        }
        return (hash.GetHashAndReset(), length);
    }

    [Fact]
    public async Task A_64_MiB_response_streams_to_the_caller_node_byte_for_byte_held_back_by_a_slow_reader_and_its_connection_is_reused()
    {
        const long length = 64 * MiB;
        await using var peer = await ClusterPoolPeer.StartAsync();
        await using (var nodes = await StartAsync(peer))
        {
            using var response = await nodes.SendAsync(1, ClientRequest.Get(peer.Url($"/stream/{length}"))).WaitAsync(Deadline);
            Assert.Equal(200, response.StatusCode);
            Assert.Equal(length, response.ContentLength);

            // The caller reads one piece and stops: the pool's node reads no further than the stream ref's demand lets it, so
            // Kestrel's send stalls with most of the body unsent (a negative check needs a window).
            var first = new byte[64 * 1024];
            await response.Body.ReadExactlyAsync(first).AsTask().WaitAsync(Deadline);
            var expected = new byte[first.Length];
            ClusterPoolPeer.Pattern(expected, 0);
            Assert.Equal(expected, first);
            var ended = peer.StreamEnded.ReadAsync().AsTask();
            Assert.NotSame(ended, await Task.WhenAny(ended, Task.Delay(TimeSpan.FromSeconds(3))));
            long stalledAt = peer.StreamWritten;
            output.WriteLine($"the server's send stalled at {stalledAt / (double)MiB:F1} MiB of {length / MiB} MiB");
            Assert.True(stalledAt < length / 2, $"{stalledAt} bytes were sent while the caller read {first.Length}: the body is buffered somewhere");

            // Read on, the rest arrives whole, byte for byte, and the server's handler finishes (the positive half, on its event).
            var (restHash, rest) = await HashAsync(response.Body).WaitAsync(Deadline);
            Assert.Equal(length - first.Length, rest);
            Assert.Equal(await PatternHashAsync(first.Length, length), restHash);
            Assert.Equal(length, await ended.WaitAsync(Deadline));

            // The connection went back to the pool at the body's end: the next request from either node reuses it.
            using (var again = await nodes.SendAsync(1, ClientRequest.Get(peer.Url("/hello"))).WaitAsync(Deadline))
                Assert.Equal("hello", await again.ReadAsStringAsync());
            Assert.Equal(1, peer.Connections.Accepted);
        }
        await peer.Connections.WaitForAllClosedAsync().WaitAsync(Deadline);
    }

    // The hash of the pattern's bytes from..length.
    private static Task<byte[]> PatternHashAsync(long from, long length) => Task.Run(() =>
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunk = new byte[64 * 1024];
        for (long at = from; at < length; at += chunk.Length)
        {
            var span = chunk.AsSpan(0, (int)Math.Min(chunk.Length, length - at));
            ClusterPoolPeer.Pattern(span, at);
            hash.AppendData(span);
        }
        return hash.GetHashAndReset();
    });

    [Fact]
    public async Task A_caller_that_disposes_a_streamed_body_early_closes_its_connection_on_the_pools_node()
    {
        const long length = 64 * MiB;
        await using var peer = await ClusterPoolPeer.StartAsync();
        await using (var nodes = await StartAsync(peer))
        {
            var response = await nodes.SendAsync(1, ClientRequest.Get(peer.Url($"/stream/{length}"))).WaitAsync(Deadline);
            await response.Body.ReadExactlyAsync(new byte[256 * 1024]).AsTask().WaitAsync(Deadline);

            await response.DisposeAsync();

            // The ref is cancelled, the pool's node gives up the body, and the connection is closed rather than drained or reused.
            await peer.Connections.WaitForClosedAsync(1).WaitAsync(Deadline);
            Assert.True(await peer.StreamEnded.ReadAsync().AsTask().WaitAsync(Deadline) < length);
            using (var again = await nodes.SendAsync(1, ClientRequest.Get(peer.Url("/hello"))).WaitAsync(Deadline))
                Assert.Equal("hello", await again.ReadAsStringAsync());
            Assert.Equal(2, peer.Connections.Accepted);
        }
        await peer.Connections.WaitForAllClosedAsync().WaitAsync(Deadline);
    }

    [Fact]
    public async Task An_8_MiB_upload_streams_to_the_pools_node_with_its_length_or_chunked_and_a_streamed_echo_reads_as_a_source()
    {
        const int length = 8 * 1024 * 1024;
        var body = new byte[length];
        ClusterPoolPeer.Pattern(body, 0);
        var expected = Convert.ToHexStringLower(SHA256.HashData(body));
        await using var peer = await ClusterPoolPeer.StartAsync();
        await using (var nodes = await StartAsync(peer))
        {
            // In memory, of known length: it keeps its Content-Length.
            var inMemory = new ClientRequest("POST", peer.Url("/sha256")) { Content = RequestContent.FromBytes(body) };
            using (var response = await nodes.SendAsync(1, inMemory).WaitAsync(Deadline))
                Assert.Equal($"{expected} {length}", await response.ReadAsStringAsync());

            // Read on demand, of unknown length: the pool's node sends it chunked.
            var onDemand = new ClientRequest("POST", peer.Url("/sha256")) { Content = RequestContent.FromStream(new ForwardOnly(new MemoryStream(body))) };
            using (var response = await nodes.SendAsync(1, onDemand).WaitAsync(Deadline))
                Assert.Equal($"{expected} chunked", await response.ReadAsStringAsync());

            // Both ways: the upload streams there, the echo streams back, read here as an Akka.Streams source.
            var echo = new ClientRequest("POST", peer.Url("/echo")) { Content = RequestContent.FromBytes(body) };
            using (var response = await nodes.SendAsync(1, echo).WaitAsync(Deadline))
            {
                var bytes = await response.DataBytes()
                    .RunWith(Sink.Aggregate<ByteString, ByteString>(ByteString.Empty, (all, next) => all.Concat(next)), nodes.Systems[1].Materializer())
                    .WaitAsync(Deadline);
                Assert.Equal(expected, Convert.ToHexStringLower(SHA256.HashData(bytes.ToArray())));
            }
            // Every exchange ran on the pool's one connection.
            Assert.Equal(1, peer.Connections.Accepted);
        }
        await peer.Connections.WaitForAllClosedAsync().WaitAsync(Deadline);
    }

    [Fact]
    public async Task A_pool_node_lost_mid_body_fails_the_callers_read_with_PoolNodeLost()
    {
        await using var peer = await ClusterPoolPeer.StartAsync();
        await using (var nodes = await StartAsync(peer, count: 3))
        {
            using var response = await nodes.SendAsync(1, ClientRequest.Get(peer.Url($"/stream/{1024 * MiB}"))).WaitAsync(Deadline);
            var buffer = new byte[64 * 1024];
            await response.Body.ReadExactlyAsync(buffer).AsTask().WaitAsync(Deadline);

            // Node 0 dies: nothing from it reaches the others any more, then its system goes, without leaving.
            var dead = Akka.Cluster.Cluster.Get(nodes.Systems[0]).SelfAddress;
            foreach (var survivor in nodes.Systems[1..])
                Assert.True(await ((ExtendedActorSystem)survivor).Provider.AsRemote().Transport
                    .ManagementCommand(new SetThrottle(dead, ThrottleTransportAdapter.Direction.Both, Blackhole.Instance)));
            await nodes.Systems[0].Terminate();

            // The read fails, typed, once the node is downed and the ref's partner is known gone; it never hangs.
            var error = await Assert.ThrowsAsync<HttpClientException>(async () =>
            {
                while (await response.Body.ReadAsync(buffer).AsTask().WaitAsync(Deadline) > 0) { }
            });
            output.WriteLine(error.Message);
            Assert.Equal(ClientErrorKind.PoolNodeLost, error.Kind);
            Assert.True(error.RequestWritten);
        }
        await peer.Connections.WaitForAllClosedAsync().WaitAsync(Deadline);
    }

    // A stream that cannot seek, so its length is unknown and its content is read on demand.
    private sealed class ForwardOnly(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
