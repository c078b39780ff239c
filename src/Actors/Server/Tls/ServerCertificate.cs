using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ActorHttp.Server.Tls;

/// <summary>
/// One loaded server certificate: the leaf with its private key, the intermediates sent with it, and the
/// <see cref="SslStreamCertificateContext"/> built from them once (so a handshake builds no chain).
/// </summary>
/// <remarks>Never disposed by the store when a reload replaces it: connections that were handed it may still be using it,
/// and the garbage collector frees it once the last one closes.</remarks>
public sealed class ServerCertificate
{
    internal ServerCertificate(X509Certificate2 leaf, X509Certificate2Collection intermediates)
    {
        Leaf = leaf;
        Intermediates = intermediates;
        // offline: the chain is built from the files' intermediates alone, never fetched (AIA) during a start or a reload.
        Context = SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
    }

    /// <summary>The certificate presented, with its private key.</summary>
    public X509Certificate2 Leaf { get; }

    /// <summary>The intermediates read with it (for a PEM chain, every certificate after the first).</summary>
    public X509Certificate2Collection Intermediates { get; }

    /// <summary>What <see cref="SslServerAuthenticationOptions.ServerCertificateContext"/> is set to.</summary>
    public SslStreamCertificateContext Context { get; }
}
