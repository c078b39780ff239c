using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using ActorHttp.Actors.Tests.Support;
using ActorHttp.Server;
using Akka.Actor;
using Akka.Streams;
using Xunit.Abstractions;
using static ActorHttp.Server.ActorHandler;

namespace ActorHttp.Actors.Tests.Server;

/// <summary>
/// Strict routes on one node (<see cref="ActorHandler.StrictRoute"/>, <see cref="ActorHandler.ShardedRoute"/>): the
/// connection reads the whole body, tells the handler a <see cref="HandleStrictRequest"/> with itself as reply-to,
/// and streams a body above <c>actorhttp.cluster.max-inline-body</c> through a stream ref.
/// </summary>
public sealed class StrictRouteTests(ITestOutputHelper output) : ServerTestBase(output, TestConfig.Server + Limit)
{
    // Exactly 64 KiB travels inline; one byte more does not.
    private const string Limit = "\nactorhttp.cluster.max-inline-body = 65536\n";

    /// <summary>What a strict handler saw of one request.</summary>
    private sealed record Seen(object Message, IActorRef Sender);

    // Echoes the body, with the request's method and target, and tells the probe what it got.
    private sealed class Echo : ReceiveActor
    {
        public Echo(IActorRef probe)
        {
            var materializer = Context.Materializer();
            Receive<HandleStrictRequest>(m =>
            {
                probe.Tell(new Seen(m, Sender));
                // A body that streams is streamed back.
                if (m.BodyRef is not null)
                    m.RespondAsync(200, m.DataBytes(), materializer, [new("X-Request", $"{m.Method} {m.Target} streamed")]);
                else
                    m.Respond(new ServerResponse(200, m.Body, [new("X-Request", $"{m.Method} {m.Target}")]));
            });
            // A shard region's extractor would unwrap it; this stands in for region and entity at once.
            Receive<ShardedHttpRequest>(m =>
            {
                probe.Tell(new Seen(m, Sender));
                m.Request.Respond(ServerResponse.Text(200, "entity " + m.EntityId));
            });
        }
    }

    private (IActorRef Handler, Akka.TestKit.TestProbe Probe) StartEcho()
    {
        var probe = CreateTestProbe();
        return (Sys.ActorOf(Props.Create(() => new Echo(probe.Ref))), probe);
    }

    [Fact]
    public async Task A_strict_route_echoes_a_64_KiB_body_and_the_handler_answers_the_connection_itself()
    {
        var (handler, probe) = StartEcho();
        var server = await StartAsync(new ServeMux().Handle("PUT /kv/{key}", StrictRoute(handler)));
        using var client = ClientFor(server);
        var body = new byte[64 * 1024];
        Random.Shared.NextBytes(body);

        using var response = await client.PutAsync("/kv/a?x=1", new ByteArrayContent(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("PUT /kv/a?x=1", response.Headers.GetValues("X-Request").Single());
        var seen = probe.ExpectMsg<Seen>();
        var request = Assert.IsType<HandleStrictRequest>(seen.Message);
        // The sender and reply-to are the connection actor (in one of the listener's groups), not a temporary actor.
        Assert.Equal(seen.Sender, request.ReplyTo);
        Assert.Equal(server.Actor.Path / "listener", request.ReplyTo.Path.Parent.Parent);
    }

    [Fact]
    public async Task A_chunked_body_is_read_whole_and_an_empty_one_is_told_at_once()
    {
        var (handler, _) = StartEcho();
        var server = await StartAsync(new ServeMux().Handle("/", StrictRoute(handler)));
        await using var raw = await ConnectAsync(server);

        await raw.SendAsync("POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n" +
                            "GET /e HTTP/1.1\r\nHost: x\r\n\r\n");
        var chunked = await raw.ReadResponseAsync();
        var empty = await raw.ReadResponseAsync();

        Assert.Equal((200, "abcde", "POST /c"), (chunked.Status, chunked.Text, chunked.Header("X-Request")));
        Assert.Equal((200, "", "GET /e"), (empty.Status, empty.Text, empty.Header("X-Request")));
    }

    [Fact]
    public async Task A_body_above_the_inline_limit_streams_to_the_handler_and_its_streamed_answer_back()
    {
        var (handler, probe) = StartEcho();
        var server = await StartAsync(new ServeMux().Handle("/", StrictRoute(handler)));
        await using var raw = await ConnectAsync(server);

        // Declared one byte above the limit: the handler gets a stream ref, not a 413, and its answer streams (chunked).
        var declared = new byte[64 * 1024 + 1];
        Random.Shared.NextBytes(declared);
        await raw.SendAsync(Encoding.ASCII.GetBytes($"PUT /big HTTP/1.1\r\nHost: x\r\nContent-Length: {declared.Length}\r\n\r\n").Concat(declared).ToArray());
        var response = await raw.ReadResponseAsync();
        Assert.Equal((200, "PUT /big streamed", "chunked"), (response.Status, response.Header("X-Request"), response.Header("Transfer-Encoding")));
        Assert.Equal(declared, response.Body);
        var request = Assert.IsType<HandleStrictRequest>(probe.ExpectMsg<Seen>().Message);
        Assert.NotNull(request.BodyRef);
        Assert.Throws<InvalidOperationException>(() => request.Body);

        // Chunked, and found longer than the limit only as it is read: the bytes read so far start the stream. The
        // connection is kept: a small request after it goes inline.
        var chunk = new string('a', 40 * 1024);
        await raw.SendAsync($"PUT /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n{chunk.Length:x}\r\n{chunk}\r\n{chunk.Length:x}\r\n{chunk}\r\n0\r\n\r\n" +
                            "PUT /small HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
        var chunked = await raw.ReadResponseAsync();
        var small = await raw.ReadResponseAsync();
        Assert.Equal((200, "PUT /chunked streamed", chunk + chunk), (chunked.Status, chunked.Header("X-Request"), chunked.Text));
        Assert.Equal((200, "PUT /small", "abc"), (small.Status, small.Header("X-Request"), small.Text));
    }

    [Fact]
    public async Task A_sharded_route_wraps_the_request_in_an_envelope_with_the_entity_id_from_a_path_value()
    {
        var (region, probe) = StartEcho();
        var server = await StartAsync(new ServeMux()
            .Handle("PUT /kv/{key}", ShardedRoute(region, EntityIdFromPathValue("key")))
            .Handle("GET /tenant", ShardedRoute(region, EntityIdFromHeader("X-Tenant"))));
        using var client = ClientFor(server);

        using var put = await client.PutAsync("/kv/k%C3%A9y", new StringContent("value"));
        using var tenant = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/tenant") { Headers = { { "X-Tenant", "t1" } } });
        using var noTenant = await client.GetAsync("/tenant");

        Assert.Equal((HttpStatusCode.OK, "entity k\u00e9y"), (put.StatusCode, await put.Content.ReadAsStringAsync()));
        var envelope = Assert.IsType<ShardedHttpRequest>(probe.ExpectMsg<Seen>().Message);
        Assert.Equal("k\u00e9y", envelope.EntityId);
        Assert.Equal("value", Encoding.UTF8.GetString(envelope.Request.Body.Span));
        Assert.Equal((HttpStatusCode.OK, "entity t1"), (tenant.StatusCode, await tenant.Content.ReadAsStringAsync()));
        Assert.Equal("t1", Assert.IsType<ShardedHttpRequest>(probe.ExpectMsg<Seen>().Message).EntityId);
        // No entity id: 400, and the region is never told.
        Assert.Equal(HttpStatusCode.BadRequest, noTenant.StatusCode);
        probe.ExpectNoMsg(TimeSpan.Zero);

        // The envelope crosses nodes as the request it holds, with the id (any string) in front.
        var serializer = Sys.Serialization.FindSerializerFor(envelope);
        Assert.IsType<Cluster.HttpWireSerializer>(serializer);
        var back = Assert.IsType<ShardedHttpRequest>(Sys.Serialization.Deserialize(
            serializer.ToBinary(envelope), serializer.Identifier, Cluster.HttpWireSerializer.ShardedRequestManifest));
        Assert.Equal((envelope.EntityId, envelope.Request.Id, envelope.Request.ReplyTo), (back.EntityId, back.Request.Id, back.Request.ReplyTo));
        Assert.Equal(envelope.Request.Headers, back.Request.Headers);
        Assert.Equal(envelope.Request.Body.ToArray(), back.Request.Body.ToArray());
    }

    // Holds "/hold" until told Release, then answers it (too late); answers anything else at once.
    private sealed class Holding : ReceiveActor
    {
        public Holding(IActorRef probe)
        {
            HandleStrictRequest? held = null;
            Receive<HandleStrictRequest>(m =>
            {
                probe.Tell(m.Target);
                if (m.Target == "/hold") held = m;
                else m.Respond(ServerResponse.Text(200, "ok " + m.Target));
            });
            Receive<string>(_ =>
            {
                held?.Respond(ServerResponse.Text(200, "too late"));
                probe.Tell("released");
            });
        }
    }

    [Fact]
    public async Task A_strict_handler_that_misses_the_deadline_gets_503_and_its_late_answer_is_dropped_not_written_to_the_next()
    {
        var probe = CreateTestProbe();
        var handler = Sys.ActorOf(Props.Create(() => new Holding(probe.Ref)));
        var dropped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "actorhttp.server.dropped_handler_replies") l.EnableMeasurementEvents(instrument);
        };
        var server = await StartAsync(new ServeMux().Handle("/", StrictRoute(handler)), Settings with { RequestTimeout = TimeSpan.FromMilliseconds(300) });
        await using var raw = await ConnectAsync(server);

        await raw.SendAsync("POST /hold HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
        Assert.Equal(503, (await raw.ReadResponseAsync(timeout: TimeSpan.FromSeconds(10))).Status);
        probe.ExpectMsg("/hold");
        listener.SetMeasurementEventCallback<long>((_, _, _, _) => dropped.TrySetResult());
        listener.Start();
        handler.Tell("release");
        probe.ExpectMsg("released");
        await dropped.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await raw.SendAsync("GET /next HTTP/1.1\r\nHost: x\r\n\r\n");
        var next = await raw.ReadResponseAsync();

        Assert.Equal((200, "ok /next"), (next.Status, next.Text));
    }
}
