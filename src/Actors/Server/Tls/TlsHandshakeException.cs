namespace ActorHttp.Server.Tls;

/// <summary>A server TLS handshake that failed, and why (one of <see cref="TlsHandshakeError"/>).</summary>
public sealed class TlsHandshakeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TlsHandshakeException(TlsHandshakeError kind, string message, Exception? inner = null)
        : base(message, inner) => Kind = kind;

    /// <summary>Why it failed.</summary>
    public TlsHandshakeError Kind { get; }

    /// <summary>True when the handshake timed out.</summary>
    public bool IsTimeout => Kind == TlsHandshakeError.Timeout;
}
