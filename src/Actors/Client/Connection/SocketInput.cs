using System.Buffers;
using System.Net.Sockets;
using ActorHttp.Net.Epoll;
using Akka.Actor;

namespace ActorHttp.Client.Connection;

/// <summary>
/// The <see cref="ConnectionInput"/> of a <see cref="SocketTransport"/>: receives on the reader's event loop through an
/// <see cref="EpollReceiver"/>. An idle read waits without a buffer and without a system call while the socket is drained; a
/// read that waits finishes in a turn of the reader (the loop tells it), which then reports the outcome to the connection.
/// </summary>
internal sealed class SocketInput(Socket socket, EpollReceiver receiver, IActorRef connection) : ConnectionInput
{
    private byte[]? _buffer;   // rented for the receive in flight; null while waiting without one
    private bool _waiting;     // the receive in flight is a wait for data without a buffer
    private int _bufferSize;   // of the receive in flight

    /// <inheritdoc />
    public override void Read(bool whenIdle, int size)
    {
        _bufferSize = size;
        if (whenIdle)
        {
            _waiting = true;
            if (!receiver.Receive(socket, Memory<byte>.Empty)) return;
            _waiting = false;
        }
        ReadNow();
    }

    /// <inheritdoc />
    public override void OnReceiveCompleted()
    {
        if (_waiting)
        {
            // Data is there now, or the peer closed: only a real receive can tell which.
            _waiting = false;
            ReadNow();
            return;
        }
        Report();
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        receiver.Dispose();
        if (_buffer is { } buffer) ArrayPool<byte>.Shared.Return(buffer);
        _buffer = null;
    }

    private void ReadNow()
    {
        _buffer = ArrayPool<byte>.Shared.Rent(_bufferSize);
        if (receiver.Receive(socket, _buffer)) Report();
    }

    private void Report()
    {
        var buffer = _buffer!;
        _buffer = null;
        var n = receiver.BytesTransferred;
        object outcome = receiver.SocketError != SocketError.Success
            ? new ConnectionReader.ReadFailed(SocketErrors.ToException(receiver.SocketError, reading: true))
            : n > 0 ? new ConnectionReader.Received(buffer, n) : ConnectionReader.PeerClosed.Instance;
        if (outcome is not ConnectionReader.Received) ArrayPool<byte>.Shared.Return(buffer);
        connection.Tell(outcome, ActorRefs.NoSender);
    }
}
