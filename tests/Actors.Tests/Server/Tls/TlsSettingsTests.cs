using System.Security.Authentication;
using ActorHttp.Configuration;
using ActorHttp.Server;
using ActorHttp.Server.Tls;
using Akka.Configuration;

namespace ActorHttp.Actors.Tests.Server.Tls;

/// <summary>actorhttp.server.tls: the reference defaults, and every value refused when the settings are read (naming the key).</summary>
public sealed class TlsSettingsTests
{
    private const string Section = "actorhttp.server.tls";

    private static TlsSettings Load(string hocon) => ServerSettings.Load(ConfigurationFactory.ParseString(hocon)).Tls;

    private static SettingsException Refused(string hocon) => Assert.Throws<SettingsException>(() => Load(hocon));

    [Fact]
    public void The_reference_is_off_with_tls_1_2_and_1_3_a_10s_handshake_timeout_and_reload()
    {
        var tls = ServerSettings.Load().Tls;

        Assert.False(tls.Enabled);
        Assert.Equal(SslProtocols.Tls12 | SslProtocols.Tls13, tls.Protocols);
        Assert.Equal(TimeSpan.FromSeconds(10), tls.HandshakeTimeout);
        Assert.True(tls.Reload);
        Assert.Equal(ClientCertificateMode.None, tls.ClientCertificate);
        Assert.Empty(tls.Hosts);
        Assert.Equal(new CertificateSource("", "", ""), tls.Default);
    }

    [Fact]
    public void Settings_with_hosts_are_equal_by_value_and_never_print_a_password()
    {
        const string hocon = $$"""
            {{Section}} {
              enabled = on, certificate = a.pfx, password = "s3cret"
              hosts { "api.example.com" { certificate = api.crt, key = api.key } }
            }
            """;

        Assert.Equal(Load(hocon), Load(hocon));
        Assert.Equal(ServerSettings.Load(ConfigurationFactory.ParseString(hocon)), ServerSettings.Load(ConfigurationFactory.ParseString(hocon)));
        Assert.DoesNotContain("s3cret", Load(hocon).ToString());
        Assert.Contains("Password = ***", Load(hocon).Default.ToString());
    }

    [Theory]
    [InlineData("[TLS1.2, TLS1.3]", SslProtocols.Tls12 | SslProtocols.Tls13)]
    [InlineData("[\"TLS1.3\"]", SslProtocols.Tls13)]
    [InlineData("[TLSv1.2]", SslProtocols.Tls12)]
    [InlineData("[tls13, Tls12]", SslProtocols.Tls12 | SslProtocols.Tls13)]
    public void Protocols_take_tls_1_2_and_1_3_in_several_spellings(string list, SslProtocols expected) =>
        Assert.Equal(expected, Load($"{Section}.protocols = {list}").Protocols);

    [Theory]
    [InlineData("[TLS1.1]", "TLS1.1", "RFC 8996")]
    [InlineData("[TLS1.2, TLS1.1]", "TLS1.1", "RFC 8996")]
    [InlineData("[TLS1.0]", "TLS1.0", "RFC 8996")]
    [InlineData("[TLSv1]", "TLSv1", "RFC 8996")]
    [InlineData("[SSL3]", "SSL3", "RFC 8996")]
    [InlineData("[TLS1.4]", "TLS1.4", "not a TLS version")]
    [InlineData("[]", "at least one", "at least one")]
    [InlineData("TLS1.2", "list", "list")]
    public void Protocols_older_than_tls_1_2_or_unknown_are_refused_naming_the_key(string list, string named, string why)
    {
        var e = Refused($"{Section}.protocols = {list}");

        Assert.Equal($"{Section}.protocols", e.Path);
        Assert.Contains(named, e.Message);
        Assert.Contains(why, e.Message);
    }

    [Theory]
    [InlineData("none", ClientCertificateMode.None)]
    [InlineData("optional", ClientCertificateMode.Optional)]
    [InlineData("Required", ClientCertificateMode.Required)]
    public void Client_certificate_modes(string value, ClientCertificateMode mode) =>
        Assert.Equal(mode, Load($"{Section}.client-certificate = {value}").ClientCertificate);

    [Theory]
    [InlineData($"{Section}.client-certificate = sometimes", $"{Section}.client-certificate")]
    [InlineData($"{Section}.enabled = on", $"{Section}.certificate")]
    [InlineData($"{Section}.handshake-timeout = soon", $"{Section}.handshake-timeout")]
    [InlineData($"{Section}.hosts {{ \"a.*.com\" {{ certificate = a.crt }} }}", $"{Section}.hosts.\"a.*.com\"")]
    [InlineData($"{Section}.hosts {{ \"127.0.0.1\" {{ certificate = a.crt }} }}", $"{Section}.hosts.\"127.0.0.1\"")]
    [InlineData($"{Section}.hosts {{ \"bad_name!\" {{ certificate = a.crt }} }}", $"{Section}.hosts.\"bad_name!\"")]
    [InlineData($"{Section}.hosts {{ \"a.com\" {{ key = a.key }} }}", $"{Section}.hosts.\"a.com\".certificate")]
    [InlineData($"{Section}.hosts {{ \"a.com\" {{ certificate = a.crt, protocols = [TLS1.3] }} }}", $"{Section}.hosts.\"a.com\"")]
    [InlineData($"{Section}.hosts {{ \"a.com\" {{ certificate = a.crt }}\n \"A.COM\" {{ certificate = b.crt }} }}", $"{Section}.hosts.\"A.COM\"")]
    [InlineData($"{Section}.hosts {{ \"a.com\" = a.crt }}", $"{Section}.hosts.\"a.com\"")]
    public void Bad_values_are_refused_naming_the_key(string hocon, string path) => Assert.Equal(path, Refused(hocon).Path);

    [Fact]
    public void Host_patterns_are_read_in_canonical_form_with_key_and_password_optional()
    {
        var tls = Load($$"""
            {{Section}} {
              certificate = default.pfx
              hosts {
                "API.Example.com." { certificate = api.crt, key = api.key }
                "*.example.com" { certificate = wild.pfx, password = pw }
                "bücher.example" { certificate = b.pem }
              }
            }
            """);

        Assert.Equal(
            [
                new SniCertificate("api.example.com", new CertificateSource("api.crt", "api.key", "")),
                new SniCertificate("*.example.com", new CertificateSource("wild.pfx", "", "pw")),
                new SniCertificate("xn--bcher-kva.example", new CertificateSource("b.pem", "", "")),
            ],
            tls.Hosts);
        Assert.True(tls.Hosts[1].IsWildcard);
    }
}
