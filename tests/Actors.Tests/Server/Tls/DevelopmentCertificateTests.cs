using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ActorHttp.Server;
using ActorHttp.Server.Tls;

namespace ActorHttp.Actors.Tests.Server.Tls;

/// <summary>The development certificate: ECDSA P-256, self-signed, for localhost, 127.0.0.1 and ::1, a week long, and its PEM loads back.</summary>
public sealed class DevelopmentCertificateTests : IDisposable
{
    private readonly TestCertificates _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void It_is_a_self_signed_p256_certificate_for_the_loopback_names_valid_a_week()
    {
        var now = new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
        var dev = DevelopmentCertificate.Create(new FixedTime(now));
        var certificate = dev.Certificate;

        Assert.True(certificate.HasPrivateKey);
        Assert.Equal(ECCurve.NamedCurves.nistP256.Oid.Value, certificate.GetECDsaPublicKey()!.ExportParameters(false).Curve.Oid.Value);
        Assert.Equal(certificate.SubjectName.Name, certificate.IssuerName.Name);
        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["localhost"], san.EnumerateDnsNames());
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], san.EnumerateIPAddresses());
        Assert.Equal(now + DevelopmentCertificate.Validity, certificate.NotAfter.ToUniversalTime());
        Assert.True(certificate.NotBefore.ToUniversalTime() < now);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(certificate.RawData)), dev.Sha256Fingerprint);
        Assert.Equal(95, dev.FormatFingerprint().Length); // 32 pairs and 31 colons, as openssl prints it
        Assert.NotEqual(dev.Sha256Fingerprint, DevelopmentCertificate.Create().Sha256Fingerprint);
    }

    [Fact]
    public void Its_pem_export_loads_as_a_certificate_and_key_in_the_store()
    {
        var dev = DevelopmentCertificate.Create();
        var source = new CertificateSource(_dir.PathOf("dev.crt"), _dir.PathOf("dev.key"), "");
        dev.ExportCertificate(source.Certificate);
        File.WriteAllText(source.Key, dev.KeyPem);

        var store = CertificateStore.Load(ServerSettings.Load().Tls with { Default = source });

        Assert.Equal(dev.Certificate.Thumbprint, store.Select("localhost").Leaf.Thumbprint);
        Assert.Equal(dev.Certificate.Thumbprint, X509CertificateLoader.LoadCertificate(PemEncoding.Find(dev.CertificatePem) is var f
            ? Convert.FromBase64String(dev.CertificatePem[f.Base64Data]) : []).Thumbprint);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
