using System.Net;
using System.Net.Http;
using System.Net.WebSockets;
using System.Text;
using ActorHttp.Actors.Tests.Support.Peers;
using ActorHttp.Client;
using ActorHttp.Client.Connection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Client.Loopback;

/// <summary>
/// 101 Switching Protocols: a request that asks to upgrade gets the connection as a read-write body (with the
/// bytes that came behind the head), the connection keeps its slot until the body is disposed and then closes;
/// a 101 nobody asked for is an error. Against Kestrel (IHttpUpgradeFeature) and a scripted server.
/// </summary>
public abstract class UpgradeTests(ITestOutputHelper output, bool onLoops) : TransportTestBase(output, onLoops)
{
    private static ClientRequest UpgradeRequest(Uri url) =>
        ClientRequest.Get(url).WithHeader("Connection", "Upgrade").WithHeader("Upgrade", "echo");

    [Fact]
    public async Task Kestrel_upgrade_gives_a_duplex_body_and_the_connection_closes_when_it_is_disposed()
    {
        await using var kestrel = await EchoUpgradeServer.StartAsync();
        var transport = NewTransport("actorhttp.client.max-conns-per-host = 1");
        var response = await transport.RoundTripAsync(UpgradeRequest(kestrel.Url("/upgrade")), default).WaitAsync(Deadline);
        Assert.Equal(101, response.StatusCode);
        var body = Assert.IsType<UpgradedStream>(response.Body);
        Assert.True(body.CanWrite);
        Assert.Equal("hello over echo", await RoundTripBytesAsync(body, "hello over echo"));

        // The upgraded connection holds the host's only slot: the next request waits for it.
        var next = transport.RoundTripAsync(ClientRequest.Get(kestrel.Url("/plain")), default);
        Assert.Equal(1, (await StatsAsync(transport)).Busy);
        Assert.False(next.IsCompleted);

        await response.DisposeAsync();
        using var plain = await next.WaitAsync(Deadline);
        Assert.Equal("plain", await plain.ReadAsStringAsync().WaitAsync(Deadline));
        await kestrel.UpgradedClosed.WaitAsync(Deadline);
        Assert.Equal(2, kestrel.Accepted);
    }

    [Fact]
    public async Task Bytes_that_came_behind_the_101_head_are_read_first()
    {
        await using var server = new ScriptedServer(async c =>
        {
            await c.ReadRequestAsync();
            await c.SendAsync("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\nearly:");
            while (await c.ReadRawAsync() is { Length: > 0 } bytes) await c.SendAsync(bytes);
        });
        var transport = NewTransport();
        var trace = new TraceRecorder();
        await using var response = await transport.RoundTripAsync(UpgradeRequest(server.Url("/")) with { Trace = trace }, default).WaitAsync(Deadline);
        Assert.Equal(101, response.StatusCode);
        Assert.Equal("echo", response.Headers.GetValue("Upgrade"));
        var body = response.Body;
        var early = new byte[6];
        await body.ReadExactlyAsync(early).AsTask().WaitAsync(Deadline);
        Assert.Equal("early:", Encoding.ASCII.GetString(early));
        Assert.Equal("ping", await RoundTripBytesAsync(body, "ping"));
        Assert.DoesNotContain(trace.Events, e => e is PutIdleConn);
        await response.DisposeAsync();
        await server.Connections.WaitForAllClosedAsync().WaitAsync(Deadline);
        server.ThrowIfFailed();
    }

    [Fact]
    public async Task A_101_to_a_request_that_did_not_ask_to_upgrade_is_malformed()
    {
        await using var server = new ScriptedServer(async c =>
        {
            await c.ReadRequestAsync();
            await c.SendAsync("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n");
            await c.WaitForPeerCloseAsync();
        });
        var transport = NewTransport();
        var error = await Assert.ThrowsAsync<HttpClientException>(() =>
            transport.RoundTripAsync(ClientRequest.Get(server.Url("/")), default).WaitAsync(Deadline));
        Assert.Equal(ClientErrorKind.MalformedResponse, error.Kind);
        await server.Connections.WaitForAllClosedAsync().WaitAsync(Deadline);
    }

    [Fact]
    public async Task Through_HttpClient_the_101_content_stream_is_the_connection_as_with_SocketsHttpHandler()
    {
        await using var kestrel = await EchoUpgradeServer.StartAsync();
        var transport = NewTransport();
        using var client = new HttpClient(new ActorHttpHandler(transport, Options()));
        using var request = new HttpRequestMessage(HttpMethod.Get, kestrel.Url("/upgrade"));
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new System.Net.Http.Headers.ProductHeaderValue("echo"));
        using (var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).WaitAsync(Deadline))
        {
            Assert.Equal(HttpStatusCode.SwitchingProtocols, response.StatusCode);
            var stream = await response.Content.ReadAsStreamAsync().WaitAsync(Deadline);
            Assert.True(stream.CanWrite);
            Assert.Equal("via HttpClient", await RoundTripBytesAsync(stream, "via HttpClient"));
        }
        await kestrel.UpgradedClosed.WaitAsync(Deadline);
    }

    [Fact]
    public async Task ClientWebSocket_connects_through_ActorHttpHandler()
    {
        await using var kestrel = await EchoUpgradeServer.StartAsync();
        var transport = NewTransport();
        using var invoker = new HttpMessageInvoker(new ActorHttpHandler(transport, Options()));
        using var socket = new ClientWebSocket();
        var ws = new UriBuilder(kestrel.Url("/ws")) { Scheme = "ws" }.Uri;
        await socket.ConnectAsync(ws, invoker, CancellationToken.None).WaitAsync(Deadline);
        await socket.SendAsync("hello, websocket"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(Deadline);
        var buffer = new byte[64];
        var received = await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Deadline);
        Assert.Equal("hello, websocket", Encoding.UTF8.GetString(buffer, 0, received.Count));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None).WaitAsync(Deadline);
        await kestrel.UpgradedClosed.WaitAsync(Deadline);
    }

    private static async Task<string> RoundTripBytesAsync(Stream stream, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        await stream.WriteAsync(bytes).AsTask().WaitAsync(Deadline);
        await stream.FlushAsync().WaitAsync(Deadline);
        var back = new byte[bytes.Length];
        await stream.ReadExactlyAsync(back).AsTask().WaitAsync(Deadline);
        return Encoding.ASCII.GetString(back);
    }

    /// <summary>Kestrel with <c>/upgrade</c> (101, then echoes bytes until the client closes) and <c>/plain</c>.</summary>
    private sealed class EchoUpgradeServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly TaskCompletionSource _upgradedClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _accepted;

        private EchoUpgradeServer(WebApplication app) => _app = app;

        public Uri BaseAddress { get; private set; } = null!;

        public Task UpgradedClosed => _upgradedClosed.Task;

        public int Accepted => Volatile.Read(ref _accepted);

        public Uri Url(string path) => new(BaseAddress, path);

        public static async Task<EchoUpgradeServer> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], EnvironmentName = "Production" });
            builder.Logging.ClearProviders();
            EchoUpgradeServer? server = null;
            builder.WebHost.ConfigureKestrel(options => options.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listen.Use(next => context =>
                {
                    Interlocked.Increment(ref server!._accepted);
                    return next(context);
                });
            }));
            var app = builder.Build();
            server = new EchoUpgradeServer(app);
            app.UseWebSockets();
            app.Map("/ws", async context =>
            {
                using var socket = await context.WebSockets.AcceptWebSocketAsync();
                var buffer = new byte[1024];
                var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
                await socket.SendAsync(buffer.AsMemory(0, received.Count), WebSocketMessageType.Text, true, CancellationToken.None);
                await socket.ReceiveAsync(buffer, CancellationToken.None); // the client's close
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                server._upgradedClosed.TrySetResult();
            });
            app.MapGet("/plain", () => "plain");
            app.MapGet("/upgrade", async context =>
            {
                var upgrade = context.Features.Get<IHttpUpgradeFeature>()!;
                if (!upgrade.IsUpgradableRequest)
                {
                    context.Response.StatusCode = 400;
                    return;
                }
                await using var stream = await upgrade.UpgradeAsync();
                var buffer = new byte[1024];
                int n;
                while ((n = await stream.ReadAsync(buffer)) > 0) await stream.WriteAsync(buffer.AsMemory(0, n));
                server._upgradedClosed.TrySetResult();
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            server.BaseAddress = new Uri(address + "/");
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            using (var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
                await _app.StopAsync(grace.Token);
            await _app.DisposeAsync();
        }
    }

    /// <summary>Plain-HTTP connections on the event loops.</summary>
    public sealed class OnLoops(ITestOutputHelper output) : UpgradeTests(output, onLoops: true);

    /// <summary>Every connection on a stream (epoll-event-loop off).</summary>
    public sealed class OnStreams(ITestOutputHelper output) : UpgradeTests(output, onLoops: false);
}
