namespace ActorHttp.Client;

/// <summary>Trace: the TLS handshake starts on a new https connection (Go's TLSHandshakeStart).</summary>
public sealed record TlsHandshakeStart : ClientTraceEvent
{
    /// <summary>The event; it carries nothing.</summary>
    public static readonly TlsHandshakeStart Instance = new();

    private TlsHandshakeStart() { }
}
