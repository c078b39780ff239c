using System.Buffers;
using System.Net;
using System.Text;
using ActorHttp.Client;
using ActorHttp.Client.Connection;
using ActorHttp.Client.Proxy;
using ActorHttp.Client.Transport;
using ActorHttp.Configuration;
using Akka.Configuration;

namespace ActorHttp.Actors.Tests.Client.Proxy;

/// <summary>The proxy setting, proxy URLs, connection keys through a proxy, and the absolute-form request head.</summary>
public sealed class ProxySettingsTests
{
    private static ClientSettings Load(string overrides) => ClientSettings.Load(ConfigurationFactory.ParseString(overrides));

    [Fact]
    public void By_default_there_is_no_proxy()
    {
        var settings = ClientSettings.Load();
        Assert.Equal(ProxySource.None, settings.Proxy.Source);
        Assert.Null(settings.Proxy.Selector());
    }

    [Fact]
    public void A_url_with_a_no_proxy_list_is_read_and_selects_per_target()
    {
        var settings = Load("""actorhttp.client { proxy = "http://u:p@proxy.local:3128", no-proxy = [".internal", "10.0.0.0/8"] }""");
        Assert.Equal(ProxySource.Url, settings.Proxy.Source);
        var select = settings.Proxy.Selector()!;
        Assert.Equal(new Uri("http://u:p@proxy.local:3128"), select(new Uri("https://example.org/")));
        Assert.Equal(new Uri("http://u:p@proxy.local:3128"), select(new Uri("http://127.0.0.1/")));   // an explicit proxy takes loopback too
        Assert.Null(select(new Uri("http://db.internal/")));
        Assert.Null(select(new Uri("http://10.2.3.4:8080/")));
        Assert.DoesNotContain("u:p", settings.Proxy.ToString());
        Assert.Equal(ProxySource.Environment, Load("""actorhttp.client.proxy = environment""").Proxy.Source);
    }

    [Theory]
    [InlineData("""actorhttp.client.proxy = "socks5://proxy:1080" """, "actorhttp.client.proxy")]
    [InlineData("""actorhttp.client.proxy = "https://proxy:443" """, "actorhttp.client.proxy")]
    [InlineData("""actorhttp.client.proxy = "proxy:3128" """, "actorhttp.client.proxy")]
    [InlineData("""actorhttp.client.proxy = "http://proxy:3128/path" """, "actorhttp.client.proxy")]
    [InlineData("""actorhttp.client.proxy = "env" """, "actorhttp.client.proxy")]
    [InlineData("""actorhttp.client.no-proxy = "a.com" """, "actorhttp.client.no-proxy")]
    [InlineData("""actorhttp.client.hosts { "a.com" { proxy = "http://p:1" } }""", "actorhttp.client.hosts.\"a.com\"")]
    public void Bad_proxy_settings_fail_at_load_naming_the_key(string overrides, string path) =>
        Assert.Equal(path, Assert.Throws<SettingsException>(() => Load(overrides)).Path);

    [Fact]
    public void A_proxy_url_gives_host_port_and_basic_credentials_percent_decoded()
    {
        var proxy = HttpProxy.FromUri(new Uri("http://us%40er:p%3Ass%20w@Proxy.Example:8080"));
        Assert.Equal("proxy.example", proxy.Host);
        Assert.Equal(8080, proxy.Port);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("us@er:p:ss w")), proxy.Authorization);
        Assert.Equal("http://proxy.example:8080", proxy.ToString());

        Assert.Equal(new HttpProxy("proxy", 80, null), HttpProxy.FromUri(new Uri("http://proxy")));  // Go's default port
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("u:")), HttpProxy.FromUri(new Uri("http://u@p:1")).Authorization);
        Assert.Equal(new HttpProxy("::1", 3128, null), HttpProxy.FromUri(new Uri("http://[::1]:3128")));
        Assert.Equal("http://[::1]:3128", HttpProxy.FromUri(new Uri("http://[::1]:3128")).ToString());
        var error = Assert.Throws<FormatException>(() => HttpProxy.FromUri(new Uri("https://u:secret@p:1")));
        Assert.DoesNotContain("secret", error.Message);
    }

    [Fact]
    public void Keys_follow_go_http_targets_share_the_proxy_https_targets_do_not()
    {
        var proxy = new HttpProxy("proxy", 3128, null);
        var a = ConnectionKey.Of(new Uri("http://a.example/"), proxy);
        var b = ConnectionKey.Of(new Uri("http://b.example:8080/"), proxy);
        Assert.Equal(a, b);
        Assert.Equal(new ConnectionKey("http", "proxy", 3128, proxy), a);
        Assert.Same(proxy, a.ForwardProxy);
        Assert.Null(a.TunnelProxy);
        Assert.Equal("http://* via http://proxy:3128", a.ToString());

        var sa = ConnectionKey.Of(new Uri("https://a.example/"), proxy);
        Assert.NotEqual(sa, ConnectionKey.Of(new Uri("https://b.example/"), proxy));
        Assert.Equal(new ConnectionKey("https", "a.example", 443, proxy), sa);
        Assert.Same(proxy, sa.TunnelProxy);
        Assert.Equal("proxy:3128", sa.DialHostPort);
        Assert.Equal("a.example:443", sa.HostPort);

        // Other credentials, another pool (Go keys by the whole proxy URL).
        Assert.NotEqual(a, ConnectionKey.Of(new Uri("http://a.example/"), proxy with { Authorization = "Basic eDp5" }));
        Assert.NotEqual(ConnectionKey.Of(new Uri("http://proxy:3128/")), a);
    }

    [Fact]
    public void Through_a_proxy_the_head_has_the_absolute_target_and_replaces_the_callers_proxy_authorization()
    {
        var request = new ClientRequest("GET", new Uri("http://user:pw@example.org:8080/a%20b?q=1#frag"))
        {
            Headers = RequestHeaders.From([KeyValuePair.Create("Proxy-Authorization", "Basic caller")]),
        };
        var head = Head(request, new HttpProxy("proxy", 3128, "Basic dTpw"));
        Assert.Equal("GET http://example.org:8080/a%20b?q=1 HTTP/1.1\r\nHost: example.org:8080\r\nProxy-Authorization: Basic dTpw\r\n\r\n", head);

        // Without proxy credentials the caller's field goes as it is; without a proxy, the origin form.
        Assert.Contains("Proxy-Authorization: Basic caller\r\n", Head(request, new HttpProxy("proxy", 3128, null)));
        Assert.StartsWith("GET /a%20b?q=1 HTTP/1.1\r\n", Head(request, null));
        Assert.StartsWith("GET http://example.org/ HTTP/1.1\r\nHost: example.org\r\n", Head(ClientRequest.Get("http://example.org"), new HttpProxy("p", 1, null)));
    }

    [Fact]
    public void A_web_proxy_is_asked_per_target_and_lends_its_credentials()
    {
        var webProxy = new WebProxy("http://proxy:3128", BypassOnLocal: false, BypassList: [@"direct\.example"])
        {
            Credentials = new NetworkCredential("u s", "p@ss"),
        };
        var select = WebProxySelector.From(webProxy);
        Assert.Null(select(new Uri("http://direct.example/")));
        var url = select(new Uri("http://other.example/"))!;
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("u s:p@ss")), HttpProxy.FromUri(url).Authorization);
        Assert.Equal(new HttpProxy("proxy", 3128, null), HttpProxy.FromUri(WebProxySelector.From(new WebProxy("http://proxy:3128"))(new Uri("http://x/"))!));
    }

    private static string Head(ClientRequest request, HttpProxy? proxy)
    {
        var writer = new ArrayBufferWriter<byte>();
        RequestHeadBuilder.Write(request, writer, closeAfter: false, waitForContinue: false, out _, proxy);
        return Encoding.ASCII.GetString(writer.WrittenSpan);
    }
}
