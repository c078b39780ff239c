using ActorHttp.Server;
using ActorHttp.Server.Tls;
using Akka.Event;

namespace ActorHttp.Actors.Tests.Server.Tls;

/// <summary>
/// Reload: a certificate file that changes on disk is served to the next selection, options already handed out keep the
/// old certificate, a broken file keeps the old one with a warning, and a symlink swap (certbot's live/) counts as a change.
/// Each test rewrites a file and then selects: the selection itself checks the files, so there is nothing to wait for.
/// </summary>
public sealed class CertificateReloadTests : Akka.TestKit.Xunit2.TestKit, IDisposable
{
    private readonly TestCertificates _certs = new();
    private static readonly TlsSettings s_reference = ServerSettings.Load().Tls;

    protected override void Dispose(bool disposing)
    {
        _certs.Dispose();
        base.Dispose(disposing);
    }

    private CertificateStore Store(CertificateSource source, bool reload = true) =>
        CertificateStore.Load(s_reference with { Enabled = true, Default = source, Reload = reload }, log: Logging.GetLogger(Sys, "tls"));

    // Rewrites the chain and key of `source` with `leaf`, and makes sure the change is visible in the files' stamps.
    private static void Rewrite(CertificateSource source, TestLeaf leaf, TestCertificates certs)
    {
        var before = File.GetLastWriteTimeUtc(source.Certificate);
        File.WriteAllText(source.Certificate, TestCertificates.ChainPem(leaf, certs.Ca));
        File.WriteAllText(source.Key, TestCertificates.KeyPem(leaf, TestCertificates.KeyForm.Pkcs8, ""));
        TestCertificates.Touch(source.Certificate, before);
        TestCertificates.Touch(source.Key, before);
    }

    [Fact]
    public void A_changed_file_is_served_to_new_selections_and_handed_out_options_keep_the_old_certificate()
    {
        var first = _certs.Leaf(false, "a.example.com");
        var second = _certs.Leaf(true, "a.example.com");
        var source = _certs.WritePem("a", first);
        var store = Store(source);
        var before = store.OptionsFor("a.example.com");

        Rewrite(source, second, _certs);

        Assert.Equal(second.Thumbprint, store.Select("a.example.com").Leaf.Thumbprint);
        Assert.Equal(second.Thumbprint, store.OptionsFor(null).ServerCertificateContext!.TargetCertificate.Thumbprint);
        Assert.Equal(first.Thumbprint, before.ServerCertificateContext!.TargetCertificate.Thumbprint);
        Assert.Null(store.LastReloadError);
    }

    [Fact]
    public void A_broken_file_keeps_the_old_certificate_logs_a_warning_and_a_fixed_file_is_loaded()
    {
        var first = _certs.Leaf(false, "a.example.com");
        var third = _certs.Leaf(false, "a.example.com");
        var source = _certs.WritePem("a", first);
        var store = Store(source);

        var before = File.GetLastWriteTimeUtc(source.Key);
        File.WriteAllText(source.Key, "-----BEGIN PRIVATE KEY-----\nhalf-written\n");
        TestCertificates.Touch(source.Key, before);
        EventFilter.Warning(contains: "cannot be loaded").ExpectOne(() =>
            Assert.Equal(first.Thumbprint, store.Select(null).Leaf.Thumbprint));

        // The same broken stamp is not tried (nor logged) again at every handshake.
        EventFilter.Warning().Expect(0, () => Assert.Equal(first.Thumbprint, store.Select(null).Leaf.Thumbprint));
        Assert.Equal(source.Key, store.LastReloadError!.Path);

        Rewrite(source, third, _certs);
        Assert.Equal(third.Thumbprint, store.Select(null).Leaf.Thumbprint);
    }

    [Fact]
    public void With_reload_off_the_first_certificate_stays()
    {
        var first = _certs.Leaf(false, "a.example.com");
        var source = _certs.WritePem("a", first);
        var store = Store(source, reload: false);

        Rewrite(source, _certs.Leaf(false, "a.example.com"), _certs);

        Assert.Equal(first.Thumbprint, store.Select(null).Leaf.Thumbprint);
    }

    [Fact]
    public void A_symlink_swapped_to_new_files_is_a_change()
    {
        // certbot's layout: live/ holds symlinks into archive/, and a renewal points them at new files.
        var first = _certs.Leaf(true, "a.example.com");
        var second = _certs.Leaf(true, "a.example.com");
        var v1 = _certs.WritePem("cert1", first);
        var v2 = _certs.WritePem("cert2", second);
        TestCertificates.Touch(v2.Certificate, File.GetLastWriteTimeUtc(v1.Certificate));
        TestCertificates.Touch(v2.Key, File.GetLastWriteTimeUtc(v1.Key));
        var live = new CertificateSource(_certs.PathOf("fullchain.pem"), _certs.PathOf("privkey.pem"), "");
        File.CreateSymbolicLink(live.Certificate, v1.Certificate);
        File.CreateSymbolicLink(live.Key, v1.Key);
        var store = Store(live);
        Assert.Equal(first.Thumbprint, store.Select(null).Leaf.Thumbprint);

        foreach (var (link, target) in new[] { (live.Certificate, v2.Certificate), (live.Key, v2.Key) })
        {
            File.CreateSymbolicLink(link + ".new", target);
            File.Move(link + ".new", link, overwrite: true);
        }

        Assert.Equal(second.Thumbprint, store.Select(null).Leaf.Thumbprint);
    }
}
