using System.Security.Cryptography;
using System.Text;
using ActorHttp.Actors.Tests.Support;
using ActorHttp.Server;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Server;

/// <summary>
/// The server over both socket engines (ActorHttp's epoll loop, the runtime's) and both handler
/// placements (<c>unsafe-prefer-inline-scheduling</c>): keep-alive, pipelining, uploads and
/// downloads larger than the kernel's buffers, and where the handler's code ran.
/// </summary>
/// <remarks>Inline handlers need an event loop: on the runtime's engine the setting is ignored (with a
/// warning) and handlers stay on the handler dispatcher.</remarks>
public sealed class SocketEngineTests(ITestOutputHelper output) : ServerTestBase(output, TestConfig.Server)
{
    public static TheoryData<bool, bool> Engines => new()
    {
        { true, false },    // epoll loop, handlers on the thread pool (the default)
        { true, true },     // epoll loop, handlers on the loop's thread
        { false, false },   // the runtime's engine
        { false, true },    // the runtime's engine: inline is ignored, handlers stay on the pool
    };

    private static ServeMux Mux() => new ServeMux()
        .HandleFunc("GET /where", (w, _) => w.WriteAsync(ActorHttp.Dispatch.EventLoopDispatchers.CurrentLoop >= 0 ? "loop" : Thread.CurrentThread.IsThreadPoolThread ? "pool" : "other").AsTask())
        .HandleFunc("GET /big/{size}", (w, r) =>
        {
            var body = new byte[int.Parse(r.PathValue("size")!)];
            new Random(3).NextBytes(body);
            return w.WriteAsync(body).AsTask();
        })
        .HandleFunc("POST /echo", async (w, r) => await r.Body.CopyToAsync(w.Body));

    private async Task<HttpServer> StartAsync(bool epoll, bool inline) =>
        await StartAsync(Mux(), Settings with { EpollEventLoop = epoll, UnsafePreferInlineScheduling = inline });

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Handlers_run_where_the_settings_say(bool epoll, bool inline)
    {
        var server = await StartAsync(epoll, inline);
        using var client = ClientFor(server);
        for (var i = 0; i < 20; i++)
        {
            // A request that arrives on an idle keep-alive connection is read by the engine's own thread.
            Assert.Equal(inline && epoll ? "loop" : "pool", await client.GetStringAsync("/where"));
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Uploads_and_downloads_larger_than_the_socket_buffers_arrive_whole(bool epoll, bool inline)
    {
        var server = await StartAsync(epoll, inline);
        using var client = ClientFor(server);
        var upload = RandomNumberGenerator.GetBytes(3 * 1024 * 1024);
        var tasks = Enumerable.Range(0, 4).Select(async _ =>
        {
            using var echo = await client.PostAsync("/echo", new ByteArrayContent(upload));
            Assert.Equal(upload, await echo.Content.ReadAsByteArrayAsync());
            var big = await client.GetByteArrayAsync("/big/6000000");
            var expected = new byte[6_000_000];
            new Random(3).NextBytes(expected);
            Assert.Equal(expected, big);
        });
        await Task.WhenAll(tasks);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Pipelined_requests_sent_in_one_write_get_their_responses_in_order(bool epoll, bool inline)
    {
        var server = await StartAsync(epoll, inline);
        await using var connection = await ConnectAsync(server);
        var requests = new StringBuilder();
        for (var i = 0; i < 10; i++) requests.Append("GET /big/").Append(1000 + i).Append(" HTTP/1.1\r\nHost: x\r\n\r\n");
        await connection.SendAsync(requests.ToString());
        for (var i = 0; i < 10; i++)
        {
            var response = await connection.ReadResponseAsync();
            Assert.Equal(200, response.Status);
            Assert.Equal(1000 + i, response.Body.Length);
        }

        // The peer's close is seen between requests and ends the connection cleanly.
        connection.ShutdownSend();
        Assert.True(await connection.IsClosedByPeerAsync());
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_request_whose_end_of_stream_comes_with_it_is_answered_and_closed(bool epoll, bool inline)
    {
        var server = await StartAsync(epoll, inline);
        for (var i = 0; i < 20; i++)
        {
            await using var connection = await ConnectAsync(server);
            // The FIN follows the request at once, usually in the same readiness edge as its bytes.
            await connection.SendAsync("GET /big/10 HTTP/1.1\r\nHost: x\r\n\r\n");
            connection.ShutdownSend();
            var response = await connection.ReadResponseAsync();
            Assert.Equal(200, response.Status);
            Assert.True(await connection.IsClosedByPeerAsync());
        }
    }
}
