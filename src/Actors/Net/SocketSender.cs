using System.Net.Sockets;
using Akka.Actor;

namespace ActorHttp.Net;

/// <summary>
/// One socket send operation, reused for every write of a connection, whose asynchronous
/// completion arrives as a message to the actor that owns it (see <see cref="SocketReceiver"/>).
/// </summary>
/// <remarks>
/// A send may complete partially; the owner continues with the rest. Several buffers go out in
/// one gathered send (<see cref="SendMany"/>) so that a response head and body, or a batch of
/// pipelined responses, cost one system call. Owned by one actor: at most one send in flight.
/// </remarks>
internal sealed class SocketSender : SocketAsyncEventArgs, ISocketSender
{
    private readonly IActorRef _owner;
    private readonly object _completedMessage;

    public SocketSender(IActorRef owner, object completedMessage)
        : base(unsafeSuppressExecutionContextFlow: true)
    {
        _owner = owner;
        _completedMessage = completedMessage;
    }

    /// <summary>Starts sending one buffer; true when it completed synchronously.</summary>
    public bool Send(Socket socket, ReadOnlyMemory<byte> buffer)
    {
        BufferList = null;
        // SocketAsyncEventArgs takes a Memory<byte>; the bytes are only read.
        SetBuffer(System.Runtime.InteropServices.MemoryMarshal.AsMemory(buffer));
        return Start(socket);
    }

    /// <summary>Starts a gathered send of several buffers; true when it completed synchronously.</summary>
    public bool SendMany(Socket socket, IList<ArraySegment<byte>> buffers)
    {
        SetBuffer(null, 0, 0);
        BufferList = buffers;
        return Start(socket);
    }

    private bool Start(Socket socket)
    {
        try
        {
            return !socket.SendAsync(this);
        }
        catch (ObjectDisposedException)
        {
            SocketError = SocketError.OperationAborted;
            return true;
        }
    }

    protected override void OnCompleted(SocketAsyncEventArgs e) => _owner.Tell(_completedMessage, ActorRefs.NoSender);
}
