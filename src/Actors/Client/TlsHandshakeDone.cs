using System.Security.Authentication;

namespace ActorHttp.Client;

/// <summary>Trace: the TLS handshake finished (Go's TLSHandshakeDone).</summary>
/// <param name="Protocol">The negotiated protocol version; <see cref="SslProtocols.None"/> on failure.</param>
/// <param name="ApplicationProtocol">The ALPN protocol agreed ("http/1.1"), or null.</param>
/// <param name="Error">Why it failed; null on success.</param>
public sealed record TlsHandshakeDone(SslProtocols Protocol, string? ApplicationProtocol, HttpClientException? Error) : ClientTraceEvent;
