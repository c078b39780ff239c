using System.Net.Sockets;
using ActorHttp.Net.Epoll;
using Akka.Actor;

namespace ActorHttp.Client.Connection;

/// <summary>
/// A <see cref="ConnectionTransport"/> over a plain TCP socket registered with one of ActorHttp's event loops: the connection, its
/// reader and its writer run on that loop's thread and call the socket there without blocking (it is non-blocking); a call that
/// would block parks until the loop sees the socket ready and tells the actor that made it (<see cref="EpollReceiver"/>,
/// <see cref="EpollSender"/>).
/// </summary>
/// <remarks>
/// <para><b>Why.</b> The runtime's socket engine tries every receive before it waits, so a keep-alive exchange costs two
/// <c>recv</c> calls (one of them fails with EAGAIN) and its completion lands on another thread. Here a read that came back short
/// marks the socket drained and the next wait costs no system call (nginx's rule): one <c>send</c> and one <c>recv</c> per
/// request, and the response's readiness runs the reader and the connection on the loop's thread, right after the poll.</para>
/// <para><b>Head.</b> The connection sends a head with one non-blocking <c>send</c> in its own turn; whatever the kernel did not
/// take goes to the writer (<see cref="ConnectionWriter.WriteHeadRest"/>), which finishes it on the loop and reports
/// <see cref="ConnectionWriter.HeadWritten"/>.</para>
/// </remarks>
internal sealed class SocketTransport(Socket socket, EpollSocket epoll) : ConnectionTransport
{
    private NetworkStream? _takenOver;
    private bool _released;

    /// <inheritdoc />
    public override bool WriteHead(ReadOnlyMemory<byte> head, IActorRef connection, IActorRef writer, CancellationToken ct)
    {
        int sent;
        SocketError error;
        try
        {
            sent = socket.Send(head.Span, SocketFlags.None, out error);
        }
        catch (ObjectDisposedException)
        {
            sent = 0;
            error = SocketError.OperationAborted;
        }
        if (error == SocketError.Success && sent == head.Length) return true;
        if (error is SocketError.Success or SocketError.WouldBlock)
        {
            writer.Tell(new ConnectionWriter.WriteHeadRest(head[(error == SocketError.Success ? sent : 0)..]), ActorRefs.NoSender);
            return false;
        }
        // Told rather than handled in the caller's turn, as the stream transport's failed write is: one way for both.
        connection.Tell(new ConnectionWriter.WriteFailed(SocketErrors.ToException(error, reading: false), InBody: false), ActorRefs.NoSender);
        return false;
    }

    /// <inheritdoc />
    public override ConnectionInput OpenInput(IActorRef reader, object receiveCompleted, IActorRef connection) =>
        new SocketInput(socket, new EpollReceiver(epoll, reader, receiveCompleted), connection);

    /// <inheritdoc />
    public override ConnectionOutput OpenOutput(IActorRef writer, IActorRef connection) => new SocketOutput(socket, epoll, writer, connection);

    /// <inheritdoc />
    // The caller reads and writes with async calls on threads of its own: the socket leaves the loop (its events are dropped from
    // now on) and goes to the runtime's engine, which needs it blocking in appearance (NetworkStream refuses a non-blocking one;
    // the engine keeps the descriptor non-blocking underneath). Upgrades are rare; nothing of the loop's fast path applies to them.
    public override Stream TakeOver()
    {
        Release();
        socket.Blocking = true;
        return _takenOver = new NetworkStream(socket, ownsSocket: true);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        Release();
        if (_takenOver is not null) _takenOver.Dispose();
        else socket.Dispose();
    }

    private void Release()
    {
        if (_released) return;
        _released = true;
        epoll.Close();
    }
}
