using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ActorHttp.Cli.Get;

/// <summary>
/// How <c>actorhttp get</c> checks an https server's certificate, as curl does: the system's trust store by default,
/// <c>--cacert FILE</c> to trust the PEM certificates in FILE instead, <c>-k</c>/<c>--insecure</c> to check nothing.
/// </summary>
internal static class ServerCertificateCheck
{
    /// <summary>The callback for <paramref name="caFile"/> or <paramref name="insecure"/>; null: the system's check.</summary>
    /// <exception cref="FormatException">The file cannot be read or holds no PEM certificate.</exception>
    public static RemoteCertificateValidationCallback? For(FileInfo? caFile, bool insecure)
    {
        if (insecure) return static (_, _, _, _) => true;
        if (caFile is null) return null;
        var trusted = new X509Certificate2Collection();
        try
        {
            trusted.ImportFromPemFile(caFile.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new FormatException($"--cacert {caFile.FullName}: {e.Message}", e);
        }
        if (trusted.Count == 0) throw new FormatException($"--cacert {caFile.FullName}: no PEM certificate in it.");
        return (_, certificate, _, errors) => Trusted(certificate, errors, trusted);
    }

    // The name must match, as without --cacert; the chain must end in one of the file's certificates. A certificate that is
    // itself in the file is trusted as it is (a self-signed development certificate: curl accepts it too).
    private static bool Trusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection trusted)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
            return false;
        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if (trusted.Any(t => t.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span))) return true;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }
}
