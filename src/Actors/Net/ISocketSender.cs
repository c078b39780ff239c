using System.Net.Sockets;

namespace ActorHttp.Net;

/// <summary>
/// A connection's send side as its writer actor sees it: one send at a time, finished either at
/// once (the call returns true) or later, as the owner's completion message. A send may move fewer
/// bytes than asked; the owner continues with the rest.
/// </summary>
/// <remarks>Two engines implement it: the runtime's (<see cref="SocketSender"/>) and ActorHttp's own
/// epoll loop (<see cref="Epoll.EpollSender"/>).</remarks>
internal interface ISocketSender : IDisposable
{
    /// <summary>Starts sending one buffer; true when it finished at once.</summary>
    bool Send(Socket socket, ReadOnlyMemory<byte> buffer);

    /// <summary>Starts a gathered send of several buffers; true when it finished at once.</summary>
    bool SendMany(Socket socket, IList<ArraySegment<byte>> buffers);

    /// <summary>Bytes the last finished send moved.</summary>
    int BytesTransferred { get; }

    /// <summary>Outcome of the last finished send.</summary>
    SocketError SocketError { get; }
}
