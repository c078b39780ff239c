using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ActorHttp.Actors.Tests.Support;

/// <summary>Self-signed server certificates for TLS peers; clients trust them through the transport's validation hook.</summary>
public static class SelfSignedCertificate
{
    /// <summary>A certificate for <c>localhost</c>, valid for an hour, with its private key.</summary>
    public static X509Certificate2 ForLocalhost()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        using var ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        // SslStream on Linux needs the private key in a form it can export: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pfx), null);
    }
}
