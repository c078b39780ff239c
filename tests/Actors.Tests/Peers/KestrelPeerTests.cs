using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using ActorHttp.Actors.Tests.Support.Peers;
using ActorHttp.Protocol;
using static ActorHttp.Actors.Tests.Peers.PeerTesting;

namespace ActorHttp.Actors.Tests.Peers;

public sealed class KestrelPeerTests
{
    [Fact]
    public async Task Plaintext_answers_get_and_head_with_the_same_length()
    {
        await using var peer = await KestrelPeer.StartAsync();
        using var client = NewHttpClient();

        using var get = await client.GetAsync(peer.Url("/plaintext")).WaitAsync(Deadline);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(KestrelPeerRoutes.PlaintextBody, await get.Content.ReadAsStringAsync());
        Assert.Equal(KestrelPeerRoutes.PlaintextBody.Length, get.Content.Headers.ContentLength);

        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, peer.Url("/plaintext"))).WaitAsync(Deadline);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(KestrelPeerRoutes.PlaintextBody.Length, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    public static TheoryData<string> GetRoutes => new()
    {
        "/plaintext", "/status/200", "/conn", "/gzip", "/deflate", "/stream/10000", "/chunked-trailers",
        "/cookies", "/delay/1", "/anything/x",
    };

    [Theory]
    [MemberData(nameof(GetRoutes))]
    public async Task Head_sends_no_body_bytes_on_any_get_route(string route)
    {
        await using var peer = await KestrelPeer.StartAsync();
        await using var raw = await RawClient.ConnectAsync(peer.EndPoint);
        // Pipelined: had the HEAD response carried a body, the GET's status line would not parse.
        await raw.SendAsync($"HEAD {route} HTTP/1.1\r\nHost: peer\r\n\r\nGET /plaintext HTTP/1.1\r\nHost: peer\r\n\r\n");

        var head = await raw.ReadResponseAsync(RequestMethod.Head).WaitAsync(Deadline);
        var get = await raw.ReadResponseAsync().WaitAsync(Deadline);

        Assert.Equal(200, head.Head.StatusCode);
        Assert.Equal(200, get.Head.StatusCode);
        Assert.Equal(KestrelPeerRoutes.PlaintextBody, get.BodyText);
    }

    [Fact]
    public async Task Echo_streams_the_body_back_after_100_continue()
    {
        await using var peer = await KestrelPeer.StartAsync();
        using var client = NewHttpClient();
        var body = PeerBytes.Pattern(256 * 1024);
        var request = new HttpRequestMessage(HttpMethod.Post, peer.Url("/echo")) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/x-test");
        request.Headers.ExpectContinue = true;

        using var response = await client.SendAsync(request).WaitAsync(Deadline);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-test", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Echo_answers_chunked_when_the_request_was_chunked()
    {
        await using var peer = await KestrelPeer.StartAsync();
        await using var raw = await RawClient.ConnectAsync(peer.EndPoint);
        await raw.SendAsync("POST /echo HTTP/1.1\r\nHost: peer\r\nTransfer-Encoding: chunked\r\n\r\n" +
                            RawResponse.Chunked(["abc", "defgh"]));

        var response = await raw.ReadResponseAsync().WaitAsync(Deadline);

        Assert.Equal(BodyKind.Chunked, response.Head.Framing.Kind);
        Assert.Equal("abcdefgh", response.BodyText);
    }

    [Fact]
    public async Task Anything_describes_method_target_headers_and_body()
    {
        await using var peer = await KestrelPeer.StartAsync();
        using var client = NewHttpClient();
        var request = new HttpRequestMessage(HttpMethod.Put, peer.Url("/anything/a/b?x=1&x=2&y=%20"))
        {
            Content = new StringContent("payload", Encoding.UTF8, "text/plain"),
        };
        request.Headers.Add("X-Multi", ["one", "two"]);

        using var response = await client.SendAsync(request).WaitAsync(Deadline);
        var json = await response.JsonAsync();

        Assert.Equal("PUT", json.GetProperty("method").GetString());
        Assert.Equal("/anything/a/b?x=1&x=2&y=%20", json.GetProperty("target").GetString());
        Assert.Equal("/anything/a/b", json.GetProperty("path").GetString());
        Assert.Equal("x=1&x=2&y=%20", json.GetProperty("query").GetString());
        Assert.Equal(["1", "2"], json.GetProperty("args").List("x"));
        Assert.Equal("HTTP/1.1", json.GetProperty("proto").GetString());
        Assert.Equal($"127.0.0.1:{peer.EndPoint.Port}", json.GetProperty("host").GetString());
        Assert.Equal("one, two", string.Join(", ", json.GetProperty("headers").List("X-Multi")));
        Assert.Equal("payload", Encoding.UTF8.GetString(json.GetProperty("body_b64").GetBytesFromBase64()));
        Assert.Empty(json.GetProperty("trailers").EnumerateObject());
    }

    [Fact]
    public async Task Anything_reports_request_trailers_and_answers_the_bare_path()
    {
        await using var peer = await KestrelPeer.StartAsync();
        await using var raw = await RawClient.ConnectAsync(peer.EndPoint);
        await raw.SendAsync("POST /anything HTTP/1.1\r\nHost: peer\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n" +
                            RawResponse.Chunked(["hello"], [("X-Sum", "42")]));

        var response = await raw.ReadResponseAsync().WaitAsync(Deadline);
        var json = JsonDocument.Parse(response.Body).RootElement;

        Assert.Equal(200, response.Head.StatusCode);
        Assert.Equal("/anything", json.GetProperty("path").GetString());
        Assert.Equal("hello", Encoding.UTF8.GetString(json.GetProperty("body_b64").GetBytesFromBase64()));
        Assert.Equal(["42"], json.GetProperty("trailers").List("X-Sum"));
    }

    [Theory]
    [InlineData(200)]
    [InlineData(201)]
    [InlineData(204)]
    [InlineData(404)]
    [InlineData(418)]
    [InlineData(503)]
    public async Task Status_answers_the_code_asked_for(int code)
    {
        await using var peer = await KestrelPeer.StartAsync();
        using var client = NewHttpClient();

        using var response = await client.GetAsync(peer.Url($"/status/{code}")).WaitAsync(Deadline);

        Assert.Equal(code, (int)response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Redirect_chains_down_to_anything()
    {
        await using var peer = await KestrelPeer.StartAsync();
        using var manual = NewHttpClient();
        using var following = NewHttpClient(h => h.AllowAutoRedirect = true);

        using var first = await manual.GetAsync(peer.Url("/redirect/3")).WaitAsync(Deadline);
        using var last = await manual.GetAsync(peer.Url("/redirect/1")).WaitAsync(Deadline);
        using var followed = await following.GetAsync(peer.Url("/redirect/3")).WaitAsync(Deadline);

        Assert.Equal(HttpStatusCode.Found, first.StatusCode);
        Assert.Equal("/redirect/2", first.Headers.Location?.OriginalString);
        Assert.Equal("/anything", last.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, followed.StatusCode);
        Assert.Equal("/anything", (await followed.JsonAsync()).GetProperty("path").GetString());
    }

    [Theory]
    [InlineData(301)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task Redirect_to_answers_any_method_with_the_status_and_url(int status)
    {
        await using var peer = await KestrelPeer.StartAsync();
        using var client = NewHttpClient();

        using var response = await client.PostAsync(peer.Url($"/redirect-to?url=%2Fanything%2Fthere&status={status}"), new StringContent("x"))
            .WaitAsync(Deadline);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("/anything/there", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Cookies_are_set_and_echoed()
    {
        await using var peer = await KestrelPeer.StartAsync();
        var jar = new CookieContainer();
        using var client = NewHttpClient(h =>
        {
            h.UseCookies = true;
            h.CookieContainer = jar;
            h.AllowAutoRedirect = true;
        });

        using var set = await client.GetAsync(peer.Url("/cookies/set?flavour=oat&size=large")).WaitAsync(Deadline);
        Assert.Equal(2, set.Headers.GetValues("Set-Cookie").Count());

        using var viaRedirect = await client.GetAsync(peer.Url("/cookies/set/colour/blue")).WaitAsync(Deadline);
        var cookies = (await viaRedirect.JsonAsync()).GetProperty("cookies");

        Assert.Equal(peer.Url("/cookies"), viaRedirect.RequestMessage?.RequestUri);
        Assert.Equal("oat", cookies.GetProperty("flavour").GetString());
        Assert.Equal("large", cookies.GetProperty("size").GetString());
        Assert.Equal("blue", cookies.GetProperty("colour").GetString());
    }

    [Theory]
    [InlineData("gzip", "gzipped")]
    [InlineData("deflate", "deflated")]
    public async Task Compressed_routes_send_content_encoded_json(string coding, string flag)
    {
        await using var peer = await KestrelPeer.StartAsync();
        using var client = NewHttpClient();

        using var response = await client.GetAsync(peer.Url($"/{coding}")).WaitAsync(Deadline);
        var compressed = await response.Content.ReadAsByteArrayAsync();
        using var input = new MemoryStream(compressed);
        using Stream decoder = coding == "gzip" ? new GZipStream(input, CompressionMode.Decompress) : new ZLibStream(input, CompressionMode.Decompress);
        var json = JsonDocument.Parse(decoder).RootElement;

        Assert.Equal([coding], response.Content.Headers.ContentEncoding);
        Assert.Equal(compressed.Length, response.Content.Headers.ContentLength);
        Assert.True(json.GetProperty(flag).GetBoolean());
        Assert.Equal("GET", json.GetProperty("method").GetString());
    }

    [Fact]
    public async Task Chunked_trailers_are_declared_and_sent()
    {
        await using var peer = await KestrelPeer.StartAsync();
        await using var raw = await RawClient.ConnectAsync(peer.EndPoint);
        await raw.SendAsync("GET /chunked-trailers HTTP/1.1\r\nHost: peer\r\n\r\nGET /plaintext HTTP/1.1\r\nHost: peer\r\n\r\n");

        var response = await raw.ReadResponseAsync().WaitAsync(Deadline);
        var next = await raw.ReadResponseAsync().WaitAsync(Deadline);

        Assert.Equal(KestrelPeerRoutes.PlaintextBody, next.BodyText);

        Assert.Equal(BodyKind.Chunked, response.Head.Framing.Kind);
        Assert.Contains("X-Checksum", response.Head.Headers.GetValue("Trailer"));
        Assert.Equal(KestrelPeerRoutes.ChunkedTrailersBody, response.BodyText);
        Assert.Equal(KestrelPeerRoutes.ChecksumOf(KestrelPeerRoutes.ChunkedTrailersBody), response.Trailers.GetValue("X-Checksum"));
        Assert.Equal("3", response.Trailers.GetValue("X-Chunks"));
    }

    [Fact]
    public async Task Chunked_trailers_reach_httpclient()
    {
        await using var peer = await KestrelPeer.StartAsync();
        using var client = NewHttpClient();

        using var response = await client.GetAsync(peer.Url("/chunked-trailers")).WaitAsync(Deadline);

        Assert.Equal(KestrelPeerRoutes.ChunkedTrailersBody, await response.Content.ReadAsStringAsync());
        Assert.Equal(["3"], response.TrailingHeaders.GetValues("X-Chunks"));
    }

    [Fact]
    public async Task Stream_sends_the_pattern_chunked()
    {
        await using var peer = await KestrelPeer.StartAsync();
        using var client = NewHttpClient();

        using var response = await client.GetAsync(peer.Url("/stream/100003"), HttpCompletionOption.ResponseHeadersRead).WaitAsync(Deadline);

        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Null(response.Content.Headers.ContentLength);
        Assert.Equal(PeerBytes.Pattern(100003), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Delay_answers_after_waiting_and_outlasts_a_client_timeout()
    {
        await using var peer = await KestrelPeer.StartAsync();
        using var client = NewHttpClient();
        using var impatient = NewHttpClient();
        impatient.Timeout = TimeSpan.FromMilliseconds(200);

        using var quick = await client.GetAsync(peer.Url("/delay/20")).WaitAsync(Deadline);
        var timeout = await Assert.ThrowsAsync<TaskCanceledException>(() => impatient.GetAsync(peer.Url("/delay/60000")).WaitAsync(Deadline));

        Assert.Equal("delayed 20", await quick.Content.ReadAsStringAsync());
        Assert.IsType<TimeoutException>(timeout.InnerException);
    }

    [Fact]
    public async Task Conn_and_the_counter_show_reuse_and_close()
    {
        await using var peer = await KestrelPeer.StartAsync();
        var ports = new List<string>();
        using (var client = NewHttpClient())
        {
            for (int i = 0; i < 3; i++) ports.Add(await client.GetStringAsync(peer.Url("/conn")).WaitAsync(Deadline));
            var closing = new HttpRequestMessage(HttpMethod.Get, peer.Url("/conn"));
            closing.Headers.ConnectionClose = true;
            using var last = await client.SendAsync(closing).WaitAsync(Deadline);
            await peer.Connections.WaitForClosedAsync(1).WaitAsync(Deadline);
            ports.Add(await client.GetStringAsync(peer.Url("/conn")).WaitAsync(Deadline));
        }

        await peer.Connections.WaitForClosedAsync(2).WaitAsync(Deadline);

        Assert.Single(ports.Take(3).Distinct());
        Assert.NotEqual(ports[0], ports[3]);
        Assert.Equal(2, peer.Connections.Accepted);
        Assert.Equal(0, peer.Connections.Open);
    }
}
