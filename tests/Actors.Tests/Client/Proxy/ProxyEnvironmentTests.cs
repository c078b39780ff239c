using ActorHttp.Client;
using ActorHttp.Client.Proxy;

namespace ActorHttp.Actors.Tests.Client.Proxy;

/// <summary>Go's ProxyFromEnvironment, with the environment as a table: precedence, parsing, exceptions, CGI.</summary>
public sealed class ProxyEnvironmentTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] variables)
    {
        var table = variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        return name => table.TryGetValue(name, out var value) ? value : null;
    }

    private static string? Choose(Func<string, string?> env, string target) =>
        ProxyEnvironment.Read(env).Selector()(new Uri(target))?.ToString();

    [Fact]
    public void Upper_case_wins_when_set_and_not_empty_else_lower_case()
    {
        var both = ProxyEnvironment.Read(Env(("HTTP_PROXY", "upper:1"), ("http_proxy", "lower:1"), ("https_proxy", "lower:2"),
            ("NO_PROXY", ""), ("no_proxy", "a.com")));
        Assert.Equal(new ProxyEnvironment("upper:1", "lower:2", "a.com", false), both);
        Assert.Equal(new ProxyEnvironment("", "", "", false), ProxyEnvironment.Read(Env()));
        Assert.True(ProxyEnvironment.Read(Env(("REQUEST_METHOD", "GET"))).Cgi);
    }

    public static TheoryData<string, string, string?> Choices => new()
    {
        // HTTP_PROXY=http://hp:3128, HTTPS_PROXY=sp:8443 (no scheme: http://), NO_PROXY below; target → proxy
        { "http://example.org/", "", "http://hp:3128/" },
        { "https://example.org/", "", "http://sp:8443/" },
        { "ftp://example.org/", "", null },
        { "http://localhost:8080/", "", null },                       // loopback is never proxied
        { "http://127.0.0.1/", "", null },
        { "http://127.9.9.9/", "", null },
        { "http://[::1]:81/", "", null },
        { "http://example.org/", "*", null },
        { "http://example.org/", "example.org", null },               // a domain: itself...
        { "http://www.example.org/", "example.org", null },           // ...and below
        { "http://badexample.org/", "example.org", "http://hp:3128/" },  // but not a longer name
        { "http://example.org/", ".example.org", "http://hp:3128/" }, // a leading dot: below only
        { "http://a.example.org/", ".example.org", null },
        { "http://a.example.org/", "*.example.org", null },
        { "http://example.org/", "*.example.org", "http://hp:3128/" },
        { "http://EXAMPLE.org/", " Example.ORG ", null },             // case and spaces ignored
        { "http://example.org:8080/", "example.org:8080", null },     // ports: only that port
        { "http://example.org/", "example.org:8080", "http://hp:3128/" },
        { "https://example.org/", "example.org:443", null },          // the scheme's default port counts
        { "http://10.1.2.3/", "10.1.2.3", null },                     // addresses
        { "http://10.1.2.3:81/", "10.1.2.3:80", "http://hp:3128/" },
        { "http://10.1.2.3/", "10.0.0.0/8", null },                   // CIDR
        { "http://10.1.2.3/", "10.9.9.9/8", null },                   // host bits in a CIDR are ignored, as Go's ParseCIDR
        { "http://11.1.2.3/", "10.0.0.0/8", "http://hp:3128/" },
        { "http://[fd00::1]/", "fd00::/8", null },
        { "http://[fd00::1]:81/", "[fd00::1]:81", null },
        { "http://[fd00::1]/", "fd00::1", null },
        { "http://10.1.2.3/", "10.1.2.3.example.org,example.org", "http://hp:3128/" }, // domains never match addresses
        { "http://x.org/", ",, x.org ,bogus:port,:80", null },        // unreadable entries are skipped
        { "http://y.org/", "bogus:port,:80,[::1", "http://hp:3128/" },
        { "http://xn--bcher-kva.example/", "bücher.example", null },  // names compare in punycode
    };

    [Theory, MemberData(nameof(Choices))]
    public void The_environment_chooses_like_go(string target, string noProxy, string? expected) =>
        Assert.Equal(expected, Choose(Env(("HTTP_PROXY", "http://hp:3128"), ("HTTPS_PROXY", "sp:8443"), ("NO_PROXY", noProxy)), target));

    [Fact]
    public void No_https_proxy_means_https_goes_direct_even_with_an_http_proxy()
    {
        Assert.Null(Choose(Env(("HTTP_PROXY", "http://hp:3128")), "https://example.org/"));
        Assert.Null(Choose(Env(("HTTPS_PROXY", "http://sp:1")), "http://example.org/"));
    }

    [Fact]
    public void An_unreadable_proxy_value_is_ignored()
    {
        Assert.Null(Choose(Env(("HTTP_PROXY", "%zz:1")), "http://example.org/"));
        Assert.Null(Choose(Env(("HTTP_PROXY", "::")), "http://example.org/"));
    }

    [Fact]
    public void Under_cgi_an_http_request_that_would_use_http_proxy_fails_but_https_proxy_still_applies()
    {
        var select = ProxyEnvironment.Read(Env(("HTTP_PROXY", "hp:1"), ("HTTPS_PROXY", "sp:2"), ("REQUEST_METHOD", "POST"))).Selector();
        var error = Assert.Throws<HttpClientException>(() => select(new Uri("http://example.org/")));
        Assert.Equal(ClientErrorKind.InvalidProxy, error.Kind);
        Assert.Contains("CGI", error.Message);
        Assert.Equal(new Uri("http://sp:2"), select(new Uri("https://example.org/")));
        // Go refuses before looking at the exceptions.
        Assert.Throws<HttpClientException>(() => select(new Uri("http://localhost/")));
        Assert.Null(ProxyEnvironment.Read(Env(("REQUEST_METHOD", "POST"))).Selector()(new Uri("http://example.org/")));
    }

    [Fact]
    public void The_setting_adds_its_no_proxy_entries_to_the_environment_s()
    {
        var settings = ProxySettings.Parse("environment", ["b.org"]);
        var select = settings.Selector(Env(("HTTP_PROXY", "hp:1"), ("NO_PROXY", "a.org")))!;
        Assert.Null(select(new Uri("http://a.org/")));
        Assert.Null(select(new Uri("http://b.org/")));
        Assert.Equal(new Uri("http://hp:1"), select(new Uri("http://c.org/")));
    }
}
