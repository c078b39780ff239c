using ActorHttp.Actors.Tests.Support;
using ActorHttp.Client;
using ActorHttp.Client.Pool;
using ActorHttp.Client.Settings;
using ActorHttp.Configuration;
using Akka.Configuration;

namespace ActorHttp.Actors.Tests.Client.Settings;

public sealed class ClientSettingsTests
{
    private const string Section = "actorhttp.client";

    private static ClientSettings Load(string overrides) => ClientSettings.Load(ConfigurationFactory.ParseString(overrides));

    [Fact]
    public void Every_key_in_client_conf_is_read_and_every_key_read_exists()
    {
        var read = new HashSet<string>();
        ClientSettings.Read(new SettingsReader(ReferenceConfig.Default, Section, read));

        // hosts is an empty block in the reference (no leaf), read as a section, not as a key.
        var keys = ReferenceKeys.Under(Section).Where(k => k != $"{Section}.hosts");
        Assert.NotEmpty(keys);
        Assert.Equal(keys.Order(StringComparer.Ordinal), read.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_reference_defaults_make_valid_pool_settings_and_apply_to_every_host()
    {
        var settings = ClientSettings.Load();
        Assert.Empty(settings.Hosts);
        Assert.Same(settings.Defaults, settings.For("example.com", 443));
        Assert.Equal(settings.Defaults.Pool, settings.Defaults.Pool.Validate());
        // The documented policy, not a repeated default: no separate per-host idle cap.
        Assert.Equal(0, settings.Defaults.MaxIdleConnsPerHost);
        Assert.True(settings.Defaults.MaxResponseHeaderBytes > 0);
    }

    [Fact]
    public void Code_overrides_win_over_the_reference()
    {
        var settings = Load($"{Section} {{ max-conns-per-host = 7, idle-conn-timeout = 3s, response-drain.max-bytes = 2k, max-idle-conns = 5 }}");
        Assert.Equal(7, settings.Defaults.MaxConnsPerHost);
        Assert.Equal(TimeSpan.FromSeconds(3), settings.Defaults.IdleConnTimeout);
        Assert.Equal(2048, settings.Defaults.ResponseDrainMaxBytes);
        Assert.Equal(5, settings.MaxIdleConns);
        Assert.Equal(new HostPoolSettings(7, settings.Defaults.MaxIdleConnsPerHost, TimeSpan.FromSeconds(3),
            settings.Defaults.MaxPendingRequests, settings.Defaults.MaxConnLifetime, settings.Defaults.MaxConnLifetimeJitter,
            settings.Defaults.DisableKeepAlives), settings.Defaults.Pool);
    }

    [Fact]
    public void A_host_block_overrides_only_its_keys_and_falls_back_to_the_defaults()
    {
        var settings = Load($$"""
            {{Section}} {
              request-timeout = 9s
              hosts { "*.example.com" { max-conns-per-host = 4, response-drain.timeout = 1s } }
            }
            """);
        var host = settings.For("api.example.com", 443);
        Assert.Equal(4, host.MaxConnsPerHost);
        Assert.Equal(TimeSpan.FromSeconds(1), host.ResponseDrainTimeout);
        Assert.Equal(TimeSpan.FromSeconds(9), host.RequestTimeout);                // from the overridden default
        Assert.Equal(settings.Defaults with { MaxConnsPerHost = 4, ResponseDrainTimeout = TimeSpan.FromSeconds(1) }, host);
        Assert.Same(settings.Defaults, settings.For("example.com", 443));           // the wildcard is for subdomains only
        Assert.Same(settings.Defaults, settings.For("example.org", 443));
    }

    public static TheoryData<string, int, int> Precedence => new()
    {
        // host, port, the max-conns-per-host of the block that must win (0 = defaults)
        { "api.example.com", 443, 2 },            // exact beats wildcards
        { "API.Example.COM.", 443, 2 },           // case and trailing dot ignored
        { "api.example.com", 8443, 3 },           // exact with port beats exact without
        { "x.eu.example.com", 443, 5 },           // longer wildcard beats shorter
        { "x.eu.example.com", 8443, 5 },          // a longer host part beats a port
        { "x.us.example.com", 443, 6 },
        { "x.us.example.com", 8443, 7 },          // same wildcard: the one with the port
        { "example.com", 443, 0 },
        { "[::1]", 8080, 8 },
        { "::1", 8081, 0 },
    };

    [Theory, MemberData(nameof(Precedence))]
    public void The_most_specific_matching_pattern_wins(string host, int port, int expected)
    {
        var settings = Load($$"""
            {{Section}}.max-conns-per-host = 0
            {{Section}}.hosts {
              "*.example.com" { max-conns-per-host = 6 }
              "*.example.com:8443" { max-conns-per-host = 7 }
              "*.eu.example.com" { max-conns-per-host = 5 }
              "api.example.com" { max-conns-per-host = 2 }
              "api.example.com:8443" { max-conns-per-host = 3 }
              "[::1]:8080" { max-conns-per-host = 8 }
            }
            """);
        Assert.Equal(expected, settings.For(host, port).MaxConnsPerHost);
    }

    [Theory]
    [InlineData("http://[::1]:8080/x", 8)]
    [InlineData("https://api.example.com/", 2)]
    [InlineData("https://b\u00FCcher.example.com/", 6)]      // the IDN host, punycoded, still under the wildcard
    [InlineData("http://example.com/", 0)]
    public void A_uri_resolves_by_its_host_and_port(string uri, int expected)
    {
        var settings = Load($$"""
            {{Section}}.max-conns-per-host = 0
            {{Section}}.hosts {
              "*.example.com" { max-conns-per-host = 6 }
              "api.example.com" { max-conns-per-host = 2 }
              "[::1]:8080" { max-conns-per-host = 8 }
            }
            """);
        Assert.Equal(expected, settings.For(new Uri(System.Text.RegularExpressions.Regex.Unescape(uri))).MaxConnsPerHost);
    }

    public static TheoryData<string, string> BadConfigs => new()
    {
        { $"{Section}.max-conns-per-host = -1", $"{Section}.max-conns-per-host" },
        { $"{Section}.idle-conn-timeout = -5s", $"{Section}.idle-conn-timeout" },
        { $"{Section}.dial-timeout = infinite", $"{Section}.dial-timeout" },
        { $"{Section}.max-response-header-bytes = 0", $"{Section}.max-response-header-bytes" },
        { $"{Section}.max-idle-conns = -1", $"{Section}.max-idle-conns" },
        { $"{Section} {{ max-conn-lifetime = 10s, max-conn-lifetime-jitter = 10s }}", $"{Section}.max-conn-lifetime-jitter" },
        { $"{Section}.hosts {{ \"*.x.com\" {{ max-idle-conns = 3 }} }}", $"{Section}.hosts.\"*.x.com\"" },
        { $"{Section}.hosts {{ \"*.x.com\" {{ max-conn-per-host = 3 }} }}", $"{Section}.hosts.\"*.x.com\"" },
        { $"{Section}.hosts {{ \"a.*.com\" {{ max-conns-per-host = 3 }} }}", $"{Section}.hosts.\"a.*.com\"" },
        { $"{Section}.hosts {{ \"x.com:http\" {{ max-conns-per-host = 3 }} }}", $"{Section}.hosts.\"x.com:http\"" },
        { $"{Section}.hosts {{ \"x.com\" {{ max-conns-per-host = -3 }} }}", $"{Section}.hosts.\"x.com\".max-conns-per-host" },
    };

    [Theory, MemberData(nameof(BadConfigs))]
    public void Bad_values_fail_at_load_naming_the_key(string overrides, string path)
    {
        var error = Assert.Throws<SettingsException>(() => Load(overrides));
        Assert.Equal(path, error.Path);
    }
}
