using System.Net.Sockets;
using ActorHttp.Net.Epoll;
using Akka.Actor;

namespace ActorHttp.Client.Connection;

/// <summary>
/// A non-blocking TCP connect in progress on an event loop: the socket joined the loop's epoll set after <c>connect</c> returned
/// EINPROGRESS, so the first writable (or error) edge the loop sees says the handshake is over, and <c>SO_ERROR</c> says how it
/// ended. The owner is told its completion message then (see <see cref="EpollOperation"/>).
/// </summary>
internal sealed class EpollConnect(EpollSocket epoll, Socket socket, IActorRef owner, object completedMessage)
    : EpollOperation(epoll, owner, completedMessage)
{
    /// <summary>Starts waiting; true when the connect is already over (the result is in <see cref="EpollOperation.SocketError"/>).</summary>
    public bool Start() => TryFinish();

    protected override bool TryFinish()
    {
        // The registration came after connect() started, so any writable edge means it finished; none yet means it runs.
        if (Epoll.WriteEdges == 0 && Epoll.TryWaitWritable(0, this)) return false;
        // Not parked and still no edge: the registration was closed under it.
        if (Epoll.WriteEdges == 0) return Finish(0, SocketError.OperationAborted);
        SocketError error;
        try
        {
            error = (SocketError)(int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
        }
        catch (ObjectDisposedException)
        {
            error = SocketError.OperationAborted;
        }
        return Finish(0, error);
    }
}
