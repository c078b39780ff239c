using System.Buffers;
using System.Text;
using ActorHttp.Actors.Tests.Support;
using ActorHttp.Client;
using ActorHttp.Cluster;
using ActorHttp.Protocol;
using ActorHttp.Server;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using Akka.Streams;
using Xunit.Abstractions;
using static ActorHttp.Server.ActorHandler;

namespace ActorHttp.Actors.Tests.Serialization;

/// <summary>
/// HttpWireSerializer through the system's serialization, as Akka.Remote calls it: FindSerializerFor, ToBinary,
/// ManifestFor, Deserialize. Every message shape with bodies of 0 B, 1 B, 64 KiB and exactly the inline limit.
/// </summary>
public sealed class HttpWireSerializerTests : Akka.TestKit.Xunit2.TestKit
{
    private readonly int _limit;

    public HttpWireSerializerTests(ITestOutputHelper output) : base((Config?)null, nameof(HttpWireSerializerTests), output)
    {
        // Loading ActorHttp injects its reference configuration, and with it the serializer and its bindings.
        _limit = Http.Get(Sys).ClusterSettings.MaxInlineBody;
    }

    public static TheoryData<string> Sizes => ["0", "1", "64k", "limit"];

    private byte[] Body(string size)
    {
        int length = size switch { "0" => 0, "1" => 1, "64k" => 64 * 1024, _ => _limit };
        var body = new byte[length];
        for (int i = 0; i < body.Length; i++) body[i] = (byte)(i * 31 + 7);
        return body;
    }

    private (byte[] Bytes, string Manifest, object Back) RoundTrip(object message)
    {
        var serialization = Sys.Serialization;
        var serializer = serialization.FindSerializerFor(message);
        Assert.IsType<HttpWireSerializer>(serializer);
        Assert.Equal(1101, serializer.Identifier);
        var bytes = serializer.ToBinary(message);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        return (bytes, manifest, serialization.Deserialize(bytes, serializer.Identifier, manifest));
    }

    private static KeyValuePair<string, string>[] Fields(params (string Name, string Value)[] fields) =>
        fields.Select(f => KeyValuePair.Create(f.Name, f.Value)).ToArray();

    private static readonly KeyValuePair<string, string>[] RequestFields = Fields(
        ("Host", "example.com"), ("Accept", "text/html"), ("X-Trace", "a"), ("Cookie", "a=1"), ("X-Trace", "b"), ("cookie", "b=2"));

    [Fact]
    public void The_limit_is_the_documented_default_and_below_akka_remote_frame_size()
    {
        Assert.Equal(80 * 1024, _limit);
        Assert.True(_limit + 40 * 1024 + 4 * 1024 < 128000, "room for the largest request head and the envelope");
    }

    [Theory, MemberData(nameof(Sizes))]
    public void A_strict_request_round_trips(string size)
    {
        var body = Body(size);
        var message = new HandleStrictRequest("POST", "/items/1?x=2", HttpProtocolVersion.Http11,
            [.. RequestFields, KeyValuePair.Create("Content-Length", body.Length.ToString())], body, 42, TestActor);

        var (_, manifest, back) = RoundTrip(message);

        Assert.Equal("hr", manifest);
        var request = Assert.IsType<HandleStrictRequest>(back);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/items/1?x=2", request.Target);
        Assert.Equal(HttpProtocolVersion.Http11, request.Version);
        Assert.Equal(message.Headers, request.Headers);
        Assert.Equal(body, request.Body.ToArray());
        Assert.Equal(42, request.Id);
        Assert.Equal(TestActor, request.ReplyTo);
    }

    // A stream ref of byte arrays carrying body, as the connection and RespondAsync make one.
    private async Task<Akka.Streams.ISourceRef<byte[]>> RefOf(byte[] body) =>
        await Akka.Streams.Dsl.Source.Single(body).RunWith(Akka.Streams.Dsl.StreamRefs.SourceRef<byte[]>(), Sys.Materializer());

    private async Task<byte[]> ReadAllAsync(Akka.Streams.Dsl.Source<Akka.IO.ByteString, Akka.NotUsed> source) =>
        (await source.RunAggregate(Akka.IO.ByteString.Empty, (all, b) => all.Concat(b), Sys.Materializer())).ToArray();

    [Theory]
    [InlineData("Content-Length", false)]
    [InlineData("Transfer-Encoding", false)]
    [InlineData("Content-Length", true)]
    public async Task A_request_whose_body_streams_travels_as_its_head_and_its_stream_ref(string framing, bool sharded)
    {
        var body = Body("limit").Concat(Body("64k")).ToArray();   // above the inline limit
        var fields = Fields(("Host", "h"), (framing, framing == "Content-Length" ? body.Length.ToString() : "chunked"), ("X-A", "1"));
        var message = HandleStrictRequest.WithBodyRef("PUT", "/big", HttpProtocolVersion.Http11, fields, await RefOf(body), 8, TestActor);

        var (bytes, manifest, back) = RoundTrip(sharded ? new ShardedHttpRequest("e/1", message) : message);

        Assert.Equal(sharded ? "hz" : "hq", manifest);
        var text = Encoding.Latin1.GetString(bytes);
        Assert.StartsWith("PUT /big HTTP/1.1\r\n", text);
        Assert.Contains("\r\nActorHttp-Body-Ref: ", text);
        Assert.EndsWith("X-A: 1\r\n\r\n", text);   // the head alone: the body is in the ref
        var request = sharded ? Assert.IsType<ShardedHttpRequest>(back).Request : Assert.IsType<HandleStrictRequest>(back);
        Assert.Equal(message.Headers, request.Headers);
        Assert.Equal((8L, TestActor), (request.Id, request.ReplyTo));
        Assert.NotNull(request.BodyRef);
        Assert.Throws<InvalidOperationException>(() => request.Body);
        Assert.Equal(body, await ReadAllAsync(request.DataBytes()));
    }

    [Fact]
    public async Task A_streamed_reply_travels_as_a_response_head_and_its_stream_ref()
    {
        var body = Body("64k");
        var reply = new Reply(4, new StreamedResponse(201, await RefOf(body), Fields(("Content-Type", "application/octet-stream"))));

        var (bytes, manifest, back) = RoundTrip(reply);

        Assert.Equal("rt", manifest);
        Assert.StartsWith("HTTP/1.1 201 Created\r\nActorHttp-Reply-Id: 4\r\nActorHttp-Body-Ref: ", Encoding.Latin1.GetString(bytes));
        var backReply = Assert.IsType<Reply>(back);
        var streamed = Assert.IsType<StreamedResponse>(backReply.Answer);
        Assert.Equal((4L, 201), (backReply.Id, streamed.StatusCode));
        Assert.Equal(Fields(("Content-Type", "application/octet-stream")), streamed.Headers);
        var read = await streamed.Body.Source.RunAggregate(new List<byte>(), (all, b) => { all.AddRange(b); return all; }, Sys.Materializer());
        Assert.Equal(body, read.ToArray());
    }

    [Fact]
    public async Task A_request_whose_body_streams_keeps_framing_and_a_head_with_bytes_after_it_is_malformed()
    {
        var bodyRef = await RefOf([1, 2, 3]);
        var refused = Assert.Throws<ArgumentException>(() => HandleStrictRequest.WithBodyRef("PUT", "/big", HttpProtocolVersion.Http11,
            Fields(("Host", "h")), bodyRef, 1, TestActor));
        Assert.Contains("keeps its framing", refused.Message);
        var serializer = (SerializerWithStringManifest)Sys.Serialization.FindSerializerForType(typeof(HandleStrictRequest));
        var error = Assert.Throws<HttpSerializationException>(() => serializer.FromBinary(
            Encoding.ASCII.GetBytes("PUT /big HTTP/1.1\r\nActorHttp-Request-Id: 1\r\nActorHttp-Reply-To: x\r\nActorHttp-Body-Ref: 1 - AA==\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"),
            HttpWireSerializer.StreamingRequestManifest));
        Assert.Equal(HttpSerializationErrorKind.Malformed, error.Kind);
    }

    [Fact]
    public void A_strict_request_is_an_http_request_on_the_wire()
    {
        var message = new HandleStrictRequest("PUT", "/kv/a", HttpProtocolVersion.Http11,
            Fields(("Host", "h"), ("X-A", "1"), ("X-A", "2")), "hey"u8.ToArray(), 7, TestActor);

        var (bytes, _, _) = RoundTrip(message);

        var path = Akka.Serialization.Serialization.SerializedActorPath(TestActor);
        Assert.Equal(
            "PUT /kv/a HTTP/1.1\r\n" +
            "ActorHttp-Request-Id: 7\r\n" +
            $"ActorHttp-Reply-To: {path}\r\n" +
            "Host: h\r\nX-A: 1\r\nX-A: 2\r\n" +
            "Content-Length: 3\r\n" + // appended by the constructor: a body needs framing
            "\r\nhey",
            Encoding.Latin1.GetString(bytes));
    }

    [Fact]
    public void A_chunked_request_is_written_chunked_and_parses_back_with_the_protocol_codec()
    {
        var body = Body("64k");
        var message = new HandleStrictRequest("POST", "/upload", HttpProtocolVersion.Http11,
            Fields(("Host", "h"), ("Transfer-Encoding", "chunked"), ("X-B", "1")), body, 3, TestActor);

        var (bytes, _, back) = RoundTrip(message);

        var input = new ReadOnlySequence<byte>(bytes);
        var result = new RequestHeadParser(TestConfig.ParserLimits).Parse(input);
        Assert.Equal(ParseStatus.Complete, result.Status);
        var head = result.Head!;
        Assert.Equal(BodyKind.Chunked, head.Framing.Kind);
        Assert.Equal(["ActorHttp-Request-Id", "ActorHttp-Reply-To", "Host", "Transfer-Encoding", "X-B"], head.Headers.Select(f => f.Name));
        var decoder = BodyDecoder.For(head, TestConfig.ParserLimits);
        var rest = input.Slice(result.BytesConsumed);
        var decoded = new List<byte>();
        while (true)
        {
            var step = decoder.Decode(rest, isFinalBlock: true);
            if (step.Status == BodyDecodeStatus.Data) decoded.AddRange(step.Data.ToArray());
            else Assert.NotEqual(BodyDecodeStatus.Rejected, step.Status);
            rest = rest.Slice(step.BytesConsumed);
            if (step.Status == BodyDecodeStatus.End) break;
        }
        Assert.True(rest.IsEmpty);
        Assert.Equal(body, decoded.ToArray());
        Assert.Equal(body, ((HandleStrictRequest)back).Body.ToArray());
        Assert.Equal(message.Headers, ((HandleStrictRequest)back).Headers);
    }

    [Theory, MemberData(nameof(Sizes))]
    public void A_server_response_and_its_reply_round_trip(string size)
    {
        var body = Body(size);
        var response = new ServerResponse(201, body, Fields(("Content-Type", "a/b"), ("Set-Cookie", "a=1"), ("X-C", "x"), ("Set-Cookie", "b=2")));

        var (bytes, manifest, back) = RoundTrip(response);
        var (_, replyManifest, backReply) = RoundTrip(new Reply(9, response));

        Assert.Equal("sr", manifest);
        Assert.StartsWith("HTTP/1.1 201 Created\r\nActorHttp-Added: Content-Length\r\nContent-Length: " + body.Length + "\r\nContent-Type: a/b\r\n", Encoding.Latin1.GetString(bytes));
        Assert.Equal("rr", replyManifest);
        var reply = Assert.IsType<Reply>(backReply);
        Assert.Equal(9, reply.Id);
        foreach (var r in new[] { Assert.IsType<ServerResponse>(back), Assert.IsType<ServerResponse>(reply.Answer) })
        {
            Assert.Equal(201, r.StatusCode);
            Assert.Equal(body, r.Body.ToArray());
            Assert.Equal(response.Headers, r.Headers);
        }
    }

    [Fact]
    public void A_server_response_with_its_own_content_length_or_no_headers_round_trips_exactly()
    {
        var declared = new ServerResponse(200, "ab"u8.ToArray(), Fields(("Content-Length", "2")));
        var bare = new ServerResponse(204, ReadOnlyMemory<byte>.Empty);

        var back1 = (ServerResponse)RoundTrip(declared).Back;
        var back2 = (ServerResponse)RoundTrip(bare).Back;

        Assert.Equal(declared.Headers, back1.Headers);
        Assert.Equal(204, back2.StatusCode);
        Assert.Null(back2.Headers);
    }

    [Fact]
    public void A_failure_reply_carries_the_exception_type_and_message()
    {
        var (bytes, manifest, back) = RoundTrip(new Reply(5, new Status.Failure(new InvalidOperationException("no such key: é"))));

        Assert.Equal("rf", manifest);
        Assert.StartsWith("HTTP/1.1 500 Internal Server Error\r\nActorHttp-Reply-Id: 5\r\nActorHttp-Exception: System.InvalidOperationException\r\n", Encoding.Latin1.GetString(bytes));
        var reply = Assert.IsType<Reply>(back);
        Assert.Equal(5, reply.Id);
        var cause = Assert.IsType<RemoteHandlerException>(Assert.IsType<Status.Failure>(reply.Answer).Cause);
        Assert.Equal("System.InvalidOperationException", cause.ExceptionType);
        Assert.Equal("no such key: é", cause.Message);
    }

    [Fact]
    public void Response_complete_and_its_reply_round_trip()
    {
        Assert.Same(ResponseComplete.Instance, RoundTrip(ResponseComplete.Instance).Back);
        var reply = Assert.IsType<Reply>(RoundTrip(new Reply(long.MaxValue, ResponseComplete.Instance)).Back);
        Assert.Equal(long.MaxValue, reply.Id);
        Assert.Same(ResponseComplete.Instance, reply.Answer);
    }

    [Theory, MemberData(nameof(Sizes))]
    public void A_client_request_round_trips(string size)
    {
        var body = Body(size);
        var request = new ClientRequest("POST", new Uri("http://example.com:8080/a/b?c=d"), RequestContent.FromBytes(body))
        {
            Headers = RequestHeaders.From(("Accept", "*/*"), ("X-D", "1"), ("Cookie", "a"), ("X-D", "2")),
        };

        var (bytes, manifest, back) = RoundTrip(request);

        Assert.Equal("cq", manifest);
        Assert.StartsWith("POST http://example.com:8080/a/b?c=d HTTP/1.1\r\nActorHttp-Added: Host, Content-Length\r\nHost: example.com:8080\r\n", Encoding.Latin1.GetString(bytes));
        var r = Assert.IsType<ClientRequest>(back);
        Assert.Equal("POST", r.Method);
        Assert.Equal(request.Uri, r.Uri);
        Assert.Equal(request.Headers, r.Headers);
        var content = Assert.IsType<ByteArrayRequestContent>(r.Content);
        Assert.Equal(body, content.Bytes.ToArray());
    }

    [Fact]
    public void A_client_request_without_content_or_with_its_own_host_round_trips()
    {
        var request = ClientRequest.Get("https://example.com/x").WithHeader("Host", "other.example");

        var r = Assert.IsType<ClientRequest>(RoundTrip(request).Back);

        Assert.Null(r.Content);
        Assert.Equal(request.Uri, r.Uri);
        Assert.Equal(request.Headers, r.Headers);
    }

    [Theory, MemberData(nameof(Sizes))]
    public void A_buffered_client_response_round_trips(string size)
    {
        var body = Body(size);
        var request = ClientRequest.Get("http://example.com/r");
        var headers = HeaderCollection.FromFields(Fields(("Content-Length", body.Length.ToString()), ("Set-Cookie", "a"), ("X-E", "1"), ("Set-Cookie", "b")));
        var response = new ClientResponse(request, 200, "Fine", HttpProtocolVersion.Http11, headers, new MemoryStream(body), [100, 103]);

        var (_, manifest, back) = RoundTrip(response);

        Assert.Equal("cr", manifest);
        var r = Assert.IsType<ClientResponse>(back);
        Assert.Equal(200, r.StatusCode);
        Assert.Equal("Fine", r.ReasonPhrase);
        Assert.Equal([100, 103], r.Informational);
        Assert.Equal(headers.Select(f => (f.Name, f.Value)), r.Headers.Select(f => (f.Name, f.Value)));
        Assert.Equal(body, ((MemoryStream)r.Body).ToArray());
        Assert.Equal("GET", r.Request.Method);
        Assert.Equal(request.Uri, r.Request.Uri);
    }

    [Fact]
    public void A_chunked_client_response_keeps_its_trailers_and_a_head_response_has_no_body()
    {
        var trailers = HeaderCollection.FromFields(Fields(("X-Checksum", "abc")));
        var chunked = new ClientResponse(ClientRequest.Get("http://h/"), 200, "OK", HttpProtocolVersion.Http11,
            HeaderCollection.FromFields(Fields(("Transfer-Encoding", "chunked"))), new MemoryStream("abc"u8.ToArray()), trailers: () => trailers);
        var head = new ClientResponse(new ClientRequest("HEAD", new Uri("http://h/")), 200, "OK", HttpProtocolVersion.Http11,
            HeaderCollection.FromFields(Fields(("Content-Length", "1000"))), new MemoryStream());

        var c = Assert.IsType<ClientResponse>(RoundTrip(chunked).Back);
        var h = Assert.IsType<ClientResponse>(RoundTrip(head).Back);

        Assert.Equal("abc"u8.ToArray(), ((MemoryStream)c.Body).ToArray());
        Assert.Equal("abc", c.Trailers.GetValue("X-Checksum"));
        Assert.Equal(0, h.Body.Length);
        Assert.Equal("1000", h.Headers.GetValue("Content-Length"));
        Assert.Equal("HEAD", h.Request.Method);
    }

    [Fact]
    public void The_reply_to_of_a_strict_request_is_the_same_actor()
    {
        var probe = CreateTestProbe();
        var message = new HandleStrictRequest("GET", "/", HttpProtocolVersion.Http11, Fields(("Host", "h")), default, 1, probe.Ref);

        var back = (HandleStrictRequest)RoundTrip(message).Back;
        back.Respond(ServerResponse.Text(200, "ok"));

        Assert.Equal(probe.Ref, back.ReplyTo);
        Assert.Equal(1, probe.ExpectMsg<Reply>().Id);
    }

    [Fact]
    public void Bodies_above_the_limit_are_refused_with_the_typed_error()
    {
        var body = new byte[_limit + 1];
        object[] messages =
        [
            new HandleStrictRequest("POST", "/", HttpProtocolVersion.Http11, Fields(("Host", "h")), body, 1, TestActor),
            new ServerResponse(200, body),
            new Reply(1, new ServerResponse(200, body)),
            new ClientRequest("POST", new Uri("http://h/"), RequestContent.FromBytes(body)),
            new ClientResponse(ClientRequest.Get("http://h/"), 200, "OK", HttpProtocolVersion.Http11, HeaderCollection.Empty, new MemoryStream(body)),
        ];

        foreach (var message in messages)
        {
            var serializer = Sys.Serialization.FindSerializerFor(message);
            var e = Assert.Throws<HttpSerializationException>(() => serializer.ToBinary(message));
            Assert.True(e.IsBodyTooLarge);
            Assert.Equal(_limit + 1, e.BodyLength);
            Assert.Equal(_limit, e.MaxInlineBody);
            // A SerializationException: Akka.Remote drops the message and keeps the association.
            Assert.IsAssignableFrom<System.Runtime.Serialization.SerializationException>(e);
            var check = Assert.Throws<HttpSerializationException>(() => HttpWireSerializer.CheckInline(message, Http.Get(Sys).ClusterSettings));
            Assert.True(check.IsBodyTooLarge);
        }
    }

    [Fact]
    public void Streaming_bodies_and_local_only_parts_are_refused_precisely()
    {
        var serializer = Sys.Serialization.FindSerializerFor(ClientRequest.Get("http://h/"));
        var streaming = new ClientRequest("POST", new Uri("http://h/"), RequestContent.FromStream(new MemoryStream(new byte[3])));
        var traced = ClientRequest.Get("http://h/") with { Trace = new NoTrace() };
        var unbuffered = new ClientResponse(ClientRequest.Get("http://h/"), 200, "OK", HttpProtocolVersion.Http11, HeaderCollection.Empty, new BufferedStream(new MemoryStream()));

        Assert.Equal(HttpSerializationErrorKind.StreamingBody, Assert.Throws<HttpSerializationException>(() => serializer.ToBinary(streaming)).Kind);
        Assert.Equal(HttpSerializationErrorKind.StreamingBody, Assert.Throws<HttpSerializationException>(() => serializer.ToBinary(unbuffered)).Kind);
        Assert.Equal(HttpSerializationErrorKind.NotSerializable, Assert.Throws<HttpSerializationException>(() => serializer.ToBinary(traced)).Kind);
        Assert.Equal(HttpSerializationErrorKind.NotSerializable, Assert.Throws<HttpSerializationException>(() => serializer.ToBinary(new Reply(1, "text"))).Kind);
        // A body that is a source on this node stays here: Akka asks the manifest first, and either refuses it by name.
        var local = ServerResponse.Streamed(200, Akka.Streams.Dsl.Source.Single(Akka.IO.ByteString.FromString("x")));
        foreach (var message in new object[] { local, new Reply(1, local) })
        {
            Assert.Equal(HttpSerializationErrorKind.NotSerializable, Assert.Throws<HttpSerializationException>(() => ((Akka.Serialization.SerializerWithStringManifest)serializer).Manifest(message)).Kind);
            Assert.Contains("ServerResponse.Streamed", Assert.Throws<HttpSerializationException>(() => serializer.ToBinary(message)).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Bytes_that_are_not_the_message_named_are_malformed()
    {
        var serializer = (HttpWireSerializer)Sys.Serialization.FindSerializerFor(ResponseComplete.Instance);

        var noEnvelope = Assert.Throws<HttpSerializationException>(() => serializer.FromBinary("GET / HTTP/1.1\r\nHost: h\r\n\r\n"u8.ToArray(), "hr"));
        var truncated = Assert.Throws<HttpSerializationException>(() => serializer.FromBinary("HTTP/1.1 200 OK\r\nActorHttp-Added: none\r\nContent-Length: 5\r\n\r\nab"u8.ToArray(), "sr"));
        var unknown = Assert.Throws<HttpSerializationException>(() => serializer.FromBinary([], "zz"));

        Assert.All([noEnvelope, truncated, unknown], e => Assert.Equal(HttpSerializationErrorKind.Malformed, e.Kind));
    }

    [Fact]
    public void An_invalid_strict_request_fails_where_it_is_made()
    {
        Assert.Throws<ArgumentException>(() => new HandleStrictRequest("GET", "/", HttpProtocolVersion.Http11, [], default, 1, TestActor));
        Assert.Throws<ArgumentException>(() => new HandleStrictRequest("GET", "/", HttpProtocolVersion.Http11, Fields(("Host", "h"), ("Content-Length", "2")), "a"u8.ToArray(), 1, TestActor));
        Assert.Throws<ArgumentException>(() => new HandleStrictRequest("GET", "/a b", HttpProtocolVersion.Http11, Fields(("Host", "h")), default, 1, TestActor));
        Assert.Throws<ArgumentException>(() => new HandleStrictRequest("GET", "/", HttpProtocolVersion.Http11, Fields(("Host", "h"), ("X", "a\r\nb")), default, 1, TestActor));
        Assert.Throws<ArgumentException>(() => new HandleStrictRequest("POST", "/", HttpProtocolVersion.Http10, Fields(("Transfer-Encoding", "chunked")), default, 1, TestActor));
    }

    private sealed class NoTrace : IClientTrace
    {
        public void OnEvent(ClientTraceEvent traceEvent) { }
    }
}
