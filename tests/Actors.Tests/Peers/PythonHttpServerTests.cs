using System.Net;
using System.Text;
using ActorHttp.Actors.Tests.Support.Peers;
using ActorHttp.Protocol;
using static ActorHttp.Actors.Tests.Peers.PeerTesting;

namespace ActorHttp.Actors.Tests.Peers;

public sealed class PythonHttpServerTests(PythonHttpServerFixture fixture) : IClassFixture<PythonHttpServerFixture>
{
    [PythonFact]
    public async Task Close_delimited_is_http10_without_length_and_ends_at_close()
    {
        var python = fixture.Server;
        await using var raw = await RawClient.ConnectAsync(python.EndPoint);
        await raw.SendAsync("GET /close-delimited?bytes=5000 HTTP/1.1\r\nHost: py\r\n\r\n");

        var response = await raw.ReadResponseAsync().WaitAsync(Deadline);

        Assert.Equal(HttpProtocolVersion.Http10, response.Head.Version);
        Assert.Equal(BodyKind.ReadToClose, response.Head.Framing.Kind);
        Assert.False(response.Head.Headers.Contains("Content-Length"));
        Assert.Equal(PeerBytes.Pattern(5000), response.Body);
    }

    [PythonFact]
    public async Task Keepalive_reuses_one_connection_and_reports_it()
    {
        await using var python = await PythonHttpServer.StartAsync();
        using var client = NewHttpClient();

        using var keep = await client.GetAsync(python.Url("/keepalive")).WaitAsync(Deadline);
        var ports = new List<string>();
        for (int i = 0; i < 3; i++) ports.Add(await client.GetStringAsync(python.Url("/conn")).WaitAsync(Deadline));
        await python.Connections.WaitForAcceptedAsync(1).WaitAsync(Deadline);

        Assert.Equal(new Version(1, 1), keep.Version);
        Assert.Equal("keep-alive\n", await keep.Content.ReadAsStringAsync());
        Assert.Equal(11, keep.Content.Headers.ContentLength);
        Assert.Single(ports.Distinct());
        Assert.Equal(1, python.Connections.Accepted);
    }

    [PythonFact]
    public async Task Close_route_says_close_and_closes()
    {
        await using var python = await PythonHttpServer.StartAsync();
        using var client = NewHttpClient();

        string before = await client.GetStringAsync(python.Url("/conn")).WaitAsync(Deadline);
        using var closing = await client.GetAsync(python.Url("/close")).WaitAsync(Deadline);
        await python.Connections.WaitForClosedAsync(1).WaitAsync(Deadline);
        string after = await client.GetStringAsync(python.Url("/conn")).WaitAsync(Deadline);
        // ACCEPTED reaches us through the stdout pump, which may still be behind the response.
        await python.Connections.WaitForAcceptedAsync(2).WaitAsync(Deadline);

        Assert.True(closing.Headers.ConnectionClose);
        Assert.Equal("closing\n", await closing.Content.ReadAsStringAsync());
        Assert.NotEqual(before, after);
        Assert.Equal(2, python.Connections.Accepted);
    }

    [PythonFact]
    public async Task Echo_returns_length_delimited_and_chunked_bodies()
    {
        var python = fixture.Server;
        using var client = NewHttpClient();
        var body = PeerBytes.Pattern(100_000);

        using var sized = await client.PostAsync(python.Url("/echo"), new ByteArrayContent(body)).WaitAsync(Deadline);
        var chunkedContent = new StreamContent(new MemoryStream(body));
        var chunkedRequest = new HttpRequestMessage(HttpMethod.Post, python.Url("/echo")) { Content = chunkedContent };
        chunkedRequest.Headers.TransferEncodingChunked = true;
        using var chunked = await client.SendAsync(chunkedRequest).WaitAsync(Deadline);

        Assert.Equal(body, await sized.Content.ReadAsByteArrayAsync());
        Assert.Equal(body, await chunked.Content.ReadAsByteArrayAsync());
    }

    [PythonFact]
    public async Task Echo_answers_100_continue_before_the_body()
    {
        var python = fixture.Server;
        await using var raw = await RawClient.ConnectAsync(python.EndPoint);
        await raw.SendAsync("POST /echo HTTP/1.1\r\nHost: py\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");

        string interim = await raw.ReadUntilAsync("\r\n\r\n").WaitAsync(Deadline);
        await raw.SendAsync("hello");
        var response = await raw.ReadResponseAsync().WaitAsync(Deadline);

        Assert.StartsWith("HTTP/1.1 100", interim, StringComparison.Ordinal);
        Assert.Equal("hello", response.BodyText);
    }

    [PythonFact]
    public async Task Anything_describes_the_request()
    {
        var python = fixture.Server;
        using var client = NewHttpClient();
        var request = new HttpRequestMessage(HttpMethod.Post, python.Url("/anything/p?q=1"))
        {
            Content = new StringContent("data", Encoding.UTF8, "text/plain"),
        };
        request.Headers.Add("X-Twice", "a");
        request.Headers.TryAddWithoutValidation("X-Twice", "b");

        using var response = await client.SendAsync(request).WaitAsync(Deadline);
        var json = await response.JsonAsync();

        Assert.Equal("POST", json.GetProperty("method").GetString());
        Assert.Equal("/anything/p?q=1", json.GetProperty("target").GetString());
        Assert.Equal("/anything/p", json.GetProperty("path").GetString());
        Assert.Equal("q=1", json.GetProperty("query").GetString());
        Assert.Equal("HTTP/1.1", json.GetProperty("proto").GetString());
        Assert.Equal($"127.0.0.1:{python.EndPoint.Port}", json.GetProperty("host").GetString());
        Assert.Equal("data", Encoding.UTF8.GetString(json.GetProperty("body_b64").GetBytesFromBase64()));
        Assert.Equal("a, b", string.Join(", ", json.GetProperty("headers").List("X-Twice")));
    }

    [PythonFact]
    public async Task Head_keeps_the_length_and_sends_no_body()
    {
        var python = fixture.Server;
        await using var raw = await RawClient.ConnectAsync(python.EndPoint);
        await raw.SendAsync("HEAD /keepalive HTTP/1.1\r\nHost: py\r\n\r\nGET /status/204 HTTP/1.1\r\nHost: py\r\n\r\n");

        var head = await raw.ReadResponseAsync(RequestMethod.Head).WaitAsync(Deadline);
        var next = await raw.ReadResponseAsync().WaitAsync(Deadline);

        Assert.Equal("11", head.Head.Headers.GetValue("Content-Length"));
        Assert.Equal(204, next.Head.StatusCode);
        Assert.False(next.Head.Headers.Contains("Content-Length"));
    }

    [PythonFact]
    public async Task Dispose_kills_the_process_and_frees_the_port()
    {
        var python = await PythonHttpServer.StartAsync();
        var endPoint = python.EndPoint;
        await python.DisposeAsync().AsTask().WaitAsync(Deadline);

        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        var refused = await Assert.ThrowsAsync<System.Net.Sockets.SocketException>(() => socket.ConnectAsync(endPoint).WaitAsync(Deadline));
        Assert.Equal(System.Net.Sockets.SocketError.ConnectionRefused, refused.SocketErrorCode);
    }
}
