using ActorHttp.Actors.Tests.Support;
using ActorHttp.Actors.Tests.Support.Peers;
using ActorHttp.Server;
using ActorHttp.Streams;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Streams;

/// <summary>
/// Handlers of the repo's own server reading the request body as a Source and answering with a Source (chunked), with
/// HttpClient as the client.
/// </summary>
public sealed class ServerStreamsTests(ITestOutputHelper output) : ServerTestBase(output)
{
    private IMaterializer Materializer => Sys.Materializer();

    [Fact]
    public async Task A_handler_echoes_the_request_body_source_as_a_chunked_response()
    {
        var mux = new ServeMux().HandleFunc("POST /echo", (w, r) => w.WriteSourceAsync(r.DataBytes(), Materializer));
        var server = await StartAsync(mux);
        using var client = ClientFor(server);
        var body = PeerBytes.Pattern(3 * 1024 * 1024 + 17);
        using var response = await client.PostAsync("/echo", new ByteArrayContent(body));
        Assert.Equal(200, (int)response.StatusCode);
        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_handler_answers_with_a_generated_source_and_a_content_length()
    {
        const int pieces = 100, size = 10_000;
        var mux = new ServeMux().HandleFunc("GET /gen", (w, r) =>
        {
            w.Headers.Set("Content-Length", (pieces * size).ToString(System.Globalization.CultureInfo.InvariantCulture));
            return w.WriteSourceAsync(Source.From(Enumerable.Range(0, pieces)).Select(i => ByteString.FromBytes(PieceAt(i, size))), Materializer);
        });
        var server = await StartAsync(mux);
        using var client = ClientFor(server);
        using var response = await client.GetAsync("/gen");
        Assert.Equal(pieces * size, response.Content.Headers.ContentLength);
        var expected = Enumerable.Range(0, pieces).SelectMany(i => PieceAt(i, size)).ToArray();
        Assert.Equal(expected, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_handler_runs_the_request_body_source_to_its_end()
    {
        var mux = new ServeMux().HandleFunc("POST /len", async (w, r) =>
        {
            var lengths = await r.DataBytes().RunAggregate(0L, (n, bytes) => n + bytes.Count, Materializer);
            await w.WriteAsync(lengths.ToString(System.Globalization.CultureInfo.InvariantCulture));
        });
        var server = await StartAsync(mux);
        using var client = ClientFor(server);
        using var response = await client.PostAsync("/len", new ByteArrayContent(new byte[5_000_000]));
        Assert.Equal("5000000", await response.Content.ReadAsStringAsync());
    }

    private static byte[] PieceAt(int index, int size) => Enumerable.Repeat((byte)(index % 251), size).ToArray();
}
