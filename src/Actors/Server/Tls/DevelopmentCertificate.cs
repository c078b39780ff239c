using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace ActorHttp.Server.Tls;

/// <summary>
/// A self-signed certificate for serving HTTPS on this machine during development (<c>actorhttp serve --tls-self-signed</c>):
/// an ECDSA P-256 key, names <c>localhost</c>, <c>127.0.0.1</c> and <c>::1</c>, valid for <see cref="Validity"/>. Made fresh
/// by each <see cref="Create"/> and never stored in a certificate store: a client trusts it by its
/// <see cref="Sha256Fingerprint"/> or by the exported <see cref="CertificatePem"/> (<c>curl --cacert</c>).
/// </summary>
public sealed class DevelopmentCertificate
{
    /// <summary>How long a development certificate is valid: a week, so that one left trusted somewhere soon stops being
    /// useful, while a server left running for days keeps working (the dev certificate of <c>dotnet dev-certs</c> lasts a year).</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromDays(7);

    // notBefore is set this far back so that a client whose clock is a little behind (a VM, a container) accepts it at once.
    private static readonly TimeSpan s_clockSkew = TimeSpan.FromMinutes(5);

    private DevelopmentCertificate(X509Certificate2 certificate, string keyPem)
    {
        Certificate = certificate;
        KeyPem = keyPem;
        CertificatePem = PemEncoding.WriteString("CERTIFICATE", certificate.RawData);
        Sha256Fingerprint = Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256));
    }

    /// <summary>The certificate, with its private key (for <see cref="CertificateStore.ForCertificate"/>).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The SHA-256 fingerprint of the certificate, upper-case hex without separators (see <see cref="FormatFingerprint"/>).</summary>
    public string Sha256Fingerprint { get; }

    /// <summary>The certificate in PEM: what a client is given to trust it (<c>curl --cacert FILE</c>).</summary>
    public string CertificatePem { get; }

    /// <summary>The private key in PEM (unencrypted PKCS#8): with <see cref="CertificatePem"/>, what <c>certificate</c> and
    /// <c>key</c> of <c>actorhttp.server.tls</c> can load.</summary>
    public string KeyPem { get; }

    /// <summary>The fingerprint as browsers and <c>openssl x509 -fingerprint -sha256</c> print it: pairs of hex digits between colons.</summary>
    public string FormatFingerprint() => string.Join(':', Enumerable.Range(0, Sha256Fingerprint.Length / 2).Select(i => Sha256Fingerprint.Substring(i * 2, 2)));

    /// <summary>Makes a new development certificate, valid from a few minutes before now (<paramref name="time"/>'s, default
    /// the system clock) for <see cref="Validity"/>.</summary>
    public static DevelopmentCertificate Create(TimeProvider? time = null)
    {
        var now = (time ?? TimeProvider.System).GetUtcNow();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost, O=ActorHttp development certificate", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build(critical: false)); // non-critical: the subject is not empty (RFC 5280 4.2.1.6)
        // An end-entity certificate that clients may still take as its own trust anchor (curl --cacert, a pinned fingerprint).
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F; // a positive serial number, as RFC 5280 requires
        using var signed = request.Create(request.SubjectName, X509SignatureGenerator.CreateForECDsa(key), now - s_clockSkew, now + Validity, serial);
        var withKey = signed.CopyWithPrivateKey(key);
        var keyPem = new string(PemEncoding.Write("PRIVATE KEY", key.ExportPkcs8PrivateKey()));
        // SChannel (Windows) needs a stored key, as in CertificateLoader; OpenSSL serves the ephemeral one.
        if (OperatingSystem.IsWindows()) withKey = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        return new DevelopmentCertificate(withKey, keyPem);
    }

    /// <summary>Writes <see cref="CertificatePem"/> to <paramref name="path"/> (what <c>--tls-export FILE</c> does).</summary>
    public void ExportCertificate(string path) => File.WriteAllText(path, CertificatePem, Encoding.ASCII);
}
