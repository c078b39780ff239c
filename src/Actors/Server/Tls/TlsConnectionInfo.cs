using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace ActorHttp.Server.Tls;

/// <summary>
/// What a TLS connection agreed on, as its handlers see it on <see cref="ServerRequest.Tls"/>: Go's
/// <c>tls.ConnectionState</c> (<c>r.TLS</c>), ASP.NET Core's <c>ITlsHandshakeFeature</c>. Taken once, when the
/// handshake completes, and shared by every request of the connection.
/// </summary>
/// <param name="Protocol">The TLS version, 1.2 or 1.3.</param>
/// <param name="CipherSuite">The negotiated cipher suite.</param>
/// <param name="HostName">The name the client sent by SNI; null when it sent none.</param>
/// <param name="ApplicationProtocol">The ALPN protocol agreed (<c>http/1.1</c>); null when the client offered none.</param>
/// <param name="ClientCertificate">The client's certificate when it gave one (client-certificate = optional or required).</param>
public sealed record TlsConnectionInfo(
    SslProtocols Protocol,
    TlsCipherSuite CipherSuite,
    string? HostName,
    string? ApplicationProtocol,
    X509Certificate2? ClientCertificate)
{
    internal static TlsConnectionInfo Of(SslStream stream) => new(
        stream.SslProtocol,
        stream.NegotiatedCipherSuite,
        string.IsNullOrEmpty(stream.TargetHostName) ? null : stream.TargetHostName,
        AlpnName(stream.NegotiatedApplicationProtocol),
        stream.RemoteCertificate as X509Certificate2 ?? (stream.RemoteCertificate is { } c ? new X509Certificate2(c) : null));

    // The one protocol the server offers, named without a new string per connection.
    private static string? AlpnName(SslApplicationProtocol protocol) =>
        protocol.Protocol.IsEmpty ? null : protocol == SslApplicationProtocol.Http11 ? Http11 : protocol.ToString();

    private const string Http11 = "http/1.1";
}
