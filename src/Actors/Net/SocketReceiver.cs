using System.Net.Sockets;
using Akka.Actor;

namespace ActorHttp.Net;

/// <summary>
/// One socket receive operation, reused for every read of a connection, whose asynchronous
/// completion arrives as a message to the actor that owns it.
/// </summary>
/// <remarks>
/// Akka.IO's TcpConnection turns socket completions into messages the same way. The actor
/// starts a receive inside its turn; when the kernel finishes it at once (data was already
/// there) the actor handles the result inline, so a busy connection pays no message per read.
/// Only a receive that really waits comes back as <c>completedMessage</c>, a singleton the
/// owner recognises: the result itself stays here, read by the owner in its next turn.
/// Owned by one actor: at most one receive is in flight.
/// </remarks>
internal sealed class SocketReceiver : SocketAsyncEventArgs, ISocketReceiver
{
    private readonly IActorRef _owner;
    private readonly object _completedMessage;

    public SocketReceiver(IActorRef owner, object completedMessage)
        : base(unsafeSuppressExecutionContextFlow: true)
    {
        _owner = owner;
        _completedMessage = completedMessage;
    }

    /// <summary>
    /// Starts a receive into <paramref name="buffer"/>. An empty buffer waits for data without
    /// holding memory (a zero-byte read): idle connections then keep no buffer at all.
    /// Returns true when it completed synchronously; the result is in <see cref="SocketAsyncEventArgs.BytesTransferred"/>
    /// and <see cref="SocketAsyncEventArgs.SocketError"/>.
    /// </summary>
    public bool Receive(Socket socket, Memory<byte> buffer)
    {
        SetBuffer(buffer);
        try
        {
            return !socket.ReceiveAsync(this);
        }
        catch (ObjectDisposedException)
        {
            // The socket was closed under us (shutdown): report it like any failed receive.
            SocketError = SocketError.OperationAborted;
            return true;
        }
    }

    protected override void OnCompleted(SocketAsyncEventArgs e) => _owner.Tell(_completedMessage, ActorRefs.NoSender);
}
