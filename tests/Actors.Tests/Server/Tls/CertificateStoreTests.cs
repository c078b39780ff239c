using System.Net.Security;
using System.Security.Authentication;
using ActorHttp.Server;
using ActorHttp.Server.Tls;

namespace ActorHttp.Actors.Tests.Server.Tls;

/// <summary>
/// The certificate store without sockets: each file form loads (PEM RSA and ECDSA in every key encoding, one PEM with both,
/// PKCS#12), each broken one is a typed error naming the file, SNI picks exact, then wildcard, then default, and the
/// handshake options say http/1.1, TLS 1.2/1.3 and the client-certificate mode.
/// </summary>
public sealed class CertificateStoreTests : IDisposable
{
    private readonly TestCertificates _certs = new();
    private static readonly TlsSettings s_reference = ServerSettings.Load().Tls;

    public void Dispose() => _certs.Dispose();

    private static CertificateStore Store(CertificateSource source, params SniCertificate[] hosts) =>
        CertificateStore.Load(s_reference with { Enabled = true, Default = source, Hosts = hosts });

    [Theory]
    [InlineData(false, TestCertificates.KeyForm.Pkcs8)]
    [InlineData(false, TestCertificates.KeyForm.Traditional)]
    [InlineData(false, TestCertificates.KeyForm.EncryptedPkcs8)]
    [InlineData(true, TestCertificates.KeyForm.Pkcs8)]
    [InlineData(true, TestCertificates.KeyForm.Traditional)]
    [InlineData(true, TestCertificates.KeyForm.EncryptedPkcs8)]
    public void A_pem_chain_and_key_load_with_the_intermediates(bool ecdsa, TestCertificates.KeyForm form)
    {
        var leaf = _certs.Leaf(ecdsa, "a.example.com");

        var served = Store(_certs.WritePem("a", leaf, form, "pem-pass")).Select(null);

        Assert.Equal(leaf.Thumbprint, served.Leaf.Thumbprint);
        Assert.True(served.Leaf.HasPrivateKey);
        Assert.Equal([_certs.Ca.Thumbprint], served.Intermediates.Select(c => c.Thumbprint));
    }

    [Fact]
    public void One_pem_file_with_the_chain_and_the_key_loads()
    {
        var leaf = _certs.Leaf(ecdsa: true, "a.example.com");

        Assert.Equal(leaf.Thumbprint, Store(_certs.WriteCombinedPem("both", leaf)).Select(null).Leaf.Thumbprint);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_pkcs12_file_loads_with_its_password(bool ecdsa)
    {
        var leaf = _certs.Leaf(ecdsa, "a.example.com");

        var served = Store(_certs.WritePfx("a", leaf, "pfx-pass")).Select(null);

        Assert.Equal(leaf.Thumbprint, served.Leaf.Thumbprint);
        Assert.True(served.Leaf.HasPrivateKey);
        Assert.Equal([_certs.Ca.Thumbprint], served.Intermediates.Select(c => c.Thumbprint));
    }

    [Theory]
    [InlineData("wrong")]
    [InlineData("")]
    public void A_wrong_pkcs12_password_is_a_typed_error_naming_the_file(string password)
    {
        var source = _certs.WritePfx("a", _certs.Leaf(false, "a.example.com"), "pfx-pass") with { Password = password };

        var e = Assert.Throws<CertificateLoadException>(() => Store(source));

        Assert.Equal(CertificateErrorKind.WrongPassword, e.Kind);
        Assert.True(e.IsWrongPassword);
        Assert.Equal(source.Certificate, e.Path);
        Assert.StartsWith(source.Certificate + ": ", e.Message);
        Assert.DoesNotContain("pfx-pass", e.Message);
    }

    [Fact]
    public void A_wrong_password_for_an_encrypted_key_names_the_key_file()
    {
        var source = _certs.WritePem("a", _certs.Leaf(true, "a.example.com"), TestCertificates.KeyForm.EncryptedPkcs8, "pem-pass");

        var wrong = Assert.Throws<CertificateLoadException>(() => Store(source with { Password = "nope" }));
        var none = Assert.Throws<CertificateLoadException>(() => Store(source with { Password = "" }));

        Assert.Equal((CertificateErrorKind.WrongPassword, source.Key), (wrong.Kind, wrong.Path));
        Assert.Equal((CertificateErrorKind.WrongPassword, source.Key), (none.Kind, none.Path));
    }

    [Fact]
    public void Broken_sources_are_typed_errors_naming_the_file_at_fault()
    {
        var rsa = _certs.Leaf(false, "a.example.com");
        var otherRsa = _certs.Leaf(false, "b.example.com");
        var ec = _certs.Leaf(true, "c.example.com");
        var good = _certs.WritePem("rsa", rsa);
        var garbage = _certs.PathOf("garbage.crt");
        File.WriteAllText(garbage, "not a certificate at all");
        var certOnly = _certs.PathOf("cert-only.pem");
        File.WriteAllText(certOnly, rsa.Certificate.ExportCertificatePem());
        var otherKey = _certs.PathOf("other.key");
        File.WriteAllText(otherKey, TestCertificates.KeyPem(otherRsa, TestCertificates.KeyForm.Pkcs8, ""));
        var ecKey = _certs.PathOf("ec.key");
        File.WriteAllText(ecKey, TestCertificates.KeyPem(ec, TestCertificates.KeyForm.Traditional, ""));
        var damagedKey = _certs.PathOf("damaged.key");
        File.WriteAllText(damagedKey, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");

        (CertificateSource Source, CertificateErrorKind Kind, string Path)[] table =
        [
            (good with { Certificate = _certs.PathOf("missing.crt") }, CertificateErrorKind.Unreadable, _certs.PathOf("missing.crt")),
            (good with { Key = _certs.PathOf("missing.key") }, CertificateErrorKind.Unreadable, _certs.PathOf("missing.key")),
            (new CertificateSource(garbage, "", ""), CertificateErrorKind.Malformed, garbage),
            (good with { Certificate = garbage }, CertificateErrorKind.Malformed, garbage),
            (new CertificateSource(certOnly, "", ""), CertificateErrorKind.NoPrivateKey, certOnly),
            (good with { Key = certOnly }, CertificateErrorKind.NoPrivateKey, certOnly),
            (good with { Key = otherKey }, CertificateErrorKind.KeyMismatch, otherKey),
            (good with { Key = ecKey }, CertificateErrorKind.KeyMismatch, ecKey),
            (good with { Key = damagedKey }, CertificateErrorKind.Malformed, damagedKey),
        ];

        foreach (var (source, kind, path) in table)
        {
            var e = Assert.Throws<CertificateLoadException>(() => Store(source));
            Assert.True((kind, path) == (e.Kind, e.Path), $"{source}: expected {kind} at {path}, got {e.Kind}: {e.Message}");
        }
    }

    [Fact]
    public void Sni_picks_the_exact_name_then_the_longest_wildcard_then_the_default()
    {
        var fallback = _certs.Leaf(false, "default.test");
        var exact = _certs.Leaf(false, "a.example.com");
        var wildcard = _certs.Leaf(true, "*.example.com");
        var apiWildcard = _certs.Leaf(true, "*.api.example.com");
        var store = Store(_certs.WritePem("default", fallback),
            new SniCertificate("a.example.com", _certs.WritePem("exact", exact)),
            new SniCertificate("*.example.com", _certs.WritePfx("wildcard", wildcard, "pw")),
            new SniCertificate("*.api.example.com", _certs.WriteCombinedPem("api", apiWildcard)));

        (string? Name, TestLeaf Expected)[] table =
        [
            ("a.example.com", exact),
            ("A.Example.COM.", exact),
            ("b.example.com", wildcard),
            ("x.y.example.com", wildcard),
            ("v1.api.example.com", apiWildcard),
            ("api.example.com", wildcard),
            ("example.com", fallback),
            ("other.org", fallback),
            ("", fallback),
            (null, fallback),
        ];
        foreach (var (name, expected) in table)
            Assert.True(expected.Thumbprint == store.Select(name).Leaf.Thumbprint, $"{name ?? "(no SNI)"} got {store.Select(name).Leaf.Subject}");
    }

    [Theory]
    [InlineData(ClientCertificateMode.None)]
    [InlineData(ClientCertificateMode.Optional)]
    [InlineData(ClientCertificateMode.Required)]
    public void The_options_offer_http_1_1_the_set_protocols_and_the_client_certificate_mode(ClientCertificateMode mode)
    {
        var leaf = _certs.Leaf(true, "a.example.com");
        var store = CertificateStore.Load(s_reference with { Default = _certs.WritePem("a", leaf), ClientCertificate = mode, Protocols = SslProtocols.Tls13 });

        var options = store.OptionsFor("a.example.com");

        Assert.Equal([SslApplicationProtocol.Http11], options.ApplicationProtocols!);
        Assert.Equal(SslProtocols.Tls13, options.EnabledSslProtocols);
        Assert.False(options.AllowRenegotiation);
        Assert.Equal(mode != ClientCertificateMode.None, options.ClientCertificateRequired);
        Assert.Equal(leaf.Thumbprint, options.ServerCertificateContext!.TargetCertificate.Thumbprint);
        Assert.Same(options, store.OptionsFor("a.example.com"));
    }

    [Fact]
    public void Without_a_default_certificate_the_store_refuses_to_load() =>
        Assert.Throws<ArgumentException>(() => CertificateStore.Load(s_reference));
}
