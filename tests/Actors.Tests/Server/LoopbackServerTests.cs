using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using ActorHttp.Actors.Tests.Support;
using ActorHttp.Server;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Server;

/// <summary>The server on a real loopback socket, driven by HttpClient and raw bytes.</summary>
public sealed class LoopbackServerTests(ITestOutputHelper output) : ServerTestBase(output, TestConfig.Server)
{
    private static ServeMux Mux() => new ServeMux()
        .HandleFunc("GET /plaintext", (w, _) =>
        {
            w.Headers.Set("Content-Type", "text/plain");
            return w.WriteAsync("Hello, World!").AsTask();
        })
        .HandleFunc("POST /echo", async (w, r) => await r.Body.CopyToAsync(w.Body))
        .HandleFunc("GET /port", (w, r) => w.WriteAsync(((IPEndPoint)r.RemoteEndPoint!).Port.ToString()).AsTask())
        .HandleFunc("GET /big/{size}", async (w, r) =>
        {
            // A deterministic body streamed in 16 KiB writes: chunked, since no length is set.
            var size = int.Parse(r.PathValue("size")!);
            var chunk = new byte[16 * 1024];
            for (var sent = 0; sent < size; sent += chunk.Length)
            {
                var n = Math.Min(chunk.Length, size - sent);
                for (var i = 0; i < n; i++) chunk[i] = (byte)((sent + i) % 251);
                await w.WriteAsync(chunk.AsMemory(0, n));
            }
        })
        .HandleFunc("GET /throw", (_, _) => throw new InvalidOperationException("boom"))
        .HandleFunc("GET /items/{id}", (w, r) => w.WriteAsync("item " + r.PathValue("id")).AsTask())
        .HandleFunc("/static/", (w, _) => w.WriteAsync("static").AsTask());

    [Fact]
    public async Task Get_answers_with_computed_length_date_and_content_type()
    {
        var server = await StartAsync(Mux());
        using var client = ClientFor(server);

        using var response = await client.GetAsync("/plaintext");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Hello, World!", await response.Content.ReadAsStringAsync());
        Assert.Equal(13, response.Content.Headers.ContentLength);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.ToString());
        Assert.NotNull(response.Headers.Date);
        Assert.False(response.Headers.TransferEncodingChunked ?? false);
    }

    [Fact]
    public async Task Keep_alive_reuses_one_connection_for_many_requests()
    {
        var server = await StartAsync(Mux());
        using var client = ClientFor(server);

        var ports = new HashSet<string>();
        for (var i = 0; i < 5; i++) ports.Add(await client.GetStringAsync("/port"));

        Assert.Single(ports);
    }

    [Fact]
    public async Task Sniffs_content_type_when_the_handler_sets_none()
    {
        var server = await StartAsync(new ServeMux().HandleFunc("/", (w, _) => w.WriteAsync("<html><body>hi</body></html>").AsTask()));
        using var client = ClientFor(server);

        using var response = await client.GetAsync("/");

        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task Chunked_upload_is_read_on_demand_and_echoed()
    {
        var server = await StartAsync(Mux());
        using var client = ClientFor(server);
        var payload = RandomNumberGenerator.GetBytes(300_000);
        var content = new StreamContent(new MemoryStream(payload));   // unknown length → chunked
        content.Headers.ContentLength = null;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/echo") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(payload, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Expect_100_continue_is_answered_when_the_handler_reads_the_body()
    {
        var server = await StartAsync(Mux());
        await using var raw = await ConnectAsync(server);

        await raw.SendAsync("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
        var informational = await raw.ReadResponseAsync("POST");
        Assert.Equal(100, informational.Status);
        await raw.SendAsync("hello");
        var response = await raw.ReadResponseAsync("POST");

        Assert.Equal(200, response.Status);
        Assert.Equal("hello", response.Text);
    }

    [Fact]
    public async Task HttpClient_with_expect_continue_uploads_its_body()
    {
        var server = await StartAsync(Mux());
        using var client = ClientFor(server);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/echo") { Content = new ByteArrayContent(new byte[50_000]) };
        request.Headers.ExpectContinue = true;

        using var response = await client.SendAsync(request);

        Assert.Equal(50_000, (await response.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task Large_streamed_download_arrives_whole()
    {
        var server = await StartAsync(Mux());
        using var client = ClientFor(server);
        const int size = 8 * 1024 * 1024 + 123;

        using var response = await client.GetAsync($"/big/{size}", HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0)
        {
            for (var i = 0; i < n; i++)
                Assert.Equal((byte)((total + i) % 251), buffer[i]);
            total += n;
        }

        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Equal(size, total);
    }

    [Fact]
    public async Task Head_gets_the_head_of_get_without_a_body()
    {
        var server = await StartAsync(Mux());
        await using var raw = await ConnectAsync(server);

        await raw.SendAsync("HEAD /plaintext HTTP/1.1\r\nHost: x\r\n\r\nGET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n");
        var head = await raw.ReadResponseAsync("HEAD");
        var get = await raw.ReadResponseAsync();

        Assert.Equal(200, head.Status);
        Assert.Equal("13", head.Header("Content-Length"));
        Assert.Empty(head.Body);
        Assert.Equal("Hello, World!", get.Text);
    }

    [Fact]
    public async Task Pipelined_requests_are_answered_in_order()
    {
        var server = await StartAsync(Mux());
        await using var raw = await ConnectAsync(server);
        var requests = new StringBuilder();
        for (var i = 0; i < 10; i++) requests.Append($"GET /items/{i} HTTP/1.1\r\nHost: x\r\n\r\n");

        await raw.SendAsync(requests.ToString());

        for (var i = 0; i < 10; i++)
            Assert.Equal($"item {i}", (await raw.ReadResponseAsync()).Text);
    }

    [Fact]
    public async Task Http10_without_keep_alive_is_closed_after_the_response()
    {
        var server = await StartAsync(Mux());
        await using var raw = await ConnectAsync(server);

        await raw.SendAsync("GET /plaintext HTTP/1.0\r\n\r\n");
        var response = await raw.ReadResponseAsync();

        Assert.Equal("Hello, World!", response.Text);
        Assert.Equal("close", response.Header("Connection"));
        Assert.True(await raw.IsClosedByPeerAsync());
    }

    [Fact]
    public async Task Http10_with_keep_alive_stays_open()
    {
        var server = await StartAsync(Mux());
        await using var raw = await ConnectAsync(server);

        await raw.SendAsync("GET /plaintext HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        var first = await raw.ReadResponseAsync();
        await raw.SendAsync("GET /plaintext HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        var second = await raw.ReadResponseAsync();

        Assert.Equal("keep-alive", first.Header("Connection"));
        Assert.Equal("Hello, World!", second.Text);
    }

    [Fact]
    public async Task Connection_close_closes_after_the_response()
    {
        var server = await StartAsync(Mux());
        await using var raw = await ConnectAsync(server);

        await raw.SendAsync("GET /plaintext HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        Assert.Equal("Hello, World!", (await raw.ReadResponseAsync()).Text);
        Assert.True(await raw.IsClosedByPeerAsync());
    }

    [Fact]
    public async Task Routing_outcomes_404_405_301_reach_the_wire()
    {
        var server = await StartAsync(Mux());
        await using var raw = await ConnectAsync(server);

        await raw.SendAsync(
            "GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n" +
            "DELETE /plaintext HTTP/1.1\r\nHost: x\r\n\r\n" +
            "GET /static HTTP/1.1\r\nHost: x\r\n\r\n" +
            "GET /a/../plaintext?x=1 HTTP/1.1\r\nHost: x\r\n\r\n");

        Assert.Equal(404, (await raw.ReadResponseAsync()).Status);
        var notAllowed = await raw.ReadResponseAsync();
        Assert.Equal(405, notAllowed.Status);
        Assert.Equal("GET, HEAD", notAllowed.Header("Allow"));
        var slash = await raw.ReadResponseAsync();
        Assert.Equal(301, slash.Status);
        Assert.Equal("/static/", slash.Header("Location"));
        var clean = await raw.ReadResponseAsync();
        Assert.Equal(301, clean.Status);
        Assert.Equal("/plaintext?x=1", clean.Header("Location"));
    }

    [Fact]
    public async Task A_throwing_handler_gets_500_and_the_server_lives_on()
    {
        var server = await StartAsync(Mux());
        using var client = ClientFor(server);

        using var failed = await client.GetAsync("/throw");
        var ok = await client.GetStringAsync("/plaintext");

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal("Hello, World!", ok);
    }

    [Fact]
    public async Task A_handler_that_fails_after_its_response_started_closes_the_connection_and_starts_no_pipelined_request()
    {
        var started = 0;
        var server = await StartAsync(new ServeMux()
            .HandleFunc("GET /cut", async (w, _) =>
            {
                await w.WriteAsync("part");
                await w.FlushAsync();
                throw new InvalidOperationException("after the head");
            })
            .HandleFunc("GET /next", async (w, _) =>
            {
                Interlocked.Increment(ref started);
                await w.WriteAsync("next");
                await w.FlushAsync();
            }));
        await using var raw = await ConnectAsync(server);
        await raw.SendAsync("GET /cut HTTP/1.1\r\nHost: x\r\n\r\nGET /next HTTP/1.1\r\nHost: x\r\n\r\n");

        var seen = await raw.ReadToCloseAsync();
        // The cut response, and nothing after it: a next response would read as the rest of its chunked body.
        Assert.StartsWith("HTTP/1.1 200", seen, StringComparison.Ordinal);
        Assert.Contains("part", seen, StringComparison.Ordinal);
        Assert.DoesNotContain("next", seen, StringComparison.Ordinal);
        Assert.Equal(0, Volatile.Read(ref started));
    }

    [Fact]
    public async Task A_declared_body_over_the_limit_gets_413_and_close()
    {
        var server = await StartAsync(new ServeMux().HandleFunc("POST /small", AnythingHandlerShim, maxRequestBodySize: 10));
        await using var raw = await ConnectAsync(server);

        await raw.SendAsync("POST /small HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world");
        var response = await raw.ReadResponseAsync("POST");

        Assert.Equal(413, response.Status);
        Assert.True(await raw.IsClosedByPeerAsync());
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_gets_413()
    {
        var server = await StartAsync(new ServeMux().HandleFunc("POST /small", AnythingHandlerShim, maxRequestBodySize: 10));
        await using var raw = await ConnectAsync(server);

        await raw.SendAsync("POST /small HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n");

        Assert.Equal(413, (await raw.ReadResponseAsync("POST")).Status);
    }

    [Fact]
    public async Task Slow_header_gets_408_while_other_connections_are_served()
    {
        var server = await StartAsync(Mux());
        await using var slow = await ConnectAsync(server);
        await slow.SendAsync("GET /plaintext HTTP/1.1\r\nHo");

        using var client = ClientFor(server);
        Assert.Equal("Hello, World!", await client.GetStringAsync("/plaintext"));

        var response = await slow.ReadResponseAsync();
        Assert.Equal(408, response.Status);
        Assert.True(await slow.IsClosedByPeerAsync());
    }

    [Fact]
    public async Task A_head_that_arrives_in_pieces_is_served_and_so_is_the_next_on_the_connection()
    {
        // Between pieces the reader waits holding only the bytes it has (not a receive buffer): each piece must
        // join them whole. A round trip on another connection between pieces gives the reader time to wait.
        var server = await StartAsync(Mux());
        using var client = ClientFor(server);
        await using var raw = await ConnectAsync(server);
        var head = "GET /plaintext HTTP/1.1\r\nHost: pieces\r\nX-Long: " + new string('v', 300) + "\r\n\r\n";
        var pieces = new[] { 1, 1, 1, 5, 12, 40, 100 };
        var at = 0;
        foreach (var length in pieces)
        {
            await raw.SendAsync(head.Substring(at, length));
            at += length;
            Assert.Equal("Hello, World!", await client.GetStringAsync("/plaintext"));
        }

        // The rest of the first head, with the start of a second one behind it, then the second's end.
        await raw.SendAsync(head[at..] + "GET /plaintext HTTP/1.1\r\nHo");
        Assert.Equal(200, (await raw.ReadResponseAsync()).Status);
        Assert.Equal("Hello, World!", await client.GetStringAsync("/plaintext"));
        await raw.SendAsync("st: pieces\r\n\r\n");
        var second = await raw.ReadResponseAsync();
        Assert.Equal(200, second.Status);
    }

    [Fact]
    public async Task The_heartbeat_stops_with_the_last_connection_and_starts_again_with_the_next()
    {
        var server = await StartAsync(Mux());
        for (var round = 0; round < 2; round++)
        {
            // A head that never ends is answered by the heartbeat's sweep, so a 408 in the second round shows it beat again.
            await using var slow = await ConnectAsync(server);
            await slow.SendAsync("GET /plaintext HTTP/1.1\r\nHo");
            Assert.Equal(408, (await slow.ReadResponseAsync()).Status);
            Assert.True(await slow.IsClosedByPeerAsync());
            await AwaitAssertAsync(() => Assert.DoesNotContain(LiveActorsUnder(server.Actor), path => path.Split('/')[^1].StartsWith('c')),
                TimeSpan.FromSeconds(5));
        }
    }

    [Fact]
    public async Task Graceful_shutdown_finishes_requests_in_flight()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = await HttpServer.StartAsync(Sys, Mux().HandleFunc("GET /slow", async (w, _) =>
        {
            entered.TrySetResult();
            await release.Task;
            await w.WriteAsync("finished");
        }), new IPEndPoint(IPAddress.Loopback, 0), Settings);
        await using var raw = await ConnectAsync(server);
        await using var idle = await ConnectAsync(server);
        await idle.SendAsync("GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(200, (await idle.ReadResponseAsync()).Status);   // now a keep-alive connection, idle
        await raw.SendAsync("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var shutdown = server.ShutdownAsync(TimeSpan.FromSeconds(10));
        Assert.True(await idle.IsClosedByPeerAsync());   // idle connections close at once
        Assert.False(shutdown.IsCompleted);
        release.SetResult();
        var response = await raw.ReadResponseAsync();
        await shutdown.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("finished", response.Text);
        Assert.Equal("close", response.Header("Connection"));
        // The listener (and with it the listening socket) is gone too; connecting again is not a
        // reliable check here, since a parallel test may already have the port.
        await AwaitAssertAsync(() => Assert.Empty(LiveActorsUnder(server.Actor)), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_thousand_connections_leave_nothing_behind()
    {
        var server = await StartAsync(Mux());
        var listener = ActorTree.Find(Sys, server.Actor.Path.ToStringWithoutAddress() + "/listener")!;

        for (var batch = 0; batch < 10; batch++)
        {
            var connections = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => ConnectAsync(server)));
            await Task.WhenAll(connections.Select(async c =>
            {
                await c.SendAsync("GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n");
                Assert.Equal(200, (await c.ReadResponseAsync()).Status);
                await c.DisposeAsync();
            }));
        }

        // Every connection actor (and its reader and writer) stops once its peer is gone, and with them every
        // connection group but the one the next connection would join. Awaited, not waited: this code may run on
        // a socket engine's thread (inline socket completions), and blocking it would hold back the very
        // completions that stop the actors.
        await AwaitAssertAsync(() => Assert.Single(ActorTree.LiveDescendants(listener)), TimeSpan.FromSeconds(20));
    }

    private static Task AnythingHandlerShim(ResponseWriter w, ServerRequest r) => ActorHttp.Server.Handlers.AnythingHandler.HandleAsync(w, r);
}
