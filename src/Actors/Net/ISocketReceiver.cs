using System.Net.Sockets;

namespace ActorHttp.Net;

/// <summary>
/// A connection's receive side as its reader actor sees it: one receive at a time, finished either
/// at once (the call returns true) or later, as the owner's completion message.
/// </summary>
/// <remarks>Two engines implement it: the runtime's (<see cref="SocketReceiver"/>) and ActorHttp's
/// own epoll loop (<see cref="Epoll.EpollReceiver"/>).</remarks>
internal interface ISocketReceiver : IDisposable
{
    /// <summary>
    /// Starts a receive into <paramref name="buffer"/>; an empty buffer waits for data without
    /// holding memory. True when it finished at once, with the result in <see cref="BytesTransferred"/>
    /// and <see cref="SocketError"/>; otherwise the owner is told its completion message.
    /// </summary>
    bool Receive(Socket socket, Memory<byte> buffer);

    /// <summary>Bytes the last finished receive moved (0 with success: the peer closed, or, for a wait, data is there).</summary>
    int BytesTransferred { get; }

    /// <summary>Outcome of the last finished receive.</summary>
    SocketError SocketError { get; }
}
