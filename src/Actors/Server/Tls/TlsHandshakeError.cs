namespace ActorHttp.Server.Tls;

/// <summary>The closed set of ways a server's TLS handshake ends without a connection to serve (<see cref="TlsHandshakeException.Kind"/>).</summary>
public enum TlsHandshakeError
{
    /// <summary>The handshake did not finish within <c>handshake-timeout</c>: the client sent nothing, or stalled.</summary>
    Timeout,

    /// <summary>The client closed or reset the connection before the handshake finished.</summary>
    PeerClosed,

    /// <summary>The client spoke plain HTTP to the TLS port; it was answered 400 in clear text.</summary>
    PlainHttp,

    /// <summary>TLS refused the client: no common version or cipher, a bad record, or a client certificate missing or refused.</summary>
    Refused,

    /// <summary>The server closed the connection first (it is shutting down).</summary>
    Aborted,
}
