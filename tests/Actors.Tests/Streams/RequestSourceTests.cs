using ActorHttp.Actors.Tests.Client.Loopback;
using ActorHttp.Actors.Tests.Support.Peers;
using ActorHttp.Client;
using ActorHttp.Streams;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Streams;

/// <summary>
/// A request body from a <c>Source&lt;ByteString&gt;</c> against Kestrel's echo route: chunked or with a Content-Length, and a
/// failing source fails the request with the typed error and its connection is closed, not reused.
/// </summary>
public abstract class RequestSourceTests(ITestOutputHelper output, bool onLoops) : TransportTestBase(output, onLoops)
{
    private IMaterializer Materializer => Sys.Materializer();

    private static Source<ByteString, Akka.NotUsed> Pieces(byte[] body, int size) =>
        Source.From(Enumerable.Range(0, (body.Length + size - 1) / size))
            .Select(i => ByteString.CopyFrom(body, i * size, Math.Min(size, body.Length - i * size)));

    [Fact]
    public async Task A_source_of_unknown_length_is_sent_chunked()
    {
        await using var peer = await KestrelPeer.StartAsync();
        var transport = NewTransport();
        var body = PeerBytes.Pattern(300_000);
        var request = new ClientRequest("POST", peer.Url("/echo"), SourceRequestContent.Create(Pieces(body, 7_000), Materializer));
        using var response = await transport.RoundTripAsync(request, default).WaitAsync(Deadline);
        // The echo route copies the request's Content-Length when it had one: none back means it went chunked.
        Assert.Null(response.ContentLength);
        Assert.Equal(body, await response.ReadAsByteArrayAsync().WaitAsync(Deadline));
    }

    [Fact]
    public async Task A_source_with_a_length_is_sent_with_content_length()
    {
        await using var peer = await KestrelPeer.StartAsync();
        var transport = NewTransport();
        var body = PeerBytes.Pattern(200_000);
        var request = new ClientRequest("POST", peer.Url("/echo"), SourceRequestContent.Create(Pieces(body, 16_384), Materializer, body.Length));
        using var response = await transport.RoundTripAsync(request, default).WaitAsync(Deadline);
        Assert.Equal(body.Length, response.ContentLength);
        Assert.Equal(body, (await response.ToStrictAsync(Deadline, body.Length)).ToArray());
        Assert.Equal(1, peer.Connections.Accepted);
    }

    [Fact]
    public async Task A_failing_source_fails_the_request_typed_and_its_connection_is_not_reused()
    {
        await using var peer = await KestrelPeer.StartAsync();
        var transport = NewTransport();
        var failing = Pieces(PeerBytes.Pattern(50_000), 10_000).Concat(Source.Failed<ByteString>(new InvalidDataException("the source broke")));
        var request = new ClientRequest("POST", peer.Url("/echo"), SourceRequestContent.Create(failing, Materializer));
        var error = await Assert.ThrowsAsync<HttpClientException>(async () =>
        {
            // Kestrel's echo may answer before the body ends: then the failure arrives with the response's body.
            using var response = await transport.RoundTripAsync(request, default).WaitAsync(Deadline);
            await response.ReadAsByteArrayAsync().WaitAsync(Deadline);
        });
        Assert.Equal(ClientErrorKind.RequestContent, error.Kind);
        Assert.True(error.RequestWritten);
        await peer.Connections.WaitForClosedAsync(1).WaitAsync(Deadline);
        await AwaitAssertAsync(() => Assert.Empty(Connections(transport)), Deadline);
        using (var next = await transport.RoundTripAsync(ClientRequest.Get(peer.Url("/plaintext")), default).WaitAsync(Deadline))
            Assert.Equal(200, next.StatusCode);
        Assert.Equal(2, peer.Connections.Accepted);
    }

    [Fact]
    public async Task A_source_shorter_than_its_declared_length_fails_the_request_typed()
    {
        await using var peer = await KestrelPeer.StartAsync();
        var transport = NewTransport();
        var request = new ClientRequest("POST", peer.Url("/echo"),
            SourceRequestContent.Create(Pieces(PeerBytes.Pattern(10_000), 4_000), Materializer, length: 20_000));
        var error = await Assert.ThrowsAsync<HttpClientException>(async () =>
        {
            using var response = await transport.RoundTripAsync(request, default).WaitAsync(Deadline);
            await response.ReadAsByteArrayAsync().WaitAsync(Deadline);
        });
        Assert.Equal(ClientErrorKind.RequestContent, error.Kind);
        await peer.Connections.WaitForClosedAsync(1).WaitAsync(Deadline);
    }

    /// <summary>Plain-HTTP connections on the event loops.</summary>
    public sealed class OnLoops(ITestOutputHelper output) : RequestSourceTests(output, onLoops: true);

    /// <summary>Plain-HTTP connections as streams on the default dispatcher.</summary>
    public sealed class OnStreams(ITestOutputHelper output) : RequestSourceTests(output, onLoops: false);
}
