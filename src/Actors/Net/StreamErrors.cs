using System.Net.Sockets;

namespace ActorHttp.Net;

/// <summary>
/// Maps what a stream's read or write threw to the <see cref="SocketError"/> the connection actors already handle, so
/// that a TLS connection fails the way a plain one does.
/// </summary>
internal static class StreamErrors
{
    /// <summary>The socket's own error when there is one; <see cref="SocketError.OperationAborted"/> for a disposed
    /// stream (the connection closed it); otherwise <see cref="SocketError.ConnectionReset"/>: a broken TLS record or
    /// an alert from the peer leaves a stream that can no more be read than a reset one.</summary>
    public static SocketError ToSocketError(Exception e) => e switch
    {
        SocketException s => s.SocketErrorCode,
        IOException { InnerException: SocketException s } => s.SocketErrorCode,
        ObjectDisposedException or OperationCanceledException => SocketError.OperationAborted,
        _ => SocketError.ConnectionReset,
    };
}
