using ActorHttp.Actors.Tests.Support.Peers;
using ActorHttp.Client;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Client.Loopback;

/// <summary>The transport against a scripted raw-socket server: every fault of the client's list.</summary>
public abstract class FaultLoopbackTests(ITestOutputHelper output, bool onLoops) : TransportTestBase(output, onLoops)
{
    [Fact]
    public async Task A_server_closing_the_idle_connection_removes_it_and_the_next_request_gets_a_new_one()
    {
        await using var server = new ScriptedServer(FaultScripts.CloseIdleAfterOneResponse());
        var transport = NewTransport();
        using (var first = await Get(transport, server.Url("/a"))) Assert.Equal("ok", await first.ReadAsStringAsync().WaitAsync(Deadline));
        // The reader watches the idle connection: the server's FIN removes it from the pool.
        await AwaitAssertAsync(() => Assert.Empty(Connections(transport)), Deadline);
        using (var second = await Get(transport, server.Url("/b"))) Assert.Equal("ok", await second.ReadAsStringAsync().WaitAsync(Deadline));
        Assert.Equal(2, server.Connections.Accepted);
        server.ThrowIfFailed();
    }

    [Fact]
    public async Task A_request_dropped_on_a_reused_connection_is_retried_on_a_new_one()
    {
        await using var server = new ScriptedServer(FaultScripts.DropSecondRequest());
        var transport = NewTransport();
        var traces = new List<ClientTraceEvent>();
        using (var first = await Get(transport, server.Url("/a"))) await first.ReadAsStringAsync().WaitAsync(Deadline);
        var request = ClientRequest.Get(server.Url("/b")) with { Trace = new Recorder(traces) };
        using (var second = await transport.RoundTripAsync(request, default).WaitAsync(Deadline))
            Assert.Equal("ok", await second.ReadAsStringAsync().WaitAsync(Deadline));
        Assert.Equal(2, server.Connections.Accepted);
        lock (traces)
        {
            var got = traces.OfType<GotConn>().ToArray();
            Assert.Equal(2, got.Length);
            Assert.True(got[0].Reused);
            Assert.False(got[1].Reused);
        }
    }

    [Fact]
    public async Task A_post_dropped_on_a_reused_connection_is_not_retried()
    {
        await using var server = new ScriptedServer(FaultScripts.DropSecondRequest());
        var transport = NewTransport();
        using (var first = await Get(transport, server.Url("/a"))) await first.ReadAsStringAsync().WaitAsync(Deadline);
        var post = new ClientRequest("POST", server.Url("/b"), RequestContent.FromString("x"));
        var error = await Assert.ThrowsAsync<HttpClientException>(() => transport.RoundTripAsync(post, default).WaitAsync(Deadline));
        Assert.True(error.Kind is ClientErrorKind.ConnectionClosed or ClientErrorKind.ConnectionReset, error.ToString());
        Assert.True(error.RequestWritten);
        Assert.Equal(1, server.Connections.Accepted);
    }

    [Fact]
    public async Task A_keyed_post_reset_on_a_reused_connection_before_any_answer_is_retried_on_a_new_one()
    {
        // Go retries a replayable request after any failure of a reused connection before the first response byte
        // (transportReadFromServerError), a reset too, even though its body had gone out.
        await using var server = new ScriptedServer(FaultScripts.StaleIdleConnections(stale: 1));
        var transport = NewTransport();
        using (var first = await Get(transport, server.Url("/a"))) await first.ReadAsStringAsync().WaitAsync(Deadline);
        var traces = new List<ClientTraceEvent>();
        var post = new ClientRequest("POST", server.Url("/keyed"), RequestContent.FromString("body"))
            .WithHeader("Idempotency-Key", "k1") with { Trace = new Recorder(traces) };
        using (var response = await transport.RoundTripAsync(post, default).WaitAsync(Deadline))
        {
            Assert.Equal(200, response.StatusCode);
            Assert.Equal("ok", await response.ReadAsStringAsync().WaitAsync(Deadline));
        }
        Assert.Equal(2, server.Connections.Accepted);
        lock (traces) Assert.Equal([true, false], traces.OfType<GotConn>().Select(g => g.Reused));
        server.ThrowIfFailed();
    }

    [Fact]
    public async Task Two_stale_idle_connections_in_a_row_are_both_retried_past()
    {
        // Go's roundTrip loops: each retry takes another connection, and a second stale one is retried too.
        await using var server = new ScriptedServer(FaultScripts.StaleIdleConnections(stale: 2));
        var transport = NewTransport();
        var firsts = new[] { Get(transport, server.Url("/a")), Get(transport, server.Url("/b")) };
        foreach (var first in firsts)
        {
            using var response = await first;
            Assert.Equal("ok", await response.ReadAsStringAsync().WaitAsync(Deadline));
        }
        await AwaitAssertAsync(async () => Assert.Equal(2, (await StatsAsync(transport)).Idle), Deadline);
        var traces = new List<ClientTraceEvent>();
        var request = ClientRequest.Get(server.Url("/c")) with { Trace = new Recorder(traces) };
        using (var response = await transport.RoundTripAsync(request, default).WaitAsync(Deadline))
            Assert.Equal("ok", await response.ReadAsStringAsync().WaitAsync(Deadline));
        Assert.Equal(3, server.Connections.Accepted);
        lock (traces) Assert.Equal([true, true, false], traces.OfType<GotConn>().Select(g => g.Reused));
        server.ThrowIfFailed();
    }

    [Fact]
    public async Task A_plain_post_reset_on_a_reused_connection_fails_typed_and_is_not_retried()
    {
        await using var server = new ScriptedServer(FaultScripts.StaleIdleConnections(stale: 1));
        var transport = NewTransport();
        using (var first = await Get(transport, server.Url("/a"))) await first.ReadAsStringAsync().WaitAsync(Deadline);
        var post = new ClientRequest("POST", server.Url("/b"), RequestContent.FromString("x"));
        var error = await Assert.ThrowsAsync<HttpClientException>(() => transport.RoundTripAsync(post, default).WaitAsync(Deadline));
        Assert.Equal(ClientErrorKind.ConnectionReset, error.Kind);
        Assert.True(error.RequestWritten);
        Assert.Equal(1, server.Connections.Accepted);
    }

    [Fact]
    public async Task A_reset_mid_body_fails_the_read_and_the_connection_is_not_reused()
    {
        await using var server = new ScriptedServer(FaultScripts.ResetMidBody());
        var transport = NewTransport();
        using var response = await Get(transport, server.Url("/"));
        var error = await Assert.ThrowsAsync<HttpClientException>(() => response.ReadAsByteArrayAsync().WaitAsync(Deadline));
        Assert.True(error.Kind is ClientErrorKind.ConnectionReset or ClientErrorKind.ConnectionClosed, error.ToString());
        await AwaitAssertAsync(() => Assert.Empty(Connections(transport)), Deadline);
    }

    [Fact]
    public async Task A_body_without_length_is_read_to_close()
    {
        await using var server = new ScriptedServer(FaultScripts.ReadToClose());
        var transport = NewTransport();
        using var response = await Get(transport, server.Url("/"));
        Assert.Equal("read until close", await response.ReadAsStringAsync().WaitAsync(Deadline));
        await AwaitAssertAsync(() => Assert.Empty(Connections(transport)), Deadline);
    }

    [Fact]
    public async Task Informational_responses_are_collected_and_traced()
    {
        await using var server = new ScriptedServer(FaultScripts.InformationalThenOk(100, 103));
        var transport = NewTransport();
        var traces = new List<ClientTraceEvent>();
        var request = ClientRequest.Get(server.Url("/")) with { Trace = new Recorder(traces) };
        using var response = await transport.RoundTripAsync(request, default).WaitAsync(Deadline);
        Assert.Equal([100, 103], response.Informational);
        Assert.Equal(FaultScripts.OkBody, await response.ReadAsStringAsync().WaitAsync(Deadline));
        lock (traces) Assert.Equal([100, 103], traces.OfType<Got1xxResponse>().Select(e => e.StatusCode));
    }

    [Fact]
    public async Task Head_with_content_length_has_no_body_and_the_connection_is_reused()
    {
        await using var server = new ScriptedServer(FaultScripts.HeadWithContentLength());
        var transport = NewTransport();
        for (int i = 0; i < 2; i++)
        {
            using var head = await transport.RoundTripAsync(new ClientRequest("HEAD", server.Url("/")), default).WaitAsync(Deadline);
            Assert.Equal(1234, head.ContentLength);
            Assert.Empty(await head.ReadAsByteArrayAsync().WaitAsync(Deadline));
        }
        using var get = await Get(transport, server.Url("/"));
        Assert.Equal(PeerBytes.Pattern(1234), await get.ReadAsByteArrayAsync().WaitAsync(Deadline));
        Assert.Equal(1, server.Connections.Accepted);
    }

    [Fact]
    public async Task Chunked_body_with_trailers()
    {
        await using var server = new ScriptedServer(FaultScripts.ChunkedWithTrailers());
        var transport = NewTransport();
        using var response = await Get(transport, server.Url("/"));
        Assert.Equal(string.Concat(FaultScripts.TrailerChunks), await response.ReadAsStringAsync().WaitAsync(Deadline));
        foreach (var (name, value) in FaultScripts.Trailers) Assert.Equal(value, response.Trailers.GetValue(name));
    }

    public static TheoryData<MalformedResponse, ClientErrorKind> HeadFaults => new()
    {
        { MalformedResponse.BadStatusLine, ClientErrorKind.MalformedResponse },
        { MalformedResponse.NotHttp, ClientErrorKind.MalformedResponse },
        { MalformedResponse.ConflictingContentLength, ClientErrorKind.MalformedResponse },
        { MalformedResponse.BareLineFeed, ClientErrorKind.MalformedResponse },
        { MalformedResponse.HugeHeaderSection, ClientErrorKind.ResponseHeadersTooLarge },
    };

    [Theory]
    [MemberData(nameof(HeadFaults))]
    public async Task A_malformed_head_fails_the_request(MalformedResponse kind, ClientErrorKind expected)
    {
        await using var server = new ScriptedServer(FaultScripts.Malformed(kind));
        var transport = NewTransport();
        var error = await Assert.ThrowsAsync<HttpClientException>(() => Get(transport, server.Url("/")));
        Assert.Equal(expected, error.Kind);
    }

    public static TheoryData<MalformedResponse, ClientErrorKind> BodyFaults => new()
    {
        { MalformedResponse.BadChunkSize, ClientErrorKind.MalformedResponse },
        { MalformedResponse.TruncatedBody, ClientErrorKind.ConnectionClosed },
    };

    [Theory]
    [MemberData(nameof(BodyFaults))]
    public async Task A_malformed_body_fails_the_read(MalformedResponse kind, ClientErrorKind expected)
    {
        await using var server = new ScriptedServer(FaultScripts.Malformed(kind));
        var transport = NewTransport();
        using var response = await Get(transport, server.Url("/"));
        var error = await Assert.ThrowsAsync<HttpClientException>(() => response.ReadAsByteArrayAsync().WaitAsync(Deadline));
        Assert.Equal(expected, error.Kind);
    }

    [Fact]
    public async Task Content_length_and_chunked_reads_the_chunked_body_then_closes()
    {
        await using var server = new ScriptedServer(FaultScripts.Malformed(MalformedResponse.ContentLengthAndTransferEncoding));
        var transport = NewTransport();
        using var response = await Get(transport, server.Url("/"));
        Assert.Equal("hello", await response.ReadAsStringAsync().WaitAsync(Deadline));
        await AwaitAssertAsync(() => Assert.Empty(Connections(transport)), Deadline);
    }

    [Fact]
    public async Task A_slow_head_fails_with_response_header_timeout()
    {
        var release = new TaskCompletionSource();
        await using var server = new ScriptedServer(FaultScripts.SlowHead(release.Task));
        var transport = NewTransport("actorhttp.client.response-header-timeout = 200ms");
        var error = await Assert.ThrowsAsync<HttpClientException>(() => Get(transport, server.Url("/")));
        Assert.Equal(ClientErrorKind.ResponseHeaderTimeout, error.Kind);
        Assert.True(error.IsTimeout);
        release.SetResult();
    }

    [Fact]
    public async Task Expect_continue_answered_with_a_final_status_skips_the_body()
    {
        var heads = new List<ScriptedRequest>();
        await using var server = new ScriptedServer(FaultScripts.NeverReadsBody(417, heads));
        var transport = NewTransport("actorhttp.client.expect-continue-timeout = 10s");
        var request = new ClientRequest("PUT", server.Url("/upload"), RequestContent.FromBytes(new byte[1_000_000]))
            .WithHeader("Expect", "100-continue");
        using var response = await transport.RoundTripAsync(request, default).WaitAsync(Deadline);
        Assert.Equal(417, response.StatusCode);
        Assert.False(request.Content!.HasStarted);
        lock (heads) Assert.Equal("100-continue", Assert.Single(heads).Headers.GetValue("Expect"));
    }

    [Fact]
    public async Task Cancelling_a_waiting_request_leaves_the_queue()
    {
        var release = new TaskCompletionSource();
        await using var server = new ScriptedServer(FaultScripts.SlowBody(release.Task));
        var transport = NewTransport("actorhttp.client.max-conns-per-host = 1");
        using var busy = await Get(transport, server.Url("/a"));
        using var cts = new CancellationTokenSource();
        var waiting = transport.RoundTripAsync(ClientRequest.Get(server.Url("/b")), cts.Token);
        await AwaitAssertAsync(async () => Assert.Equal(1, (await StatsAsync(transport)).Waiting), Deadline);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Deadline));
        await AwaitAssertAsync(async () => Assert.Equal(0, (await StatsAsync(transport)).Waiting), Deadline);
        release.SetResult();
        Assert.Equal("slow body", await busy.ReadAsStringAsync().WaitAsync(Deadline));
    }

    private static Task<ClientResponse> Get(ActorHttp.Client.Transport.ActorTransport transport, Uri uri) =>
        transport.RoundTripAsync(ClientRequest.Get(uri), default).WaitAsync(Deadline);

    private sealed class Recorder(List<ClientTraceEvent> events) : IClientTrace
    {
        public void OnEvent(ClientTraceEvent traceEvent)
        {
            lock (events) events.Add(traceEvent);
        }
    }

    /// <summary>Plain-HTTP connections on the event loops.</summary>
    public sealed class OnLoops(ITestOutputHelper output) : FaultLoopbackTests(output, onLoops: true);

    /// <summary>Every connection on a stream (epoll-event-loop off).</summary>
    public sealed class OnStreams(ITestOutputHelper output) : FaultLoopbackTests(output, onLoops: false);
}
