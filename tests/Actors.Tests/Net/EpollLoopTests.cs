using System.Net.Sockets;
using ActorHttp.Actors.Tests.Dispatch;
using ActorHttp.Dispatch;
using ActorHttp.Net.Epoll;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Net;

/// <summary>
/// ActorHttp's epoll loop on real loopback sockets: a wait parks until data arrives and finishes on
/// the loop's thread; a short read marks the socket drained so the next wait parks without asking
/// the kernel; a full read does not; the peer's close and a full send buffer are seen. The owner
/// here is the test actor (off the loops), so the loop's tell crosses to the test's dispatcher.
/// </summary>
[Collection(EventLoopCollection.Name)]
public sealed class EpollLoopTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private sealed class Done
    {
        public static readonly Done Instance = new();
    }

    private static async Task ReadExactlyAsync(Socket socket, byte[] buffer, long count)
    {
        while (count > 0)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), SocketFlags.None);
            Assert.True(n > 0, "the peer closed early");
            count -= n;
        }
    }

    private static Task<(Socket Server, Socket Client)> PairAsync() => LoopbackPair.OpenAsync();

    // The loops are process-wide; which one serves the socket does not matter here.
    private EpollSocket Register(Socket socket)
    {
        var loops = EventLoopDispatchers.Register(Sys);
        return loops.Register(socket, loops.Next());
    }

    [EpollFact]
    public async Task A_wait_parks_until_data_arrives_and_a_short_read_makes_the_next_wait_park_again()
    {
        var (server, client) = await PairAsync();
        using (server)
        using (client)
        {
            var epoll = Register(server);
            using var receiver = new EpollReceiver(epoll, TestActor, Done.Instance);

            Assert.False(receiver.Receive(server, Memory<byte>.Empty));   // nothing there: parked
            await client.SendAsync("hello"u8.ToArray(), SocketFlags.None);
            await ExpectMsgAsync<Done>();
            Assert.Equal(SocketError.Success, receiver.SocketError);

            var buffer = new byte[64];
            Assert.True(receiver.Receive(server, buffer));
            Assert.Equal(5, receiver.BytesTransferred);

            // Five bytes into 64: the kernel had no more, so waiting again needs no system call.
            Assert.False(receiver.Receive(server, Memory<byte>.Empty));
            await client.SendAsync("again"u8.ToArray(), SocketFlags.None);
            await ExpectMsgAsync<Done>();
            Assert.True(receiver.Receive(server, buffer));
            Assert.Equal("again"u8.ToArray(), buffer.AsSpan(0, receiver.BytesTransferred).ToArray());
            epoll.Close();
        }
    }

    [EpollFact]
    public async Task A_read_that_fills_the_buffer_leaves_the_socket_possibly_readable()
    {
        var (server, client) = await PairAsync();
        using (server)
        using (client)
        {
            var epoll = Register(server);
            using var receiver = new EpollReceiver(epoll, TestActor, Done.Instance);
            Assert.False(receiver.Receive(server, Memory<byte>.Empty));
            await client.SendAsync(new byte[10], SocketFlags.None);
            await ExpectMsgAsync<Done>();

            var small = new byte[4];
            Assert.True(receiver.Receive(server, small));
            Assert.Equal(4, receiver.BytesTransferred);
            // A full buffer says nothing about what is left: the wait finishes at once, and the
            // rest is read without any further edge.
            Assert.True(receiver.Receive(server, Memory<byte>.Empty));
            Assert.True(receiver.Receive(server, new byte[64]));
            Assert.Equal(6, receiver.BytesTransferred);
            epoll.Close();
        }
    }

    [EpollFact]
    public async Task The_peers_close_finishes_a_parked_read_with_zero_bytes()
    {
        var (server, client) = await PairAsync();
        using (server)
        {
            var epoll = Register(server);
            using var receiver = new EpollReceiver(epoll, TestActor, Done.Instance);
            Assert.False(receiver.Receive(server, new byte[16]));
            client.Shutdown(SocketShutdown.Send);
            await ExpectMsgAsync<Done>();
            Assert.Equal(SocketError.Success, receiver.SocketError);
            Assert.Equal(0, receiver.BytesTransferred);
            client.Dispose();
            epoll.Close();
        }
    }

    [EpollFact]
    public async Task A_send_the_kernel_refuses_parks_until_the_peer_reads_and_every_byte_arrives()
    {
        var (server, client) = await PairAsync();
        using (server)
        using (client)
        {
            var epoll = Register(server);
            using var sender = new EpollSender(epoll, TestActor, Done.Instance);
            var chunk = new byte[256 * 1024];
            long sent = 0;
            var parked = false;
            for (var i = 0; i < 1000 && !parked; i++)
            {
                if (sender.Send(server, chunk))
                {
                    Assert.Equal(SocketError.Success, sender.SocketError);
                    sent += sender.BytesTransferred;
                }
                else
                {
                    parked = true;
                }
            }

            Assert.True(parked, "the kernel never refused a send");
            // Reading what was accepted frees the kernel's buffer: the parked send goes on and
            // finishes on the loop's thread.
            var buffer = new byte[64 * 1024];
            await ReadExactlyAsync(client, buffer, sent);
            await ExpectMsgAsync<Done>(TimeSpan.FromSeconds(20));
            Assert.Equal(SocketError.Success, sender.SocketError);
            Assert.True(sender.BytesTransferred > 0);
            await ReadExactlyAsync(client, buffer, sender.BytesTransferred);
            Assert.Equal(0, client.Available);
            epoll.Close();
        }
    }
}

/// <summary>A fact that runs where ActorHttp's event loops do (Linux on x86-64 or arm64).</summary>
public sealed class EpollFactAttribute : FactAttribute
{
    public EpollFactAttribute()
    {
        if (!EventLoopDispatchers.IsSupported) Skip = "ActorHttp's event loops run on Linux (x86-64, arm64) only";
    }
}
