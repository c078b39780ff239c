using System.Net.Sockets;
using Akka.Actor;

namespace ActorHttp.Net.Epoll;

/// <summary>
/// <see cref="ISocketSender"/> on an event loop's epoll set (<see cref="EpollSocket"/>): sends are non-blocking system calls
/// made in the owner's turn; one that finds the kernel's buffer full parks until the socket's next
/// writable edge and finishes on the loop's thread, which then tells the owner (see <see cref="EpollOperation"/>).
/// </summary>
internal sealed class EpollSender(EpollSocket epoll, IActorRef owner, object completedMessage)
    : EpollOperation(epoll, owner, completedMessage), ISocketSender
{
    private Socket? _socket;
    private ReadOnlyMemory<byte> _buffer;
    private IList<ArraySegment<byte>>? _buffers;

    public bool Send(Socket socket, ReadOnlyMemory<byte> buffer)
    {
        _socket = socket;
        _buffer = buffer;
        _buffers = null;
        return TryFinish();
    }

    public bool SendMany(Socket socket, IList<ArraySegment<byte>> buffers)
    {
        _socket = socket;
        _buffer = default;
        _buffers = buffers;
        return TryFinish();
    }

    // A partial send finishes too: the owner continues with the rest.
    protected override bool TryFinish()
    {
        while (true)
        {
            var edges = Epoll.WriteEdges;
            int sent;
            SocketError error;
            try
            {
                sent = _buffers is null
                    ? _socket!.Send(_buffer.Span, SocketFlags.None, out error)
                    : _socket!.Send(_buffers, SocketFlags.None, out error);
            }
            catch (ObjectDisposedException)
            {
                sent = 0;
                error = SocketError.OperationAborted;
            }

            if (error == SocketError.WouldBlock)
            {
                if (Epoll.TryWaitWritable(edges, this)) return false;
                continue;
            }

            _buffer = default;
            _buffers = null;
            return Finish(error == SocketError.Success ? sent : 0, error);
        }
    }
}
