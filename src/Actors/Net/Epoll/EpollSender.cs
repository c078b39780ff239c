using System.Net.Sockets;
using ActorHttp.Kernel;

namespace ActorHttp.Net.Epoll;

/// <summary>
/// <see cref="ISocketSender"/> on an <see cref="EpollLoop"/>: sends are non-blocking system calls
/// made in the owner's turn; one that finds the kernel's buffer full parks until the socket's next
/// writable edge and finishes on the loop's thread, which then runs the owner's turn there.
/// </summary>
internal sealed class EpollSender(EpollSocket epoll, IActorRef owner, object completedMessage) : ISocketSender, IEpollWaiter
{
    private Socket? _socket;
    private ReadOnlyMemory<byte> _buffer;
    private IList<ArraySegment<byte>>? _buffers;

    public int BytesTransferred { get; private set; }

    public SocketError SocketError { get; private set; }

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

    void IEpollWaiter.OnReady()
    {
        if (TryFinish()) ActorCompletion.Tell(owner, completedMessage);
    }

    public void Dispose() => epoll.Forget(this);

    // True when the send finished (result set; possibly partial); false when it parked.
    private bool TryFinish()
    {
        while (true)
        {
            var edges = epoll.WriteEdges;
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
                if (epoll.TryWaitWritable(edges, this)) return false;
                continue;
            }

            BytesTransferred = error == SocketError.Success ? sent : 0;
            SocketError = error;
            _buffer = default;
            _buffers = null;
            return true;
        }
    }
}
