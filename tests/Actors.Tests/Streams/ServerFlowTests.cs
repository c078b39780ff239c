using System.Net;
using System.Text;
using ActorHttp.Actors.Tests.Support;
using ActorHttp.Server;
using ActorHttp.Streams;
using Akka;
using Akka.Actor;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Streams;

/// <summary>
/// A server and a route answered by a <c>Flow&lt;ServerRequest, ServerResponse&gt;</c> (Akka HTTP's <c>bindFlow</c>): order,
/// back-pressure, one materialization per connection, failure and completion of the flow, and the stream's teardown
/// with its connection. HttpClient and raw sockets as clients.
/// </summary>
public sealed class ServerFlowTests(ITestOutputHelper output) : ServerTestBase(output)
{
    private IMaterializer Materializer => Sys.Materializer();

    private static Flow<ServerRequest, ServerResponse, NotUsed> Echo =>
        Flow.Create<ServerRequest>().Select(r => ServerResponse.Text(200, $"{r.Method} {r.Path}"));

    [Fact]
    public async Task A_server_bound_to_a_flow_answers_every_request_through_it()
    {
        var server = await HttpServer.BindFlowAsync(Sys, Echo, new IPEndPoint(IPAddress.Loopback, 0), Settings);
        try
        {
            using var client = ClientFor(server);
            for (int i = 0; i < 5; i++)
                Assert.Equal($"GET /any/{i}", await client.GetStringAsync($"/any/{i}"));
            using var posted = await client.PostAsync("/up", new StringContent("x"));
            Assert.Equal("POST /up", await posted.Content.ReadAsStringAsync());
        }
        finally
        {
            await server.ShutdownAsync(TimeSpan.FromSeconds(5)).WaitAsync(TimeSpan.FromSeconds(15));
            await AwaitAssertAsync(() => Assert.Empty(LiveActorsUnder(server.Actor)), TimeSpan.FromSeconds(5));
        }
    }

    [Fact]
    public async Task A_flow_route_sits_beside_delegate_routes_and_is_materialized_once_per_connection()
    {
        // ZipWithIndex counts the requests of one materialization: per connection, it starts at 0 on every connection.
        var counting = Flow.Create<ServerRequest>().ZipWithIndex().Select(p => ServerResponse.Text(200, $"{p.Item1.PathValue("x")}:{p.Item2}"));
        var mux = new ServeMux()
            .HandleFunc("GET /plain", (w, r) => w.WriteAsync("plain").AsTask())
            .HandleFlow("GET /flow/{x}", counting);
        var server = await StartAsync(mux);

        await using var first = await ConnectAsync(server);
        await first.SendAsync("GET /flow/a HTTP/1.1\r\nHost: x\r\n\r\nGET /plain HTTP/1.1\r\nHost: x\r\n\r\nGET /flow/b HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("a:0", (await first.ReadResponseAsync()).Text);
        Assert.Equal("plain", (await first.ReadResponseAsync()).Text);
        Assert.Equal("b:1", (await first.ReadResponseAsync()).Text);

        await using var second = await ConnectAsync(server);
        await second.SendAsync("GET /flow/c HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("c:0", (await second.ReadResponseAsync()).Text);
        await first.SendAsync("GET /flow/d HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("d:2", (await first.ReadResponseAsync()).Text);
    }

    [Fact]
    public async Task A_flow_route_registered_on_a_running_server_answers_once_registered()
    {
        var server = await StartAsync(new ServeMux());
        using var client = ClientFor(server);
        using (var before = await client.GetAsync("/late/x"))
            Assert.Equal(404, (int)before.StatusCode);
        await server.HandleFlow("GET /late/{x}", Echo);
        Assert.Equal("GET /late/x", await client.GetStringAsync("/late/x"));
    }

    [Fact]
    public async Task Pipelined_requests_get_their_responses_in_request_order_whatever_the_flow_takes()
    {
        // Later requests answer faster than earlier ones: only the order of the exchanges keeps the responses in order.
        var flow = Flow.Create<ServerRequest>().SelectAsync(4, async r =>
        {
            int n = int.Parse(r.Path.AsSpan(1), provider: System.Globalization.CultureInfo.InvariantCulture);
            await Task.Delay(20 - n);   // the work the flow does, not a synchronisation
            return ServerResponse.Text(200, r.Path);
        });
        var server = await StartAsync(new ServeMux().HandleFlow("/", flow));
        await using var raw = await ConnectAsync(server);
        var requests = new StringBuilder();
        for (int i = 0; i < 20; i++) requests.Append($"GET /{i} HTTP/1.1\r\nHost: x\r\n\r\n");
        await raw.SendAsync(requests.ToString());
        for (int i = 0; i < 20; i++)
            Assert.Equal($"/{i}", (await raw.ReadResponseAsync()).Text);
    }

    [Fact]
    public async Task A_flow_that_holds_a_request_sees_no_other_one_and_the_connection_keeps_the_rest_waiting()
    {
        var seen = CreateTestProbe();
        var hold = new TaskCompletionSource<ServerResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        // The Select before SelectAsync(8) sees every request the flow is given: SelectAsync would pull up to 8 at once.
        var flow = Flow.Create<ServerRequest>()
            .Select(r => { seen.Ref.Tell(r.Path); return r; })
            .SelectAsync(8, r => r.Path == "/0" ? hold.Task : Task.FromResult(ServerResponse.Text(200, r.Path)));
        var server = await StartAsync(new ServeMux().HandleFlow("/", flow), Settings with { MaxPipelinedRequests = 4 });
        await using var raw = await ConnectAsync(server);
        var requests = new StringBuilder();
        for (int i = 0; i < 30; i++) requests.Append($"GET /{i} HTTP/1.1\r\nHost: x\r\n\r\n");
        await raw.SendAsync(requests.ToString());

        await seen.ExpectMsgAsync("/0");
        await seen.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));
        hold.SetResult(ServerResponse.Text(200, "/0"));
        for (int i = 0; i < 30; i++)
        {
            Assert.Equal($"/{i}", (await raw.ReadResponseAsync()).Text);
            if (i > 0) await seen.ExpectMsgAsync($"/{i}");
        }
    }

    [Fact]
    public async Task A_flow_that_fails_answers_500_and_closes_the_connection_and_the_next_connection_gets_a_fresh_flow()
    {
        var flow = Flow.Create<ServerRequest>().Select(r =>
            r.Path == "/boom" ? throw new InvalidOperationException("the flow broke") : ServerResponse.Text(200, r.Path));
        var server = await StartAsync(new ServeMux().HandleFlow("/", flow));
        await using (var raw = await ConnectAsync(server))
        {
            await raw.SendAsync("GET /ok HTTP/1.1\r\nHost: x\r\n\r\nGET /boom HTTP/1.1\r\nHost: x\r\n\r\nGET /later HTTP/1.1\r\nHost: x\r\n\r\n");
            Assert.Equal("/ok", (await raw.ReadResponseAsync()).Text);
            var failed = await raw.ReadResponseAsync();
            Assert.Equal(500, failed.Status);
            Assert.Equal("close", failed.Header("Connection"));
            Assert.Equal("", await raw.ReadToCloseAsync());
        }

        using var client = ClientFor(server);
        Assert.Equal("/again", await client.GetStringAsync("/again"));
    }

    [Fact]
    public async Task A_flow_that_completes_early_answers_503_and_closes_the_connection()
    {
        var flow = Flow.Create<ServerRequest>().Take(1).Select(r => ServerResponse.Text(200, r.Path));
        var server = await StartAsync(new ServeMux().HandleFlow("/", flow));
        await using var raw = await ConnectAsync(server);
        await raw.SendAsync("GET /first HTTP/1.1\r\nHost: x\r\n\r\nGET /second HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("/first", (await raw.ReadResponseAsync()).Text);
        var late = await raw.ReadResponseAsync();
        Assert.Equal(503, late.Status);
        Assert.Equal("close", late.Header("Connection"));
        Assert.Equal("", await raw.ReadToCloseAsync());
    }

    [Fact]
    public async Task A_flow_reads_the_request_body_as_a_source()
    {
        var mat = Materializer;
        var flow = Flow.Create<ServerRequest>().SelectAsync(1, async r =>
        {
            var length = await r.DataBytes().RunAggregate(0L, (n, bytes) => n + bytes.Count, mat);
            return ServerResponse.Text(200, length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        });
        var server = await StartAsync(new ServeMux().HandleFlow("POST /len", flow));
        using var client = ClientFor(server);
        for (int i = 0; i < 3; i++)
        {
            using var response = await client.PostAsync("/len", new ByteArrayContent(new byte[1_000_000 + i]));
            Assert.Equal((1_000_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task The_flow_of_a_connection_is_torn_down_when_the_connection_closes()
    {
        var terminated = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var flow = Flow.Create<ServerRequest>()
            .WatchTermination((_, done) =>
            {
                done.ContinueWith(t => terminated.TrySetResult(t.Exception?.GetBaseException()), TaskScheduler.Default);
                return NotUsed.Instance;
            })
            .Select(r => ServerResponse.Text(200, r.Path));
        var server = await StartAsync(new ServeMux().HandleFlow("/", flow));
        await using var raw = await ConnectAsync(server);
        await raw.SendAsync("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("/a", (await raw.ReadResponseAsync()).Text);
        Assert.Contains(LiveActorsUnder(server.Actor), p => p.Contains("/streams", StringComparison.Ordinal));
        Assert.False(terminated.Task.IsCompleted);

        await raw.SendAsync("GET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        Assert.Equal("/b", (await raw.ReadResponseAsync()).Text);
        Assert.True(await raw.IsClosedByPeerAsync());
        await terminated.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await AwaitAssertAsync(() => Assert.DoesNotContain(LiveActorsUnder(server.Actor), p => p.Contains("/streams", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_client_that_leaves_while_the_flow_holds_its_request_closes_the_connection_and_tears_the_flow_down()
    {
        var seen = CreateTestProbe();
        var terminated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource<ServerResponse>();
        var flow = Flow.Create<ServerRequest>()
            .WatchTermination((_, done) =>
            {
                done.ContinueWith(_ => terminated.TrySetResult(), TaskScheduler.Default);
                return NotUsed.Instance;
            })
            .SelectAsync(1, r => { seen.Ref.Tell(r.Path); return never.Task; });
        var server = await StartAsync(new ServeMux().HandleFlow("/", flow));
        var raw = await ConnectAsync(server);
        await raw.SendAsync("GET /held HTTP/1.1\r\nHost: x\r\n\r\n");
        await seen.ExpectMsgAsync("/held");
        await raw.DisposeAsync();

        await terminated.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await AwaitAssertAsync(() => Assert.DoesNotContain(LiveActorsUnder(server.Actor), p => p.Contains("/streams", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(5));
    }

    // The i-th 64 KiB chunk of a streamed body: the same bytes on both sides, without holding the whole body.
    private static byte[] Chunk(int i)
    {
        var bytes = new byte[64 * 1024];
        new Random(i).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task A_flow_answers_with_a_streamed_body_of_64_MiB_byte_for_byte_and_answers_the_next_request_after_it()
    {
        const int chunks = 1024;   // 64 MiB
        var flow = Flow.Create<ServerRequest>().Select(r => r.Path == "/big"
            ? ServerResponse.Streamed(200, Source.From(Enumerable.Range(0, chunks)).Select(i => ByteString.FromBytes(Chunk(i))))
            : ServerResponse.Text(200, r.Path));
        var server = await StartAsync(new ServeMux().HandleFlow("/", flow));
        using var client = ClientFor(server);

        using var response = await client.GetAsync("/big", HttpCompletionOption.ResponseHeadersRead);
        Assert.True(response.Headers.TransferEncodingChunked);
        using var expected = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        for (int i = 0; i < chunks; i++) expected.AppendData(Chunk(i));
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(64L * 1024 * 1024, body.Length);
        Assert.Equal(expected.GetHashAndReset(), System.Security.Cryptography.SHA256.HashData(body));
        // The same connection (HttpClient's pool of one), the next request: the flow had it only after the body ended.
        Assert.Equal("/after", await client.GetStringAsync("/after"));
    }

    [Fact]
    public async Task A_streamed_body_whose_source_fails_midway_is_cut_short_and_its_connection_closed()
    {
        var flow = Flow.Create<ServerRequest>().Select(_ => ServerResponse.Streamed(200,
            Source.From(Enumerable.Range(0, 3)).Select(i => i < 2 ? ByteString.FromString($"part{i};") : throw new InvalidOperationException("the body's source broke"))));
        var server = await StartAsync(new ServeMux().HandleFlow("/", flow));
        await using var raw = await ConnectAsync(server);
        await raw.SendAsync("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n");

        var seen = await raw.ReadToCloseAsync();
        Assert.StartsWith("HTTP/1.1 200", seen, StringComparison.Ordinal);
        Assert.Contains("part0;", seen, StringComparison.Ordinal);
        Assert.Contains("part1;", seen, StringComparison.Ordinal);
        // No last chunk, and no second response: a truncated body, never a complete-looking one.
        Assert.DoesNotContain("\r\n0\r\n\r\n", seen, StringComparison.Ordinal);
        Assert.True(System.Text.RegularExpressions.Regex.Matches(seen, "HTTP/1.1 ").Count == 1, seen);
    }

    [Fact]
    public async Task A_streamed_body_is_pulled_only_as_fast_as_the_client_reads()
    {
        const int chunks = 4096;   // 256 MiB: far more than the sockets' buffers hold
        var pulled = CreateTestProbe();
        var pulls = 0;
        var flow = Flow.Create<ServerRequest>().Select(_ => ServerResponse.Streamed(200, Source.From(Enumerable.Range(0, chunks)).Select(i =>
        {
            Interlocked.Increment(ref pulls);
            pulled.Ref.Tell(i);
            return ByteString.FromBytes(new byte[64 * 1024]);
        })));
        var server = await StartAsync(new ServeMux().HandleFlow("/", flow));
        await using var raw = await ConnectAsync(server);
        await raw.SendAsync("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");

        // The client reads nothing: the source is pulled until the sockets' buffers are full, then not at all.
        await pulled.ExpectMsgAsync(0);
        while (await pulled.ReceiveOneAsync(TimeSpan.FromSeconds(1)) is not null) { }
        var whileStalled = Volatile.Read(ref pulls);
        Assert.True(whileStalled < chunks / 4, $"{whileStalled} of {chunks} chunks pulled while the client read nothing");

        // Reading, the client gets every byte: the rest is pulled as it reads.
        var response = await raw.ReadResponseAsync(timeout: TimeSpan.FromSeconds(60));
        Assert.Equal(200, response.Status);
        Assert.Equal(chunks * 64L * 1024, response.Body.Length);
        Assert.Equal(chunks, Volatile.Read(ref pulls));
    }
}
