using System.Net;
using System.Text;
using ActorHttp.Actors.Tests.Client.Loopback;
using ActorHttp.Actors.Tests.Support.Peers;
using ActorHttp.Client;
using ActorHttp.Client.Proxy;
using ActorHttp.Client.Transport;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Client.Proxy;

/// <summary>
/// The transport through <see cref="ForwardProxy"/>: absolute-form requests for http:// targets, CONNECT tunnels
/// for https:// ones, credentials, 407, no-proxy, pooling by proxy, and no connection left behind.
/// </summary>
public abstract class ProxyLoopbackTests(ITestOutputHelper output, bool onLoops) : TransportTestBase(output, onLoops)
{
    private static string Basic(string user, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    private static string Config(string proxy, params string[] noProxy) =>
        $"actorhttp.client {{ proxy = \"{proxy}\", no-proxy = [{string.Join(", ", noProxy.Select(e => $"\"{e}\""))}] }}";

    private static TransportOptions TrustAll => new() { ServerCertificateValidation = (_, _, _, _) => true };

    [Fact]
    public async Task An_http_target_goes_to_the_proxy_in_absolute_form_with_the_proxy_credentials()
    {
        await using var origin = await KestrelPeer.StartAsync();
        await using var proxy = ForwardProxy.Start("ann", "p@ss word");
        var transport = NewTransport(Config(proxy.UrlWith("ann", "p@ss word")));
        var target = origin.Url("/plaintext?x=1");

        using (var response = await transport.RoundTripAsync(ClientRequest.Get(target), default).WaitAsync(Deadline))
        {
            Assert.Equal(200, response.StatusCode);
            Assert.Equal(KestrelPeerRoutes.PlaintextBody, await response.ReadAsStringAsync().WaitAsync(Deadline));
        }

        var seen = Assert.Single(proxy.Requests);
        Assert.Equal("GET", seen.Method);
        Assert.Equal($"http://127.0.0.1:{origin.EndPoint.Port}/plaintext?x=1", seen.Target);
        Assert.Equal($"127.0.0.1:{origin.EndPoint.Port}", seen.Header("Host"));
        Assert.Equal(Basic("ann", "p@ss word"), seen.Header("Proxy-Authorization"));
        await ClosedEverywhereAsync(transport, proxy);
    }

    [Fact]
    public async Task A_body_goes_through_the_proxy()
    {
        await using var origin = await KestrelPeer.StartAsync();
        await using var proxy = ForwardProxy.Start();
        var transport = NewTransport(Config(proxy.Url));
        var body = PeerBytes.Pattern(40_000);

        var request = new ClientRequest("POST", origin.Url("/echo"), RequestContent.FromBytes(body));
        using (var response = await transport.RoundTripAsync(request, default).WaitAsync(Deadline))
            Assert.Equal(body, await response.ReadAsByteArrayAsync().WaitAsync(Deadline));

        // Reuse after a body is not asserted: the connection may finish reading the echo before it hears its
        // own write completed, and then it closes instead of idling (a client race, not a proxy matter).
        var seen = Assert.Single(proxy.Requests);
        Assert.Equal(("POST", "40000"), (seen.Method, seen.Header("Content-Length")));
        await ClosedEverywhereAsync(transport, proxy);
    }

    [Fact]
    public async Task Http_targets_through_one_proxy_share_its_connections()
    {
        await using var first = await KestrelPeer.StartAsync();
        await using var second = await KestrelPeer.StartAsync();
        await using var proxy = ForwardProxy.Start();
        var transport = NewTransport(Config(proxy.Url));

        foreach (var target in new[] { first.Url("/plaintext"), second.Url("/plaintext"), first.Url("/plaintext") })
        {
            using var response = await transport.RoundTripAsync(ClientRequest.Get(target), default).WaitAsync(Deadline);
            Assert.Equal(KestrelPeerRoutes.PlaintextBody, await response.ReadAsStringAsync().WaitAsync(Deadline));
        }

        // Go keys an http:// target through a proxy by the proxy alone: one pool, one connection.
        Assert.Equal(1, proxy.Connections.Accepted);
        var pools = (await transport.GetPoolStatsAsync().WaitAsync(Deadline)).Hosts;
        var key = Assert.Single(pools.Keys);
        Assert.Equal(new ConnectionKey("http", "127.0.0.1", new Uri(proxy.Url).Port, new HttpProxy("127.0.0.1", new Uri(proxy.Url).Port, null)), key);
        Assert.Equal(3, proxy.Requests.Count);
        await ClosedEverywhereAsync(transport, proxy);
    }

    [Fact]
    public async Task An_https_target_gets_a_connect_tunnel_and_tls_with_the_target_which_is_reused()
    {
        await using var origin = await HttpsOrigin.StartAsync();
        await using var proxy = ForwardProxy.Start("bob", "secret");
        var transport = NewTransport(Config(proxy.UrlWith("bob", "secret")), TrustAll);

        for (int i = 0; i < 2; i++)
        {
            using var response = await transport.RoundTripAsync(ClientRequest.Get(origin.Url), default).WaitAsync(Deadline);
            Assert.Equal(200, response.StatusCode);
            Assert.Equal($"host=localhost:{origin.Url.Port}", await response.ReadAsStringAsync().WaitAsync(Deadline));
        }

        var connect = Assert.Single(proxy.Requests);
        Assert.Equal("CONNECT", connect.Method);
        Assert.Equal($"localhost:{origin.Url.Port}", connect.Target);
        Assert.Equal($"localhost:{origin.Url.Port}", connect.Header("Host"));
        Assert.Equal(Basic("bob", "secret"), connect.Header("Proxy-Authorization"));
        Assert.Equal(["localhost"], origin.ServerNames);
        Assert.Equal(1, proxy.Connections.Accepted);
        await ClosedEverywhereAsync(transport, proxy);
    }

    [Fact]
    public async Task A_407_to_connect_is_a_typed_error_naming_the_status()
    {
        await using var origin = await HttpsOrigin.StartAsync();
        await using var proxy = ForwardProxy.Start("bob", "secret");
        var transport = NewTransport(Config(proxy.Url), TrustAll);
        var traces = new TraceRecorder();
        var request = ClientRequest.Get(origin.Url) with { Trace = traces };

        var error = await Assert.ThrowsAsync<HttpClientException>(() => transport.RoundTripAsync(request, default).WaitAsync(Deadline));

        Assert.Equal(ClientErrorKind.ProxyConnectFailed, error.Kind);
        Assert.Equal(407, error.ProxyStatusCode);
        Assert.Contains("407", error.Message);
        Assert.False(error.RequestWritten);
        Assert.True(error.IsConnectionFailure);
        Assert.Null(Assert.Single(proxy.Requests).Header("Proxy-Authorization"));
        Assert.Empty(origin.ServerNames);
        // GetConn and the dial name the first hop, the proxy (as Go's do), and the dial reports the tunnel's failure.
        var proxyAddress = new Uri(proxy.Url).Authority;
        Assert.Equal(proxyAddress, traces.Events.OfType<GetConn>().Single().HostPort);
        Assert.Equal(proxyAddress, traces.Events.OfType<DialStart>().Single().Address);
        Assert.Equal(ClientErrorKind.ProxyConnectFailed, traces.Events.OfType<DialDone>().Single().Error?.Kind);
        Assert.Empty(traces.Events.OfType<TlsHandshakeStart>());
        await ClosedEverywhereAsync(transport, proxy);
    }

    [Fact]
    public async Task HttpClient_sees_a_refused_tunnel_as_a_proxy_tunnel_error()
    {
        await using var origin = await HttpsOrigin.StartAsync();
        await using var proxy = ForwardProxy.Start("bob", "secret");
        var transport = NewTransport(Config(proxy.Url), TrustAll);
        using var http = new HttpClient(new ActorHttpHandler(transport, Options()));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(origin.Url).WaitAsync(Deadline));

        Assert.Equal(HttpRequestError.ProxyTunnelError, error.HttpRequestError);
        Assert.Equal(407, Assert.IsType<HttpClientException>(error.InnerException).ProxyStatusCode);
        await ClosedEverywhereAsync(transport, proxy);
    }

    [Fact]
    public async Task A_407_to_an_http_request_is_the_response()
    {
        await using var origin = await KestrelPeer.StartAsync();
        await using var proxy = ForwardProxy.Start("bob", "secret");
        var transport = NewTransport(Config(proxy.UrlWith("bob", "wrong")));

        // As in Go: for a forwarded request, the proxy's answer is the response.
        using var response = await transport.RoundTripAsync(ClientRequest.Get(origin.Url("/plaintext")), default).WaitAsync(Deadline);
        Assert.Equal(407, response.StatusCode);
        Assert.Equal(0, origin.Connections.Accepted);
        await ClosedEverywhereAsync(transport, proxy);
    }

    [Fact]
    public async Task A_proxy_that_never_answers_connect_times_out_within_the_dial_timeout()
    {
        using var silent = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var transport = NewTransport(Config($"http://{silent.LocalEndpoint}") + "\nactorhttp.client.dial-timeout = 300ms", TrustAll);

        var error = await Assert.ThrowsAsync<HttpClientException>(() =>
            transport.RoundTripAsync(ClientRequest.Get("https://localhost:1/"), default).WaitAsync(Deadline));

        Assert.Equal(ClientErrorKind.DialTimeout, error.Kind);
        Assert.Contains(silent.LocalEndpoint.ToString()!, error.Message);
    }

    [Fact]
    public async Task A_no_proxy_match_goes_direct()
    {
        await using var origin = await KestrelPeer.StartAsync();
        await using var proxy = ForwardProxy.Start();
        var transport = NewTransport(Config(proxy.Url, "example.com", $"127.0.0.1:{origin.EndPoint.Port}"));

        using (var response = await transport.RoundTripAsync(ClientRequest.Get(origin.Url("/plaintext")), default).WaitAsync(Deadline))
            Assert.Equal(KestrelPeerRoutes.PlaintextBody, await response.ReadAsStringAsync().WaitAsync(Deadline));

        Assert.Empty(proxy.Requests);
        Assert.Equal(1, origin.Connections.Accepted);
        var key = Assert.Single((await transport.GetPoolStatsAsync().WaitAsync(Deadline)).Hosts.Keys);
        Assert.Null(key.Proxy);
    }

    [Fact]
    public async Task The_code_seam_picks_the_proxy_per_target_and_an_iwebproxy_brings_its_credentials()
    {
        await using var origin = await KestrelPeer.StartAsync();
        await using var proxy = ForwardProxy.Start("carol", "pw");
        var webProxy = new WebProxy(proxy.Url) { Credentials = new NetworkCredential("carol", "pw") };
        var transport = NewTransport(Config("environment"), new TransportOptions { Proxy = WebProxySelector.From(webProxy) });

        using (var response = await transport.RoundTripAsync(ClientRequest.Get(origin.Url("/plaintext")), default).WaitAsync(Deadline))
            Assert.Equal(200, response.StatusCode);

        Assert.Equal(Basic("carol", "pw"), Assert.Single(proxy.Requests).Header("Proxy-Authorization"));
        await ClosedEverywhereAsync(transport, proxy);
    }

    [Fact]
    public async Task HttpClient_over_the_handler_goes_through_the_configured_proxy()
    {
        await using var origin = await KestrelPeer.StartAsync();
        await using var proxy = ForwardProxy.Start();
        var transport = NewTransport(Config(proxy.Url));
        using var http = new HttpClient(new ActorHttpHandler(transport, Options()));

        Assert.Equal(KestrelPeerRoutes.PlaintextBody, await http.GetStringAsync(origin.Url("/plaintext")).WaitAsync(Deadline));

        Assert.StartsWith("http://127.0.0.1:", Assert.Single(proxy.Requests).Target);
        await ClosedEverywhereAsync(transport, proxy);
    }

    [Fact]
    public async Task A_selector_that_throws_fails_the_request_with_invalid_proxy_before_anything_is_sent()
    {
        var transport = NewTransport(options: new TransportOptions { Proxy = _ => throw new InvalidOperationException("no proxy today") });
        var error = await Assert.ThrowsAsync<HttpClientException>(() =>
            transport.RoundTripAsync(ClientRequest.Get("http://127.0.0.1:1/"), default).WaitAsync(Deadline));
        Assert.Equal(ClientErrorKind.InvalidProxy, error.Kind);
        Assert.False(error.RequestWritten);

        // The same through the transport actor, for callers that tell it requests.
        transport.Actor.Tell(ClientRequest.Get("http://127.0.0.1:1/"), TestActor);
        var failure = ExpectMsg<Akka.Actor.Status.Failure>(Deadline);
        Assert.Equal(ClientErrorKind.InvalidProxy, Assert.IsType<HttpClientException>(failure.Cause).Kind);
    }

    // Every connection the transport made through the proxy is closed on both ends once the idle ones are closed. A response
    // disposed unread is drained before its connection is idle again: close once none is busy, or a busy one would stay open.
    private async Task ClosedEverywhereAsync(ActorTransport transport, ForwardProxy proxy)
    {
        await AwaitAssertAsync(async () => Assert.All((await transport.GetPoolStatsAsync()).Hosts.Values, s => Assert.Equal(0, s.Busy + s.Dialing)), Deadline);
        transport.CloseIdleConnections();
        await proxy.Connections.WaitForAllClosedAsync().WaitAsync(Deadline);
    }

    /// <summary>Plain-HTTP connections on the event loops.</summary>
    public sealed class OnLoops(ITestOutputHelper output) : ProxyLoopbackTests(output, onLoops: true);

    /// <summary>Every connection on a stream (epoll-event-loop off).</summary>
    public sealed class OnStreams(ITestOutputHelper output) : ProxyLoopbackTests(output, onLoops: false);
}
