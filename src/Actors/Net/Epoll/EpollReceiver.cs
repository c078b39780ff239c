using System.Net.Sockets;
using Akka.Actor;

namespace ActorHttp.Net.Epoll;

/// <summary>
/// <see cref="ISocketReceiver"/> on an event loop's epoll set (<see cref="EpollSocket"/>): receives are non-blocking system
/// calls made in the owner's turn; one that finds nothing parks until the socket's next readable
/// edge and finishes on the loop's thread, which then tells the owner (see <see cref="EpollOperation"/>).
/// </summary>
/// <remarks>
/// A receive that came back with fewer bytes than it asked for emptied the kernel's buffer (TCP
/// hands over what it has), so the socket is marked drained at the edge count seen before the call,
/// and the next wait parks without a system call unless an edge came since (nginx's rule; the
/// runtime's engine instead tries every receive first, and on a keep-alive connection that try fails
/// once per request). A new registration counts as drained: the kernel reports data that is already
/// there as an edge when the socket joins the epoll set.
/// </remarks>
internal sealed class EpollReceiver(EpollSocket epoll, IActorRef owner, object completedMessage)
    : EpollOperation(epoll, owner, completedMessage), ISocketReceiver
{
    private Socket? _socket;
    private Memory<byte> _buffer;
    private int _drainedAt;            // read-edge count at which the socket was last seen empty; -1: may hold data

    public bool Receive(Socket socket, Memory<byte> buffer)
    {
        _socket = socket;
        _buffer = buffer;
        return TryFinish();
    }

    protected override bool TryFinish()
    {
        while (true)
        {
            var edges = Epoll.ReadEdges;
            if (_buffer.IsEmpty)
            {
                // A wait without a buffer finishes as soon as data may be there.
                if (_drainedAt != edges) return Finish(0, SocketError.Success);
                if (Epoll.TryWaitReadable(edges, this)) return false;
                continue;
            }

            int received;
            SocketError error;
            try
            {
                received = _socket!.Receive(_buffer.Span, SocketFlags.None, out error);
            }
            catch (ObjectDisposedException)
            {
                _buffer = default;
                return Finish(0, SocketError.OperationAborted);
            }

            if (error == SocketError.WouldBlock)
            {
                _drainedAt = edges;
                if (Epoll.TryWaitReadable(edges, this)) return false;
                continue;
            }

            // A FIN (or a reset) that arrived with the last bytes was reported in the same edge: after it, reads go to the kernel.
            _drainedAt = error == SocketError.Success && received > 0 && received < _buffer.Length && !Epoll.HungUp ? edges : -1;
            _buffer = default;
            return Finish(error == SocketError.Success ? received : 0, error);
        }
    }
}
