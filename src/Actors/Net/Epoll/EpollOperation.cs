using System.Net.Sockets;
using Akka.Actor;

namespace ActorHttp.Net.Epoll;

/// <summary>
/// What <see cref="EpollReceiver"/> and <see cref="EpollSender"/> share: one operation at a time on an
/// <see cref="EpollSocket"/>, tried in the owner's turn; one that parks finishes on the loop's thread, which
/// tells the owner its completion message, the result left here. When the owner is dispatched to that
/// loop (the design), the tell lands on the loop's local run queue and the owner's turn runs right
/// after the poll, on the same thread, with no thread-pool hop.
/// </summary>
internal abstract class EpollOperation(EpollSocket epoll, IActorRef owner, object completedMessage) : IEpollWaiter, IDisposable
{
    protected EpollSocket Epoll => epoll;

    /// <summary>Bytes the last finished operation moved.</summary>
    public int BytesTransferred { get; private set; }

    /// <summary>Outcome of the last finished operation.</summary>
    public SocketError SocketError { get; private set; }

    void IEpollWaiter.OnReady()
    {
        if (TryFinish()) owner.Tell(completedMessage, ActorRefs.NoSender);
    }

    /// <summary>The owner is going away: a parked operation is dropped.</summary>
    public void Dispose() => epoll.Forget(this);

    /// <summary>Tries the operation until it finishes (true, result set through <see cref="Finish"/>) or parks (false).</summary>
    protected abstract bool TryFinish();

    protected bool Finish(int bytes, SocketError error)
    {
        BytesTransferred = bytes;
        SocketError = error;
        return true;
    }
}
