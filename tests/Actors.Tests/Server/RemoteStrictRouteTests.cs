using System.Net;
using System.Security.Cryptography;
using ActorHttp.Actors.Tests.Support;
using ActorHttp.Server;
using Akka.Actor;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Xunit.Abstractions;
using static ActorHttp.Server.ActorHandler;

namespace ActorHttp.Actors.Tests.Server;

/// <summary>
/// A strict route whose handler lives on another node: two actor systems on 127.0.0.1 joined by Akka.Remote over real
/// sockets. The server runs on node A (this test kit's system); the handler on node B answers the connection actor
/// on A directly, with no Ask and no temporary actor.
/// </summary>
public sealed class RemoteStrictRouteTests(ITestOutputHelper output) : ServerTestBase(output, TestConfig.Server + Remote)
{
    // Port 0: the OS picks free ports, so parallel runs do not collide.
    private const string Remote = """

        akka.actor.provider = remote
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
        """;

    // Echoes the body, and says who it saw as sender and reply-to and where it ran; "/hang" is never answered.
    private sealed class Echo : ReceiveActor
    {
        public Echo(IActorRef probe)
        {
            var materializer = Context.Materializer();
            Receive<HandleStrictRequest>(m =>
            {
                probe.Tell(m.Target);
                if (m.Target == "/hang") return;
                // Above the inline limit the body streams: it is streamed back, as is an endless body for "/endless".
                if (m.BodyRef is not null)
                {
                    m.RespondAsync(200, m.DataBytes(), materializer, [new("X-Node", Context.System.Name)]);
                    return;
                }
                if (m.Target == "/endless")
                {
                    m.RespondAsync(200, Source.Repeat(ByteString.FromBytes(new byte[64 * 1024])), materializer);
                    return;
                }
                m.Respond(new ServerResponse(200, m.Body,
                [
                    new("X-Reply-To", m.ReplyTo.Path.ToSerializationFormat()),
                    new("X-Sender", Sender.Path.ToSerializationFormat()),
                    new("X-Node", Context.System.Name),
                ]));
            });
        }
    }

    private async Task<(ActorSystem NodeB, IActorRef Handler)> StartNodeB(IActorRef probe)
    {
        var nodeB = ActorSystem.Create("nodeB", Akka.Configuration.ConfigurationFactory.ParseString(Remote));
        Http.Get(nodeB);   // the receiving node needs the serializer too
        nodeB.ActorOf(Props.Create(() => new Echo(probe)), "handler");
        var addressB = ((ExtendedActorSystem)nodeB).Provider.DefaultAddress;
        // Resolved through ActorSelection (Identify): a remote ref, whose messages cross the socket, serialized.
        var handler = await Sys.ActorSelection(new RootActorPath(addressB) / "user" / "handler").ResolveOne(TimeSpan.FromSeconds(10));
        Assert.Equal(addressB, handler.Path.Address);
        return (nodeB, handler);
    }

    [Fact]
    public async Task A_request_to_node_A_is_answered_by_a_handler_on_node_B_straight_to_the_connection()
    {
        var probe = CreateTestProbe();
        var (nodeB, handler) = await StartNodeB(probe.Ref);
        try
        {
            var server = await StartAsync(new ServeMux().Handle("/kv/{key}", StrictRoute(handler)));
            using var client = ClientFor(server);
            var body = new byte[64 * 1024];
            Random.Shared.NextBytes(body);

            using var response = await client.PutAsync("/kv/a", new ByteArrayContent(body));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
            Assert.Equal("nodeB", response.Headers.GetValues("X-Node").Single());
            // The reply-to B saw is the connection actor on A (under the listener, in one of its groups): not a
            // temporary actor. It is the sender too.
            var replyTo = ActorPath.Parse(response.Headers.GetValues("X-Reply-To").Single());
            Assert.Equal(((ExtendedActorSystem)Sys).Provider.DefaultAddress, replyTo.Address);
            Assert.Equal((server.Actor.Path / "listener").ToStringWithoutAddress(), replyTo.Parent.Parent.ToStringWithoutAddress());
            Assert.DoesNotContain("/temp/", replyTo.ToStringWithoutAddress());
            Assert.Equal(replyTo, ActorPath.Parse(response.Headers.GetValues("X-Sender").Single()));

            // The connection lives on: a second request on it is answered too.
            using var second = await client.PutAsync("/kv/b", new ByteArrayContent([1, 2, 3]));
            Assert.Equal([1, 2, 3], await second.Content.ReadAsByteArrayAsync());
        }
        finally
        {
            await nodeB.Terminate();
        }
    }

    [Fact]
    public async Task A_body_above_the_inline_limit_streams_to_node_B_and_its_streamed_answer_back()
    {
        var probe = CreateTestProbe();
        var (nodeB, handler) = await StartNodeB(probe.Ref);
        try
        {
            var server = await StartAsync(new ServeMux().Handle("/kv/{key}", StrictRoute(handler)));
            using var client = ClientFor(server);
            // 8 MiB: a hundred times the inline limit, and far above Akka.Remote's frame size; both ways as stream refs.
            var body = new byte[8 * 1024 * 1024];
            Random.Shared.NextBytes(body);

            using var response = await client.PutAsync("/kv/big", new ByteArrayContent(body));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("nodeB", response.Headers.GetValues("X-Node").Single());
            Assert.True(response.Headers.TransferEncodingChunked);
            Assert.Equal(SHA256.HashData(body), SHA256.HashData(await response.Content.ReadAsByteArrayAsync()));
            // The connection lives on, for inline requests too.
            using var small = await client.PutAsync("/kv/small", new ByteArrayContent([1, 2, 3]));
            Assert.Equal([1, 2, 3], await small.Content.ReadAsByteArrayAsync());
        }
        finally
        {
            await nodeB.Terminate();
        }
    }

    // On node B: reads a streamed body one element, reports it, and reads the rest only when told "drain"; answers the
    // body's length.
    private sealed class Stalling : ReceiveActor
    {
        private ISinkQueue<ByteString>? _body;
        private HandleStrictRequest? _request;
        private long _read;

        public Stalling(IActorRef probe)
        {
            var materializer = Context.Materializer();
            ReceiveAsync<HandleStrictRequest>(async m =>
            {
                _request = m;
                // No read-ahead of its own: what the socket gives up is what the stream ref's demand lets through.
                _body = m.DataBytes().RunWith(Sink.Queue<ByteString>().WithAttributes(Attributes.CreateInputBuffer(1, 1)), materializer);
                _read = (await _body.PullAsync()).Value.Count;
                probe.Tell("first element");
            });
            ReceiveAsync<string>(async _ =>
            {
                while (await _body!.PullAsync() is { HasValue: true } next) _read += next.Value.Count;
                _request!.Respond(ServerResponse.Text(200, _read.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            });
        }
    }

    [Fact]
    public async Task A_streamed_body_is_read_from_the_socket_only_as_fast_as_the_handler_on_node_B_pulls()
    {
        var probe = CreateTestProbe();
        var nodeB = ActorSystem.Create("nodeB", Akka.Configuration.ConfigurationFactory.ParseString(Remote));
        try
        {
            Http.Get(nodeB);
            nodeB.ActorOf(Props.Create(() => new Stalling(probe.Ref)), "stalling");
            var addressB = ((ExtendedActorSystem)nodeB).Provider.DefaultAddress;
            var handler = await Sys.ActorSelection(new RootActorPath(addressB) / "user" / "stalling").ResolveOne(TimeSpan.FromSeconds(10));
            var server = await StartAsync(new ServeMux().Handle("/upload", StrictRoute(handler, maxRequestBodySize: 0)));
            await using var raw = await ConnectAsync(server);
            // 256 MiB: far more than every buffer on the way (the socket's, the body pipe's 64 KiB, the stream ref's 32
            // elements) can hold, so the send can only finish if the handler reads.
            const long length = 256L * 1024 * 1024;
            var chunk = new byte[1024 * 1024];
            await raw.SendAsync($"PUT /upload HTTP/1.1\r\nHost: x\r\nContent-Length: {length}\r\n\r\n");
            var sending = Task.Run(async () =>
            {
                for (long sent = 0; sent < length; sent += chunk.Length) await raw.SendAsync(chunk);
            });

            await probe.ExpectMsgAsync("first element", TimeSpan.FromSeconds(30));
            // The handler holds the stream at one element: the client's send stalls, the whole body not taken (a negative
            // check needs a window).
            Assert.NotSame(sending, await Task.WhenAny(sending, Task.Delay(TimeSpan.FromSeconds(3))));

            handler.Tell("drain");
            await sending.WaitAsync(TimeSpan.FromSeconds(120));
            var response = await raw.ReadResponseAsync("PUT", TimeSpan.FromSeconds(60));
            Assert.Equal((200, length.ToString(System.Globalization.CultureInfo.InvariantCulture)), (response.Status, response.Text));
        }
        finally
        {
            await nodeB.Terminate();
        }
    }

    [Fact]
    public async Task A_streamed_answer_whose_node_dies_midway_aborts_the_response_and_the_server_serves_on()
    {
        var probe = CreateTestProbe();
        var (nodeB, handler) = await StartNodeB(probe.Ref);
        var server = await StartAsync(new ServeMux()
            .Handle("/endless", StrictRoute(handler))
            .HandleFunc("/local", (w, _) => w.WriteAsync("local").AsTask()));
        using var client = ClientFor(server);

        using var response = await client.GetAsync("/endless", HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        // The body is flowing from node B ...
        Assert.True(await body.ReadAtLeastAsync(buffer, buffer.Length) == buffer.Length);
        await nodeB.Terminate();
        // ... and once B is gone the stream ref fails, and the connection aborts the response: the client's read fails
        // instead of waiting (HttpClient reports a truncated chunked body as an IOException or HttpRequestException).
        var failed = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (await body.ReadAsync(buffer, cts.Token) > 0) { }
        });
        Assert.IsNotType<OperationCanceledException>(failed);
        Assert.IsNotType<TaskCanceledException>(failed);
        Assert.Equal("local", await client.GetStringAsync("/local"));
    }

    [Fact]
    public async Task A_handler_node_that_stops_while_a_request_waits_gets_503_and_the_server_serves_on()
    {
        var probe = CreateTestProbe();
        var (nodeB, handler) = await StartNodeB(probe.Ref);
        var server = await StartAsync(new ServeMux()
            .Handle("/hang", StrictRoute(handler))
            .HandleFunc("/local", (w, _) => w.WriteAsync("local").AsTask()),
            Settings with { RequestTimeout = TimeSpan.FromMinutes(5) });
        await using var raw = await ConnectAsync(server);

        await raw.SendAsync("GET /hang HTTP/1.1\r\nHost: x\r\n\r\n");
        await probe.ExpectMsgAsync("/hang", TimeSpan.FromSeconds(10));
        await nodeB.Terminate();
        // Remote death watch tells the connection: 503 long before the deadline, and the connection serves its next.
        var response = await raw.ReadResponseAsync(timeout: TimeSpan.FromSeconds(30));
        Assert.Equal(503, response.Status);
        await raw.SendAsync("GET /local HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("local", (await raw.ReadResponseAsync()).Text);
    }
}
