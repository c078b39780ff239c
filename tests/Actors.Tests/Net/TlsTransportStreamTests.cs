using System.Net.Sockets;
using ActorHttp.Actors.Tests.Dispatch;
using ActorHttp.Dispatch;
using ActorHttp.Net;
using ActorHttp.Net.Epoll;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Net;

/// <summary>
/// <see cref="EpollStream"/>, the transport under a server TLS connection's SslStream on an event loop, on real loopback
/// sockets: a read with data there finishes in the caller's call, one without parks and finishes when data arrives; a
/// zero-byte read waits without a buffer; a peek leaves the bytes; a parked read
/// ends by its token or by disposing the stream; a write larger than the kernel's buffers parks until the peer reads, and
/// every byte arrives in order; the peer's close reads as the end.
/// </summary>
[Collection(EventLoopCollection.Name)]
public sealed class TlsTransportStreamTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private static readonly TimeSpan s_guard = TimeSpan.FromSeconds(10);

    // The server side on a loop (which one does not matter), and the client.
    private async Task<(EpollStream Stream, EpollSocket Epoll, Socket Server, Socket Client)> OpenAsync()
    {
        var (server, client) = await LoopbackPair.OpenAsync();
        var loops = EventLoopDispatchers.Register(Sys);
        var epoll = loops.Register(server, loops.Next());
        return (new EpollStream(server, epoll), epoll, server, client);
    }

    private static void Close(EpollStream stream, EpollSocket epoll, Socket server, Socket client)
    {
        stream.Dispose();
        epoll.Close();
        server.Dispose();
        client.Dispose();
    }

    [EpollFact]
    public async Task A_read_parks_until_data_arrives_and_one_with_data_there_finishes_at_once()
    {
        var (stream, epoll, server, client) = await OpenAsync();
        try
        {
            var buffer = new byte[64];
            var read = stream.ReadAsync(buffer);
            Assert.False(read.IsCompleted);
            await client.SendAsync("hello"u8.ToArray(), SocketFlags.None);
            Assert.Equal(5, await read.AsTask().WaitAsync(s_guard));
            Assert.Equal("hello"u8.ToArray(), buffer.AsSpan(0, 5).ToArray());

            // Wait for the next bytes without a buffer, then the read finds them in the kernel: no wait.
            var wait = stream.ReadAsync(Memory<byte>.Empty);
            Assert.False(wait.IsCompleted);   // nothing there: parked
            await client.SendAsync("again"u8.ToArray(), SocketFlags.None);
            Assert.Equal(0, await wait.AsTask().WaitAsync(s_guard));
            var now = stream.ReadAsync(buffer);
            Assert.True(now.IsCompleted);
            Assert.Equal(5, now.Result);
            Assert.Equal("again"u8.ToArray(), buffer.AsSpan(0, 5).ToArray());
        }
        finally
        {
            Close(stream, epoll, server, client);
        }
    }

    [EpollFact]
    public async Task A_peek_leaves_the_bytes_for_the_next_read()
    {
        var (stream, epoll, server, client) = await OpenAsync();
        try
        {
            var first = new byte[1];
            var peek = stream.PeekAsync(first);
            await client.SendAsync(new byte[] { 0x16, 0x03, 0x01 }, SocketFlags.None);
            Assert.Equal(1, await peek.AsTask().WaitAsync(s_guard));
            Assert.Equal(0x16, first[0]);

            var buffer = new byte[16];
            var n = await stream.ReadAsync(buffer).AsTask().WaitAsync(s_guard);
            Assert.Equal(new byte[] { 0x16, 0x03, 0x01 }, buffer.AsSpan(0, n).ToArray());
        }
        finally
        {
            Close(stream, epoll, server, client);
        }
    }

    [EpollFact]
    public async Task A_parked_read_ends_when_its_token_is_cancelled_and_the_stream_reads_on()
    {
        var (stream, epoll, server, client) = await OpenAsync();
        try
        {
            using var cts = new CancellationTokenSource();
            var buffer = new byte[16];
            var read = stream.ReadAsync(buffer, cts.Token);
            Assert.False(read.IsCompleted);
            cts.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.AsTask().WaitAsync(s_guard));

            var next = stream.ReadAsync(buffer);
            await client.SendAsync("x"u8.ToArray(), SocketFlags.None);
            Assert.Equal(1, await next.AsTask().WaitAsync(s_guard));
        }
        finally
        {
            Close(stream, epoll, server, client);
        }
    }

    [EpollFact]
    public async Task Disposing_the_stream_fails_a_parked_read_which_epoll_would_never_finish()
    {
        var (stream, epoll, server, client) = await OpenAsync();
        try
        {
            var read = stream.ReadAsync(new byte[16]);
            Assert.False(read.IsCompleted);
            // As a connection stops: the registration goes first (dropping the parked read without a word), then the stream.
            epoll.Close();
            stream.Dispose();
            await Assert.ThrowsAsync<ObjectDisposedException>(() => read.AsTask().WaitAsync(s_guard));
            Assert.False(stream.CanRead);
        }
        finally
        {
            Close(stream, epoll, server, client);
        }
    }

    [EpollFact]
    public async Task A_write_larger_than_the_kernel_buffers_parks_until_the_peer_reads_and_every_byte_arrives_in_order()
    {
        var (stream, epoll, server, client) = await OpenAsync();
        try
        {
            var data = new byte[16 << 20];
            for (var i = 0; i < data.Length; i++) data[i] = (byte)(i % 251);
            var write = stream.WriteAsync(data);
            Assert.False(write.IsCompleted);   // 16 MiB do not fit in loopback's socket buffers

            var received = new byte[data.Length];
            var have = 0;
            using var cts = new CancellationTokenSource(s_guard);
            while (have < received.Length)
            {
                var n = await client.ReceiveAsync(received.AsMemory(have), SocketFlags.None, cts.Token);
                Assert.True(n > 0, "the stream's side closed early");
                have += n;
            }

            await write.AsTask().WaitAsync(s_guard);
            Assert.True(data.AsSpan().SequenceEqual(received));
        }
        finally
        {
            Close(stream, epoll, server, client);
        }
    }

    [EpollFact]
    public async Task The_peer_s_close_reads_as_the_end_after_a_zero_byte_wait()
    {
        var (stream, epoll, server, client) = await OpenAsync();
        try
        {
            var wait = stream.ReadAsync(Memory<byte>.Empty);
            client.Shutdown(SocketShutdown.Send);
            Assert.Equal(0, await wait.AsTask().WaitAsync(s_guard));
            Assert.Equal(0, await stream.ReadAsync(new byte[16]).AsTask().WaitAsync(s_guard));
        }
        finally
        {
            Close(stream, epoll, server, client);
        }
    }

    [EpollFact]
    public void It_is_asynchronous_only()
    {
        var (stream, epoll, server, client) = OpenAsync().GetAwaiter().GetResult();
        try
        {
            Assert.Throws<NotSupportedException>(() => stream.Read(new byte[1], 0, 1));
            Assert.Throws<NotSupportedException>(() => stream.Write(new byte[1], 0, 1));
        }
        finally
        {
            Close(stream, epoll, server, client);
        }
    }
}
