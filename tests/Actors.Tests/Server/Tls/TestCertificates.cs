using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ActorHttp.Server.Tls;

namespace ActorHttp.Actors.Tests.Server.Tls;

/// <summary>A leaf certificate made by <see cref="TestCertificates"/>, with the key object it was made with (to export it in every PEM form).</summary>
public sealed record TestLeaf(X509Certificate2 Certificate, AsymmetricAlgorithm Key)
{
    public string Thumbprint => Certificate.Thumbprint;
}

/// <summary>
/// A test CA and leaf certificates it signs (RSA or ECDSA), written to a temporary directory in the forms the server loads:
/// PEM chain + key (PKCS#1, SEC1, PKCS#8, encrypted PKCS#8), one PEM with both, PKCS#12. Deleted on dispose.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly RSA _caKey = RSA.Create(2048);

    public TestCertificates()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("actorhttp-tls-").FullName;
        var request = new CertificateRequest("CN=ActorHttp Test CA", _caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        CaPemPath = Path.Combine(Directory, "ca.pem");
        File.WriteAllText(CaPemPath, Ca.ExportCertificatePem());
    }

    public string Directory { get; }

    /// <summary>The CA, with its key.</summary>
    public X509Certificate2 Ca { get; }

    /// <summary>The CA certificate in PEM (what openssl's -CAfile takes).</summary>
    public string CaPemPath { get; }

    /// <summary>A leaf for <paramref name="dnsNames"/> signed by <see cref="Ca"/>: RSA 2048, or ECDSA P-256.</summary>
    public TestLeaf Leaf(bool ecdsa, params string[] dnsNames)
    {
        AsymmetricAlgorithm key = ecdsa ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : RSA.Create(2048);
        var subject = $"CN={dnsNames[0]}";
        var request = key is ECDsa ec
            ? new CertificateRequest(subject, ec, HashAlgorithmName.SHA256)
            : new CertificateRequest(subject, (RSA)key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames) names.AddDnsName(name);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var serial = new byte[12];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        // Signed with the CA's RSA key whatever the leaf's algorithm (the issuer-certificate overload wants them alike).
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        using var signed = request.Create(Ca.SubjectName, X509SignatureGenerator.CreateForRSA(_caKey, RSASignaturePadding.Pkcs1),
            DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(50), serial);
        var withKey = key is ECDsa e ? signed.CopyWithPrivateKey(e) : signed.CopyWithPrivateKey((RSA)key);
        return new TestLeaf(withKey, key);
    }

    /// <summary>The forms a PEM private key is written in.</summary>
    public enum KeyForm { Pkcs8, Traditional, EncryptedPkcs8 }

    /// <summary>Writes <paramref name="leaf"/> as name.crt (leaf then CA) and name.key; returns their source.</summary>
    public CertificateSource WritePem(string name, TestLeaf leaf, KeyForm form = KeyForm.Pkcs8, string password = "")
    {
        var certificate = Path.Combine(Directory, name + ".crt");
        var key = Path.Combine(Directory, name + ".key");
        File.WriteAllText(certificate, ChainPem(leaf));
        File.WriteAllText(key, KeyPem(leaf, form, password));
        return new CertificateSource(certificate, key, form == KeyForm.EncryptedPkcs8 ? password : "");
    }

    /// <summary>Writes <paramref name="leaf"/>'s chain and key into one PEM file (HAProxy's form).</summary>
    public CertificateSource WriteCombinedPem(string name, TestLeaf leaf)
    {
        var path = Path.Combine(Directory, name + ".pem");
        File.WriteAllText(path, ChainPem(leaf) + KeyPem(leaf, KeyForm.Pkcs8, ""));
        return new CertificateSource(path, "", "");
    }

    /// <summary>Writes <paramref name="leaf"/> (with its key) and the CA into name.pfx, under <paramref name="password"/>.</summary>
    public CertificateSource WritePfx(string name, TestLeaf leaf, string password)
    {
        var path = Path.Combine(Directory, name + ".pfx");
        var collection = new X509Certificate2Collection { leaf.Certificate, X509CertificateLoader.LoadCertificate(Ca.RawData) };
        File.WriteAllBytes(path, collection.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, password));
        return new CertificateSource(path, "", password);
    }

    /// <summary>The path of <paramref name="name"/> in the directory.</summary>
    public string PathOf(string name) => Path.Combine(Directory, name);

    public static string ChainPem(TestLeaf leaf, X509Certificate2? ca = null) => leaf.Certificate.ExportCertificatePem() + "\n" + (ca?.ExportCertificatePem() + "\n");

    private string ChainPem(TestLeaf leaf) => ChainPem(leaf, Ca);

    public static string KeyPem(TestLeaf leaf, KeyForm form, string password) => (leaf.Key, form) switch
    {
        (_, KeyForm.Pkcs8) => leaf.Key.ExportPkcs8PrivateKeyPem(),
        (RSA rsa, KeyForm.Traditional) => rsa.ExportRSAPrivateKeyPem(),
        (ECDsa ec, KeyForm.Traditional) => ec.ExportECPrivateKeyPem(),
        (_, KeyForm.EncryptedPkcs8) => leaf.Key.ExportEncryptedPkcs8PrivateKeyPem(password.AsSpan(),
            new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000)),
        _ => throw new ArgumentOutOfRangeException(nameof(form)),
    } + "\n";

    /// <summary>Moves <paramref name="path"/>'s last write time a second past what it was, so that a rewrite is seen as a change
    /// even when it lands in the same filesystem timestamp tick (Linux stamps files with a coarse clock, a jiffy).</summary>
    public static void Touch(string path, DateTime before) => File.SetLastWriteTimeUtc(path, before.AddSeconds(1));

    public void Dispose()
    {
        _caKey.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
