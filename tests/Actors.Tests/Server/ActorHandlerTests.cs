using System.Diagnostics.Metrics;
using System.Net;
using ActorHttp.Actors.Tests.Support;
using ActorHttp.Dispatch;
using ActorHttp.Server;
using Akka.Actor;
using Akka.IO;
using Akka.Streams.Dsl;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Server;

/// <summary>
/// Handler actors answered without Ask: the request goes from the connection actor to the handler actor and the
/// answer straight back, tagged with the request's id; where each runs; late answers dropped, not misdelivered.
/// </summary>
public sealed class ActorHandlerTests(ITestOutputHelper output) : ServerTestBase(output, TestConfig.Server)
{
    /// <summary>What a handler actor saw of one request.</summary>
    private sealed record Seen(string Path, long Id, IActorRef Sender, IActorRef ReplyTo, int Loop, bool OnThreadPool);

    // Tells the probe what it saw, then answers as the request's path says.
    private sealed class Handler : ReceiveActor
    {
        public Handler(IActorRef probe)
        {
            Receive<ActorHandler.HandleRequest>(m =>
            {
                probe.Tell(new Seen(m.Request.Path, m.Id, Sender, m.ReplyTo, EventLoopDispatchers.CurrentLoop, Thread.CurrentThread.IsThreadPoolThread));
                switch (m.Request.Path)
                {
                    case "/whole":
                        m.Respond(ServerResponse.Text(201, "made"));
                        break;
                    case "/twice":
                        // The second answer reaches the connection after the first ended this request.
                        m.Respond(ServerResponse.Text(200, "first"));
                        m.Respond(ServerResponse.Text(200, "second"));
                        break;
                    case "/source":
                        m.Respond(ServerResponse.Streamed(200, Source.From(new[] { "a", "b", "c" }).Select(s => ByteString.FromString(s))));
                        break;
                    case "/fail":
                        m.Fail(new InvalidOperationException("the handler's own error"));
                        break;
                    default:
                        m.Response.Headers.Set("Content-Type", "text/plain");
                        m.Response.WriteAsync("streamed " + m.Request.Path).AsTask()
                            .ContinueWith(_ => m.Complete(), TaskScheduler.Default);
                        break;
                }
            });
        }
    }

    private (IActorRef Handler, Akka.TestKit.TestProbe Probe) StartHandler()
    {
        var probe = CreateTestProbe();
        return (Sys.ActorOf(Props.Create(() => new Handler(probe.Ref))), probe);
    }

    [Fact]
    public async Task The_connection_tells_the_handler_and_the_answer_comes_straight_back_without_a_temporary_actor()
    {
        var (handler, probe) = StartHandler();
        var server = await StartAsync(new ServeMux().Handle("/", handler));
        await using var raw = await ConnectAsync(server);

        await raw.SendAsync("GET /whole HTTP/1.1\r\nHost: x\r\n\r\nGET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
        var whole = await raw.ReadResponseAsync();
        var streamed = await raw.ReadResponseAsync();

        Assert.Equal((201, "made"), (whole.Status, whole.Text));
        Assert.Equal((200, "streamed /stream"), (streamed.Status, streamed.Text));
        var first = probe.ExpectMsg<Seen>();
        var second = probe.ExpectMsg<Seen>();
        // The sender is the connection actor itself (in one of the listener's groups), not an ask's temporary actor.
        Assert.Equal(first.Sender, first.ReplyTo);
        Assert.Equal(server.Actor.Path / "listener", first.Sender.Path.Parent.Parent);
        Assert.Equal(first.Sender, second.Sender);
        Assert.Equal((1L, 2L), (first.Id, second.Id));
        // The handler actor runs on its own (default) dispatcher, never on the connection's event loop.
        Assert.All([first, second], s => Assert.Equal((-1, true), (s.Loop, s.OnThreadPool)));
    }

    [Fact]
    public async Task A_handler_actor_answers_with_a_streamed_body_written_chunked_as_the_source_gives_it()
    {
        var (handler, _) = StartHandler();
        var server = await StartAsync(new ServeMux().Handle("/", handler));
        await using var raw = await ConnectAsync(server);

        await raw.SendAsync("GET /source HTTP/1.1\r\nHost: x\r\n\r\nGET /whole HTTP/1.1\r\nHost: x\r\n\r\n");
        var streamed = await raw.ReadResponseAsync();
        var next = await raw.ReadResponseAsync();

        Assert.Equal((200, "abc", "chunked"), (streamed.Status, streamed.Text, streamed.Header("Transfer-Encoding")));
        Assert.Equal((201, "made"), (next.Status, next.Text));
    }

    [Fact]
    public async Task An_answer_that_comes_after_its_request_ended_is_dropped_and_counted_not_written_to_the_next()
    {
        var (handler, probe) = StartHandler();
        var dropped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "actorhttp.server.dropped_handler_replies") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, _, _, _) => dropped.TrySetResult());
        listener.Start();
        var server = await StartAsync(new ServeMux().Handle("/", handler));
        await using var raw = await ConnectAsync(server);

        await raw.SendAsync("GET /twice HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("first", (await raw.ReadResponseAsync()).Text);
        await dropped.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await raw.SendAsync("GET /next HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("streamed /next", (await raw.ReadResponseAsync()).Text);
        probe.ExpectMsg<Seen>();
        probe.ExpectMsg<Seen>();
    }

    [Fact]
    public async Task A_failed_handler_actor_gets_a_500_and_the_connection_lives_on()
    {
        var (handler, _) = StartHandler();
        var server = await StartAsync(new ServeMux().Handle("/", handler));
        using var client = ClientFor(server);

        using var failed = await client.GetAsync("/fail");
        var next = await client.GetStringAsync("/after");

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal("streamed /after", next);
    }

    [Fact]
    public async Task A_handler_actor_added_to_a_running_server_answers()
    {
        var (handler, _) = StartHandler();
        var server = await StartAsync(new ServeMux().HandleFunc("/", (w, _) => w.WriteAsync("delegate").AsTask()));
        await server.Handle("GET /actor/{rest...}", handler);
        using var client = ClientFor(server);

        Assert.Equal("streamed /actor/x", await client.GetStringAsync("/actor/x"));
        Assert.Equal("delegate", await client.GetStringAsync("/other"));
    }

    // ---- a handler actor that crashes, stops, or never answers ----

    /// <summary>Tell it to answer the request it is holding (the /hold path).</summary>
    private sealed record Release(string Text);

    // The documented pattern (HttpHandlerActor), with a path for each way of not answering.
    private sealed class Misbehaving : HttpHandlerActor
    {
        private ActorHandler.HandleRequest? _held;

        public Misbehaving(IActorRef probe)
        {
            Receive<ActorHandler.HandleRequest>(m =>
            {
                probe.Tell(m.Request.Path);
                switch (m.Request.Path)
                {
                    case "/crash": throw new InvalidOperationException("the handler actor crashes");
                    case "/stop": Context.Stop(Self); break;
                    case "/hold": _held = m; break;
                    default: m.Respond(ServerResponse.Text(200, "ok " + m.Request.Path)); break;
                }
            });
            Receive<Release>(r =>
            {
                _held!.Respond(ServerResponse.Text(200, r.Text));
                probe.Tell(r);
            });
        }
    }

    // A plain actor: its crash is not the request's failure; only the deadline answers it.
    private sealed class Plain : ReceiveActor
    {
        public Plain() => Receive<ActorHandler.HandleRequest>(m =>
        {
            if (m.Request.Path == "/crash") throw new InvalidOperationException("the plain handler actor crashes");
            m.Respond(ServerResponse.Text(200, "ok " + m.Request.Path));
        });
    }

    [Fact]
    public async Task A_handler_actor_that_crashes_on_a_request_answers_it_500_at_once_and_the_connection_serves_the_next()
    {
        var probe = CreateTestProbe();
        var handler = Sys.ActorOf(Props.Create(() => new Misbehaving(probe.Ref)));
        // No deadline: the 500 can only come from the crash.
        var server = await StartAsync(new ServeMux().Handle("/", handler), Settings with { RequestTimeout = TimeSpan.Zero });
        await using var raw = await ConnectAsync(server);

        await raw.SendAsync("GET /crash HTTP/1.1\r\nHost: x\r\n\r\n");
        var crashed = await raw.ReadResponseAsync();
        await raw.SendAsync("GET /next HTTP/1.1\r\nHost: x\r\n\r\n");
        var next = await raw.ReadResponseAsync();

        Assert.Equal(500, crashed.Status);
        Assert.Null(crashed.Header("Connection"));
        Assert.Equal((200, "ok /next"), (next.Status, next.Text));
        probe.ExpectMsg("/crash");
        probe.ExpectMsg("/next");
    }

    [Fact]
    public async Task A_plain_handler_actor_that_loses_a_request_in_its_restart_gets_503_at_the_deadline_and_the_connection_lives_on()
    {
        var handler = Sys.ActorOf(Props.Create(() => new Plain()));
        var timeout = TimeSpan.FromMilliseconds(300);
        var server = await StartAsync(new ServeMux().Handle("/", handler), Settings with { RequestTimeout = timeout });
        await using var raw = await ConnectAsync(server);

        var sent = System.Diagnostics.Stopwatch.StartNew();
        await raw.SendAsync("GET /crash HTTP/1.1\r\nHost: x\r\n\r\n");
        var lost = await raw.ReadResponseAsync(timeout: TimeSpan.FromSeconds(10));
        var waited = sent.Elapsed;
        await raw.SendAsync("GET /next HTTP/1.1\r\nHost: x\r\n\r\n");
        var next = await raw.ReadResponseAsync();

        Assert.Equal(503, lost.Status);
        Assert.True(waited >= timeout, $"answered after {waited}, before the {timeout} deadline");
        Assert.Equal((200, "ok /next"), (next.Status, next.Text));
    }

    [Fact]
    public async Task An_answer_after_the_deadline_is_dropped_and_counted_and_the_next_request_gets_its_own()
    {
        var probe = CreateTestProbe();
        var handler = Sys.ActorOf(Props.Create(() => new Misbehaving(probe.Ref)));
        var dropped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "actorhttp.server.dropped_handler_replies") l.EnableMeasurementEvents(instrument);
        };
        var server = await StartAsync(new ServeMux().Handle("/", handler), Settings with { RequestTimeout = TimeSpan.FromMilliseconds(300) });
        await using var raw = await ConnectAsync(server);

        await raw.SendAsync("GET /hold HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(503, (await raw.ReadResponseAsync(timeout: TimeSpan.FromSeconds(10))).Status);
        probe.ExpectMsg("/hold");
        listener.SetMeasurementEventCallback<long>((_, _, _, _) => dropped.TrySetResult());
        listener.Start();
        handler.Tell(new Release("too late"));
        probe.ExpectMsg<Release>();
        await dropped.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await raw.SendAsync("GET /next HTTP/1.1\r\nHost: x\r\n\r\n");
        var next = await raw.ReadResponseAsync();

        Assert.Equal((200, "ok /next"), (next.Status, next.Text));
    }

    [Fact]
    public async Task A_handler_actor_that_stops_while_a_request_waits_gets_503_at_once_not_at_the_deadline()
    {
        var probe = CreateTestProbe();
        var handler = Sys.ActorOf(Props.Create(() => new Misbehaving(probe.Ref)));
        // A deadline far beyond the read's timeout: the answer can only come from the actor's Terminated.
        var server = await StartAsync(new ServeMux().Handle("/", handler), Settings with { RequestTimeout = TimeSpan.FromMinutes(5) });
        await using var raw = await ConnectAsync(server);

        await raw.SendAsync("GET /first HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(200, (await raw.ReadResponseAsync()).Status);
        await raw.SendAsync("GET /stop HTTP/1.1\r\nHost: x\r\n\r\n");
        var stopped = await raw.ReadResponseAsync(timeout: TimeSpan.FromSeconds(10));
        // The actor is gone before the request is told: watching it answers at once too.
        await raw.SendAsync("GET /after HTTP/1.1\r\nHost: x\r\n\r\n");
        var after = await raw.ReadResponseAsync(timeout: TimeSpan.FromSeconds(10));

        Assert.Equal(503, stopped.Status);
        Assert.Equal(503, after.Status);
    }
}
