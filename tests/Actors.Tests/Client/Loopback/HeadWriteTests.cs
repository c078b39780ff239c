using System.Net.Sockets;
using ActorHttp.Actors.Tests.Support.Peers;
using ActorHttp.Client;
using ActorHttp.Client.Connection;
using ActorHttp.Client.Transport;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Client.Loopback;

/// <summary>
/// The connection writes a request head itself and takes the fast path when the send completes at once;
/// these tests drive the other paths through a stream whose writes wait or fail: a write that completes
/// later, one that faults later, and one that throws at once.
/// </summary>
public sealed class HeadWriteTests(ITestOutputHelper output) : TransportTestBase(output)
{
    [Fact]
    public async Task A_head_write_that_completes_later_still_gets_its_response_and_the_connection_is_reused()
    {
        await using var peer = await KestrelPeer.StartAsync();
        var dialer = new GatedDialer(GatedDialer.Mode.Delay);
        var transport = NewTransport(options: new TransportOptions { Dialer = dialer });
        for (int i = 0; i < 3; i++)
        {
            var call = transport.RoundTripAsync(ClientRequest.Get(peer.Url("/plaintext")), default);
            await dialer.WriteStarted.WaitAsync(Deadline);
            Assert.False(call.IsCompleted);
            dialer.ReleaseWrite();
            using var response = await call.WaitAsync(Deadline);
            Assert.Equal(KestrelPeerRoutes.PlaintextBody, await response.ReadAsStringAsync().WaitAsync(Deadline));
        }
        Assert.Equal(1, peer.Connections.Accepted);
        // A body after a late head: the writer takes over only once the head is out.
        var body = PeerBytes.Pattern(50_000);
        var post = transport.RoundTripAsync(new ClientRequest("POST", peer.Url("/echo"), RequestContent.FromStream(new MemoryStream(body))), default);
        await dialer.WriteStarted.WaitAsync(Deadline);
        dialer.ReleaseWrite();
        using (var echoed = await post.WaitAsync(Deadline))
            Assert.Equal(body, await echoed.ReadAsByteArrayAsync().WaitAsync(Deadline));
        Assert.Equal(1, peer.Connections.Accepted);
    }

    [Theory]
    [InlineData(GatedDialer.Mode.FaultLater)]
    [InlineData(GatedDialer.Mode.ThrowAtOnce)]
    public async Task A_head_write_that_fails_fails_the_request_as_a_reset_and_closes_the_connection(GatedDialer.Mode mode)
    {
        await using var peer = await KestrelPeer.StartAsync();
        var dialer = new GatedDialer(mode);
        var transport = NewTransport(options: new TransportOptions { Dialer = dialer });
        var call = transport.RoundTripAsync(ClientRequest.Get(peer.Url("/plaintext")), default);
        if (mode == GatedDialer.Mode.FaultLater)
        {
            await dialer.WriteStarted.WaitAsync(Deadline);
            dialer.ReleaseWrite();
        }
        var error = await Assert.ThrowsAsync<HttpClientException>(() => call.WaitAsync(Deadline));
        Assert.Equal(ClientErrorKind.ConnectionReset, error.Kind);
        Assert.False(error.RequestWritten);
        await AwaitAssertAsync(() => Assert.Empty(Connections(transport)), Deadline);
        await peer.Connections.WaitForAllClosedAsync().WaitAsync(Deadline);
    }

    /// <summary>Dials real sockets and wraps them in a stream whose head writes wait for the test, or fail.</summary>
    public sealed class GatedDialer(GatedDialer.Mode mode) : IDialer
    {
        public enum Mode
        {
            /// <summary>Each first write of a request waits until <see cref="ReleaseWrite"/>.</summary>
            Delay,

            /// <summary>The first write waits, then faults.</summary>
            FaultLater,

            /// <summary>The first write throws before returning.</summary>
            ThrowAtOnce,
        }

        private readonly Mode _mode = mode;
        private TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task WriteStarted => Volatile.Read(ref _started).Task;

        public void ReleaseWrite()
        {
            var release = _release;
            _started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            release.SetResult();
        }

        public async Task<Stream> DialAsync(string host, int port, CancellationToken ct)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(host, port, ct);
            return new GatedStream(new NetworkStream(socket, ownsSocket: true), this);
        }

        private sealed class GatedStream(NetworkStream inner, GatedDialer dialer) : Stream
        {
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => true;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

            public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => inner.ReadAsync(buffer, ct);

            public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
            {
                // Only a request's first write (its head) is gated: a body's writes come while the head is out.
                if (!LooksLikeHead(buffer.Span)) return inner.WriteAsync(buffer, ct);
                if (dialer._mode == Mode.ThrowAtOnce) throw new IOException("scripted: the write failed at once");
                return GatedWriteAsync(buffer, ct);
            }

            private async ValueTask GatedWriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct)
            {
                var release = dialer._release.Task;
                dialer._started.TrySetResult();
                await release.WaitAsync(ct);
                if (dialer._mode == Mode.FaultLater) throw new IOException("scripted: the write failed later");
                await inner.WriteAsync(buffer, ct);
            }

            private static bool LooksLikeHead(ReadOnlySpan<byte> bytes) =>
                bytes.StartsWith("GET "u8) || bytes.StartsWith("POST "u8);

            public override Task FlushAsync(CancellationToken ct) => inner.FlushAsync(ct);
            public override void Flush() => inner.Flush();
            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();

            protected override void Dispose(bool disposing)
            {
                if (disposing) inner.Dispose();
                base.Dispose(disposing);
            }
        }
    }
}
