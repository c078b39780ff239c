using ActorHttp.Client;
using ActorHttp.Client.Cluster;
using ActorHttp.Cluster;
using ActorHttp.Protocol;
using Akka.Configuration;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.ClusterTests;

/// <summary>
/// The cluster-wide pools' messages through the system's serialization, as Akka.Remote calls it (FindSerializerFor, ToBinary,
/// ManifestFor, Deserialize): each shape, bodies of 0 B, 1 B, 64 KiB and exactly the inline limit, the limit refused inline, and
/// the heads whose bodies stream as stream refs (read back through the ref).
/// </summary>
public sealed class ClusterPoolSerializationTests : Akka.TestKit.Xunit2.TestKit
{
    private readonly int _limit;

    public ClusterPoolSerializationTests(ITestOutputHelper output) : base((Config?)null, nameof(ClusterPoolSerializationTests), output)
    {
        _limit = Http.Get(Sys).ClusterSettings.MaxInlineBody;
    }

    public static TheoryData<int> Sizes => [0, 1, 64 * 1024, -1];

    private byte[] Body(int size)
    {
        var body = new byte[size < 0 ? _limit : size];
        for (int i = 0; i < body.Length; i++) body[i] = (byte)(i * 31 + 7);
        return body;
    }

    private (string Manifest, T Back) RoundTrip<T>(T message)
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        Assert.IsType<HttpWireSerializer>(serializer);
        var bytes = serializer.ToBinary(message);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        return (manifest, Assert.IsType<T>(Sys.Serialization.Deserialize(bytes, serializer.Identifier, manifest)));
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Send_carries_the_id_and_the_request_with_its_body(int size)
    {
        var body = Body(size);
        var request = new ClientRequest("POST", new Uri("http://example.com:8080/a?b=c"))
            { Content = RequestContent.FromBytes(body) }.WithHeader("X-A", "1").WithHeader("x-a", "2");

        var (manifest, back) = RoundTrip(new ClusterHostPool.Send(-42, request));

        Assert.Equal("pq", manifest);
        Assert.Equal(-42, back.Id);
        Assert.Equal("POST", back.Request.Method);
        Assert.Equal(request.Uri, back.Request.Uri);
        Assert.Equal([("X-A", "1"), ("x-a", "2")], back.Request.Headers.Select(f => (f.Key, f.Value)));
        Assert.Equal(body, Assert.IsType<ByteArrayRequestContent>(back.Request.Content).Bytes.ToArray());
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Responded_carries_the_id_and_the_response_with_its_body(int size)
    {
        var body = Body(size);
        var response = new ClientResponse(ClientRequest.Get("http://example.com/x"), 201, "Created", HttpProtocolVersion.Http11,
            HeaderCollection.FromFields([KeyValuePair.Create("Content-Length", body.Length.ToString()), KeyValuePair.Create("X-B", "2")]),
            new MemoryStream(body));

        var (manifest, back) = RoundTrip(new ClusterPoolClient.Responded(7, response));

        Assert.Equal("pr", manifest);
        Assert.Equal(7, back.Id);
        Assert.Equal((201, "Created"), (back.Response.StatusCode, back.Response.ReasonPhrase));
        Assert.Equal("2", back.Response.Headers.GetValue("X-B"));
        Assert.Equal(body, ((MemoryStream)back.Response.Body).ToArray());
    }

    [Fact]
    public void The_small_messages_round_trip()
    {
        Assert.Equal(("pl", ClusterHostPool.Locate.Instance), RoundTrip(ClusterHostPool.Locate.Instance));
        Assert.Equal(("pd", new ClusterPoolClient.Located("http://h:1 via p:2 auth 0011")), RoundTrip(new ClusterPoolClient.Located("http://h:1 via p:2 auth 0011")));
        Assert.Equal(("pc", new ClusterHostPool.Cancel(long.MaxValue)), RoundTrip(new ClusterHostPool.Cancel(long.MaxValue)));
        Assert.Equal(("pm", new ClusterPoolClient.Requeue(3)), RoundTrip(new ClusterPoolClient.Requeue(3)));
        Assert.Equal(("ps", new ClusterPoolClient.Stopped("https://ü.example:443")), RoundTrip(new ClusterPoolClient.Stopped("https://ü.example:443")));
        var failed = new ClusterPoolClient.Failed(9, ClientErrorKind.ResponseHeaderTimeout, "No head within 5 s.\r\nSecond line: ü", true);
        Assert.Equal(("pf", failed), RoundTrip(failed));
    }

    [Fact]
    public void A_body_above_the_limit_is_refused_by_the_sender()
    {
        var request = new ClientRequest("POST", new Uri("http://example.com/")) { Content = RequestContent.FromBytes(new byte[_limit + 1]) };
        var serializer = Sys.Serialization.FindSerializerFor(new ClusterHostPool.Send(1, request));
        var error = Assert.Throws<HttpSerializationException>(() => serializer.ToBinary(new ClusterHostPool.Send(1, request)));
        Assert.True(error.IsBodyTooLarge);
        var response = new ClientResponse(ClientRequest.Get("http://example.com/"), 200, "OK", HttpProtocolVersion.Http11, HeaderCollection.Empty,
            new MemoryStream(new byte[_limit + 1]));
        Assert.True(Assert.Throws<HttpSerializationException>(() => serializer.ToBinary(new ClusterPoolClient.Responded(1, response))).IsBodyTooLarge);
    }

    private async Task<ISourceRef<byte[]>> RefOf(byte[] body) =>
        await Source.From(body.Chunk(64 * 1024)).RunWith(StreamRefs.SourceRef<byte[]>(), Sys.Materializer());

    private async Task<byte[]> ReadAllAsync(ISourceRef<byte[]> body) =>
        (await body.Source.RunAggregate(ByteString.Empty, (all, b) => all.Concat(ByteString.FromBytes(b)), Sys.Materializer())).ToArray();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SendStreamed_carries_the_id_the_head_the_length_or_none_and_the_body_ref(bool known)
    {
        var body = Body(_limit + 64 * 1024);
        var request = new ClientRequest("PUT", new Uri("http://example.com:8080/big?x=1")) { Content = RequestContent.FromBytes(body) }.WithHeader("X-A", "1");

        var (manifest, back) = RoundTrip(new ClusterHostPool.SendStreamed(-5, request, known ? body.Length : null, await RefOf(body)));

        Assert.Equal("pz", manifest);
        Assert.Equal(-5, back.Id);
        Assert.Equal(("PUT", request.Uri), (back.Request.Method, back.Request.Uri));
        Assert.Equal([("X-A", "1")], back.Request.Headers.Select(f => (f.Key, f.Value)));
        Assert.Null(back.Request.Content);   // the head alone: the body is the ref
        Assert.Equal(known ? body.Length : null, back.Length);
        Assert.Equal(body, await ReadAllAsync(back.Body));
    }

    [Theory]
    [InlineData("Content-Length")]
    [InlineData("Transfer-Encoding")]
    public async Task RespondedStreamed_carries_the_id_the_head_as_received_and_the_body_ref(string framing)
    {
        var body = Body(_limit + 1);
        var response = new ClientResponse(ClientRequest.Get("http://example.com/x"), 200, "OK", HttpProtocolVersion.Http11,
            HeaderCollection.FromFields([KeyValuePair.Create(framing, framing == "Content-Length" ? body.Length.ToString() : "chunked"), KeyValuePair.Create("X-B", "2")]),
            Stream.Null);

        var (manifest, back) = RoundTrip(new ClusterPoolClient.RespondedStreamed(11, response, await RefOf(body)));

        Assert.Equal("pt", manifest);
        Assert.Equal(11, back.Id);
        Assert.Equal((200, "OK"), (back.Response.StatusCode, back.Response.ReasonPhrase));
        Assert.Equal([(framing, framing == "Content-Length" ? body.Length.ToString() : "chunked"), ("X-B", "2")],
            back.Response.Headers.Select(f => (f.Name, f.Value)));
        Assert.Equal(0, back.Response.Body.Length);   // the head alone: the body is the ref
        Assert.Equal(body, await ReadAllAsync(back.Body));
    }

    [Fact]
    public async Task A_streamed_message_with_a_broken_ref_line_is_refused_as_malformed()
    {
        var request = ClientRequest.Get("http://example.com/");
        var serializer = Sys.Serialization.FindSerializerFor(new ClusterHostPool.SendStreamed(1, request, null, await RefOf([1])));
        var bytes = System.Text.Encoding.ASCII.GetBytes("1 -\r\n1 x not-base64!\r\n")
            .Concat(serializer.ToBinary(new ClusterHostPool.Send(1, request)).SkipWhile(b => b != (byte)'\n').Skip(1)).ToArray();
        var error = Assert.Throws<HttpSerializationException>(() => Sys.Serialization.Deserialize(bytes, serializer.Identifier, "pz"));
        Assert.Equal(HttpSerializationErrorKind.Malformed, error.Kind);
    }
}
