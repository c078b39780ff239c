using System.Net.Sockets;
using Akka.Actor;

namespace ActorHttp.Net;

/// <summary>
/// One accept operation on a listening socket, reused for every accept, whose asynchronous
/// completion arrives as a message to the listener actor (see <see cref="SocketReceiver"/>).
/// </summary>
internal sealed class SocketAccepter : SocketAsyncEventArgs
{
    private readonly IActorRef _owner;
    private readonly object _completedMessage;

    public SocketAccepter(IActorRef owner, object completedMessage)
        : base(unsafeSuppressExecutionContextFlow: true)
    {
        _owner = owner;
        _completedMessage = completedMessage;
    }

    /// <summary>Starts an accept; true when it completed synchronously (a connection was waiting).</summary>
    public bool Accept(Socket listener)
    {
        AcceptSocket = null;
        try
        {
            return !listener.AcceptAsync(this);
        }
        catch (ObjectDisposedException)
        {
            SocketError = SocketError.OperationAborted;
            return true;
        }
    }

    /// <summary>Takes the accepted socket (null when the accept failed).</summary>
    public Socket? TakeSocket()
    {
        var socket = SocketError == SocketError.Success ? AcceptSocket : null;
        AcceptSocket = null;
        return socket;
    }

    protected override void OnCompleted(SocketAsyncEventArgs e) => _owner.Tell(_completedMessage, ActorRefs.NoSender);
}
