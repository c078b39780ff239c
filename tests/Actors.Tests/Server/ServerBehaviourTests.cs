using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using System.Text.Json;
using ActorHttp.Actors.Tests.Support;
using ActorHttp.Protocol;
using ActorHttp.Server;
using ActorHttp.Server.Handlers;
using Akka.Actor;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Server;

/// <summary>Timeouts, events, actor handlers, shutdown and metrics, on real sockets (hosting: tests/Hosting.Tests).</summary>
public sealed class ServerBehaviourTests(ITestOutputHelper output) : ServerTestBase(output, Config)
{
    // Short timeouts so that the tests wait on them for about a second; the waits are on the
    // server's own reaction (a close, a 408), never on a sleep.
    private const string Config = """
        actorhttp.server {
          header-read-timeout = 2s
          idle-timeout = 1s
          request-body.min-data-rate = 1000
          request-body.min-data-rate-grace-period = 1s
          shutdown-timeout = 10s
          publish-connection-states = on
        }
        """;

    private static ServeMux Mux() => new ServeMux()
        .HandleFunc("GET /plaintext", (w, _) => w.WriteAsync("Hello, World!").AsTask())
        .HandleFunc("POST /echo", async (w, r) => await r.Body.CopyToAsync(w.Body));

    [Fact]
    public async Task An_idle_keep_alive_connection_is_closed_after_the_idle_timeout()
    {
        var server = await StartAsync(Mux());
        await using var raw = await ConnectAsync(server);

        await raw.SendAsync("GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(200, (await raw.ReadResponseAsync()).Status);

        Assert.True(await raw.IsClosedByPeerAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_body_slower_than_the_minimum_rate_gets_408()
    {
        var server = await StartAsync(Mux());
        await using var raw = await ConnectAsync(server);

        await raw.SendAsync("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nabc");
        var response = await raw.ReadResponseAsync("POST", TimeSpan.FromSeconds(10));

        Assert.Equal(408, response.Status);
        Assert.True(await raw.IsClosedByPeerAsync());
    }

    [Fact]
    public async Task A_connection_the_server_refuses_closes_without_dead_letters()
    {
        // The slowloris fault's 408 pass: a thousand of these at once. The answer goes out directly and the
        // connection stops with its reader only; a command told to a child that is stopping anyway would be a
        // dead letter (suppressed ones are still published, and cost an event-stream message each).
        var deadLetters = CreateTestProbe();
        Sys.EventStream.Subscribe(deadLetters.Ref, typeof(Akka.Event.AllDeadLetters));
        var server = await StartAsync(Mux());
        var listener = ActorTree.Find(Sys, server.Actor.Path.ToStringWithoutAddress() + "/listener")!;

        await using (var slow = await ConnectAsync(server))
        {
            await slow.SendAsync("GET /plaintext HTTP/1.1\r\nHost: x\r\nX-Slow: s");
            Assert.Equal(408, (await slow.ReadResponseAsync(timeout: TimeSpan.FromSeconds(10))).Status);
            Assert.True(await slow.IsClosedByPeerAsync());
        }

        await using (var bad = await ConnectAsync(server))
        {
            await bad.SendAsync("GET /plaintext HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n");
            Assert.Equal(400, (await bad.ReadResponseAsync()).Status);
            Assert.True(await bad.IsClosedByPeerAsync());
        }

        // Every connection actor is gone: whatever was told to a dead one was published before this point,
        // so a marker told now arrives after it.
        await AwaitAssertAsync(() => Assert.Single(ActorTree.LiveDescendants(listener)));
        deadLetters.Ref.Tell("marker");
        var ours = new List<string>();
        for (var m = await deadLetters.ExpectMsgAsync<object>(); m is not "marker"; m = await deadLetters.ExpectMsgAsync<object>())
        {
            // The test system's own start-up leaves one (the logger's LoggerInitialized): only ours count. A socket
            // completion may race the stop (the client's FIN wakes the reader's pending receive as it stops): that is
            // the kernel's timing, not a command told to an actor known to be stopping.
            if (m is Akka.Event.AllDeadLetters d && d.Message.GetType().FullName!.StartsWith("ActorHttp", StringComparison.Ordinal)
                && d.Message.GetType().Name is not ("ReceiveCompleted" or "SendCompleted"))
                ours.Add($"{d.Message.GetType().Name} to {d.Recipient.Path}");
        }
        Assert.Empty(ours);
    }

    [Fact]
    public async Task A_higher_minor_version_is_served_as_http_1_1_and_another_major_gets_505()
    {
        var server = await StartAsync(Mux());
        await using var raw = await ConnectAsync(server);
        await raw.SendAsync("GET /plaintext HTTP/1.7\r\nHost: x\r\n\r\n");
        var response = await raw.ReadResponseAsync();
        Assert.Equal((200, HttpProtocolVersion.Http11), (response.Status, response.Head.Version));

        // Kept alive, as HTTP/1.1 would be; then a major version it does not speak.
        await raw.SendAsync("GET /plaintext HTTP/2.0\r\nHost: x\r\n\r\n");
        Assert.Equal(505, (await raw.ReadResponseAsync()).Status);
        Assert.True(await raw.IsClosedByPeerAsync());
    }

    [Fact]
    public async Task Connection_states_are_published_new_active_idle_closed()
    {
        var probe = CreateTestProbe();
        Sys.EventStream.Subscribe(probe.Ref, typeof(ConnectionStateChanged));
        var server = await StartAsync(Mux());
        await using (var raw = await ConnectAsync(server))
        {
            await raw.SendAsync("GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n");
            await raw.ReadResponseAsync();
            await raw.SendAsync("GET /plaintext HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            await raw.ReadResponseAsync();
        }

        // Kept alive after the first request (Idle); closed straight after the second, as Go's ConnState does.
        var states = Enumerable.Range(0, 5).Select(_ => probe.ExpectMsg<ConnectionStateChanged>().State).ToList();
        Assert.Equal([ConnectionState.New, ConnectionState.Active, ConnectionState.Idle, ConnectionState.Active, ConnectionState.Closed], states);
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task An_actor_handler_answers_with_a_whole_response_or_through_the_writer()
    {
        var whole = Sys.ActorOf(Props.Create(() => new WholeResponder()));
        var streaming = Sys.ActorOf(Props.Create(() => new WritingResponder()));
        var server = await StartAsync(new ServeMux().Handle("GET /whole", whole).Handle("GET /stream/{name}", streaming));
        using var client = ClientFor(server);

        using var first = await client.GetAsync("/whole");
        var second = await client.GetStringAsync("/stream/ada");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal("made", await first.Content.ReadAsStringAsync());
        Assert.Equal("hello ada", second);
    }

    [Fact]
    public async Task Graceful_shutdown_answers_queued_pipelined_requests_with_503()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = await StartAsync(Mux().HandleFunc("GET /slow", async (w, _) =>
        {
            entered.TrySetResult();
            await release.Task;
            await w.WriteAsync("slow");
        }));
        await using var raw = await ConnectAsync(server);
        await raw.SendAsync("GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /plaintext HTTP/1.1\r\nHost: x\r\n\r\nGET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n");
        // The three requests left in one write; the reader parses every head of a receive in the same
        // turn and reports them in order, so the two queued requests reach the connection before the
        // handler of the first one (and with it this test) can go on.
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var draining = CreateTestProbe();
        Sys.EventStream.Subscribe(draining.Ref, typeof(ServerDraining));

        var shutdown = server.ShutdownAsync();
        // Once published, the connection has been told to shut down before the handler can finish.
        await draining.ExpectMsgAsync<ServerDraining>();
        release.SetResult();

        Assert.Equal("slow", (await raw.ReadResponseAsync()).Text);
        Assert.Equal(503, (await raw.ReadResponseAsync()).Status);
        Assert.Equal(503, (await raw.ReadResponseAsync()).Status);
        Assert.True(await raw.IsClosedByPeerAsync());
        await shutdown.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Hard_close_aborts_requests_in_flight()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = await StartAsync(Mux().HandleFunc("GET /forever", async (_, r) =>
        {
            entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, r.Aborted);
        }));
        await using var raw = await ConnectAsync(server);
        await raw.SendAsync("GET /forever HTTP/1.1\r\nHost: x\r\n\r\n");
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await server.CloseAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(await raw.IsClosedByPeerAsync());
        Assert.Empty(LiveActorsUnder(server.Actor));
    }

    [Fact]
    public async Task Metrics_use_the_names_asp_net_core_uses()
    {
        var seen = new List<(string Name, object? Route, object? Status)>();
        // The duration is recorded once the response has been written, which can be after the
        // client has read it: wait for that measurement rather than racing it.
        var durationRecorded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ServerMetrics.MeterName) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) => Record(instrument, tags));
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) => Record(instrument, tags));
        listener.Start();
        var server = await StartAsync(Mux());
        using var client = ClientFor(server);

        await client.GetStringAsync("/plaintext");
        await durationRecorded.Task.WaitAsync(TimeSpan.FromSeconds(10));

        lock (seen)
        {
            Assert.Contains(seen, m => m.Name == "http.server.request.duration" && (string?)m.Route == "GET /plaintext" && (int?)m.Status == 200);
            Assert.Contains(seen, m => m.Name == "http.server.active_requests");
            Assert.Contains(seen, m => m.Name == "kestrel.active_connections");
        }

        void Record(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            object? route = null, status = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "http.route") route = tag.Value;
                if (tag.Key == "http.response.status_code") status = tag.Value;
            }

            lock (seen) seen.Add((instrument.Name, route, status));
            if (instrument.Name == "http.server.request.duration") durationRecorded.TrySetResult();
        }
    }

    [Fact]
    public async Task Anything_describes_the_request_as_parsed()
    {
        var server = await StartAsync(new ServeMux().HandleFunc("/anything/", AnythingHandler.HandleAsync));
        await using var raw = await ConnectAsync(server);

        await raw.SendAsync("POST /anything/x?a=1&b=2 HTTP/1.1\r\nHost: example\r\nX-Two: 1\r\nx-two: 2\r\n" +
                            "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-Sum: 42\r\n\r\n");
        var response = await raw.ReadResponseAsync("POST");
        using var json = JsonDocument.Parse(response.Body);
        var root = json.RootElement;

        Assert.Equal("application/json", response.Header("Content-Type"));
        Assert.Equal("POST", root.GetProperty("method").GetString());
        Assert.Equal("/anything/x?a=1&b=2", root.GetProperty("target").GetString());
        Assert.Equal("/anything/x", root.GetProperty("path").GetString());
        Assert.Equal("a=1&b=2", root.GetProperty("query").GetString());
        Assert.Equal("HTTP/1.1", root.GetProperty("proto").GetString());
        Assert.Equal("example", root.GetProperty("host").GetString());
        Assert.Equal(["1", "2"], root.GetProperty("headers").GetProperty("X-Two").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("abc", Encoding.UTF8.GetString(Convert.FromBase64String(root.GetProperty("body_b64").GetString()!)));
        Assert.Equal("42", root.GetProperty("trailers").GetProperty("X-Sum")[0].GetString());
    }

    private sealed class WholeResponder : ReceiveActor
    {
        public WholeResponder() =>
            Receive<ActorHandler.HandleRequest>(_ => Sender.Tell(ServerResponse.Text(201, "made"), Self));
    }

    private sealed class WritingResponder : ReceiveActor
    {
        public WritingResponder() =>
            ReceiveAsync<ActorHandler.HandleRequest>(async m =>
            {
                await m.Response.WriteAsync("hello " + m.Request.PathValue("name"));
                Sender.Tell(ActorHandler.ResponseComplete.Instance, Self);
            });
    }
}
