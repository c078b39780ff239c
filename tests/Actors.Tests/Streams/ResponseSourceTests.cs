using ActorHttp.Actors.Tests.Client.Loopback;
using ActorHttp.Actors.Tests.Support.Peers;
using ActorHttp.Client;
using ActorHttp.Streams;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Streams;

/// <summary>
/// A response body as <c>Source&lt;ByteString&gt;</c> against real servers on loopback: demand reaches the socket (the server
/// sees its writes refused), the whole body streams in bounded memory, cancellation closes the connection, a reset fails
/// the source with the typed error, and <c>ToStrictAsync</c> / <c>DiscardBytes</c> keep their promises.
/// </summary>
public abstract class ResponseSourceTests(ITestOutputHelper output, bool onLoops) : TransportTestBase(output, onLoops)
{
    // The connection's own buffering between the socket and the source: its body read buffer (256 KiB), its body pipe
    // (paused at two reads, and one flush may overshoot by a read) and the source stage's element of up to 64 KiB.
    private const long BodyRead = 256 * 1024;
    private const long ClientBuffers = BodyRead + 3 * BodyRead + 64 * 1024;

    private IMaterializer Materializer => Sys.Materializer();

    [Fact]
    public async Task A_subscriber_requesting_one_element_at_a_time_stops_reads_and_the_server_is_held_back()
    {
        // 1 GiB promised: a client that read without demand would take far more than any bound below before blocking the server.
        await using var server = new BulkServer(1L << 30);
        var transport = NewTransport();
        var response = await transport.RoundTripAsync(ClientRequest.Get(server.Url("/")), default).WaitAsync(Deadline);
        var probe = response.DataBytes().RunWith(this.SinkProbe<ByteString>(), Materializer);
        long consumed = 0;
        for (int round = 0; round < 3; round++)
        {
            probe.Request(1);
            var element = await probe.ExpectNextAsync(Deadline);
            Assert.True(element.ToReadOnlySpan().SequenceEqual(BulkServer.PatternAt(consumed, element.Count)), $"bytes at {consumed} differ");
            consumed += element.Count;
            // No demand now: the server must find the socket full, having sent at most what was consumed plus every buffer in
            // between (ours, the client's kernel receive buffer at its largest, the server's send buffer).
            var sentWhenBlocked = await server.WhenBlockedAsync().WaitAsync(Deadline);
            var bound = consumed + ClientBuffers + KernelReceiveBufferMax() + server.SendBufferBytes;
            Assert.True(sentWhenBlocked <= bound, $"the server sent {sentWhenBlocked} bytes with {consumed} consumed (bound {bound})");
        }
        probe.Cancel();
        await server.Connections.WaitForClosedAsync(1).WaitAsync(Deadline);
        await AwaitAssertAsync(() => Assert.Empty(Connections(transport)), Deadline);
    }

    [Fact]
    public async Task Cancelling_midway_closes_the_connection_and_the_next_request_dials_again()
    {
        await using var server = new BulkServer(8 * 1024 * 1024);
        var transport = NewTransport();
        var response = await transport.RoundTripAsync(ClientRequest.Get(server.Url("/")), default).WaitAsync(Deadline);
        // Two elements, then the Take cancels upstream with most of the body unread (far beyond the drain bound would not matter:
        // a cancelled source closes, it does not drain).
        var head = await response.DataBytes().Take(2).RunWith(Sink.Seq<ByteString>(), Materializer).WaitAsync(Deadline);
        Assert.Equal(2, head.Count);
        await server.Connections.WaitForClosedAsync(1).WaitAsync(Deadline);
        await AwaitAssertAsync(() => Assert.Empty(Connections(transport)), Deadline);
        using (var next = await transport.RoundTripAsync(ClientRequest.Get(server.Url("/")), default).WaitAsync(Deadline))
            await next.DiscardBytes().WaitAsync(Deadline);
        Assert.Equal(2, server.Connections.Accepted);
    }

    [Fact]
    public async Task A_whole_body_streams_through_and_the_connection_is_reused()
    {
        const int size = 4 * 1024 * 1024;
        await using var server = new BulkServer(size);
        var transport = NewTransport();
        for (int round = 0; round < 2; round++)
        {
            var response = await transport.RoundTripAsync(ClientRequest.Get(server.Url("/")), default).WaitAsync(Deadline);
            var total = await response.DataBytes().RunAggregate(0L, (offset, bytes) =>
            {
                Assert.True(bytes.ToReadOnlySpan().SequenceEqual(BulkServer.PatternAt(offset, bytes.Count)), $"bytes at {offset} differ");
                return offset + bytes.Count;
            }, Materializer).WaitAsync(Deadline);
            Assert.Equal(size, total);
        }
        Assert.Equal(1, server.Connections.Accepted);
    }

    [Fact]
    public async Task A_reset_mid_body_fails_the_source_with_the_typed_error()
    {
        await using var server = new ScriptedServer(FaultScripts.ResetMidBody());
        var transport = NewTransport();
        var response = await transport.RoundTripAsync(ClientRequest.Get(server.Url("/")), default).WaitAsync(Deadline);
        var error = await Assert.ThrowsAsync<HttpClientException>(() =>
            response.DataBytes().RunWith(Sink.Ignore<ByteString>(), Materializer).WaitAsync(Deadline));
        Assert.True(error.Kind is ClientErrorKind.ConnectionReset or ClientErrorKind.ConnectionClosed, error.ToString());
        await AwaitAssertAsync(() => Assert.Empty(Connections(transport)), Deadline);
    }

    [Fact]
    public async Task A_body_nobody_reads_trips_the_subscription_timeout_and_the_pool_recovers()
    {
        await using var server = new BulkServer(8 * 1024 * 1024);
        var transport = NewTransport("""
            actorhttp.client.response-entity-subscription-timeout = 300ms
            actorhttp.client.max-conns-per-host = 1
            """);
        var forgotten = await transport.RoundTripAsync(ClientRequest.Get(server.Url("/")), default).WaitAsync(Deadline);
        // The only connection is held by a body nobody reads; this request waits for the slot, which the timeout frees.
        using (var next = await transport.RoundTripAsync(ClientRequest.Get(server.Url("/")), default).WaitAsync(Deadline))
            await next.DiscardBytes().WaitAsync(Deadline);
        Assert.Equal(2, server.Connections.Accepted);
        await server.Connections.WaitForClosedAsync(1).WaitAsync(Deadline);
        var error = await Assert.ThrowsAsync<HttpClientException>(() =>
            forgotten.DataBytes().RunWith(Sink.Ignore<ByteString>(), Materializer).WaitAsync(Deadline));
        Assert.Equal(ClientErrorKind.ResponseEntitySubscriptionTimeout, error.Kind);
        Assert.True(error.IsTimeout);
    }

    [Fact]
    public async Task A_body_claimed_before_the_subscription_timeout_is_not_failed_by_it()
    {
        await using var server = new BulkServer(2 * 1024 * 1024);
        var transport = NewTransport("actorhttp.client.response-entity-subscription-timeout = 2s");
        var claimed = await transport.RoundTripAsync(ClientRequest.Get(server.Url("/")), default).WaitAsync(Deadline);
        var probe = claimed.DataBytes().RunWith(this.SinkProbe<ByteString>(), Materializer);
        probe.Request(1);
        long total = (await probe.ExpectNextAsync(Deadline)).Count;
        // A second body, asked for after the first was claimed, is never read: its expiry (the server sees its connection
        // close) comes after the first body's timer has fired too, so the pause below outlasts the timeout without a sleep.
        var forgotten = await transport.RoundTripAsync(ClientRequest.Get(server.Url("/")), default).WaitAsync(Deadline);
        await server.Connections.WaitForClosedAsync(1).WaitAsync(Deadline);
        while (total < server.BodyLength)
        {
            probe.Request(1);
            var bytes = await probe.ExpectNextAsync(Deadline);
            Assert.True(bytes.ToReadOnlySpan().SequenceEqual(BulkServer.PatternAt(total, bytes.Count)), $"bytes at {total} differ");
            total += bytes.Count;
        }
        probe.Request(1);
        await probe.ExpectCompleteAsync();
        Assert.Equal(2, server.Connections.Accepted);
        Assert.Equal(1, server.Connections.Closed);
        var error = await Assert.ThrowsAsync<HttpClientException>(() => forgotten.DiscardBytes().WaitAsync(Deadline));
        Assert.Equal(ClientErrorKind.ResponseEntitySubscriptionTimeout, error.Kind);
    }

    [Fact]
    public async Task An_HttpClient_caller_may_read_a_body_after_the_subscription_timeout()
    {
        await using var server = new BulkServer(2 * 1024 * 1024);
        var transport = NewTransport("actorhttp.client.response-entity-subscription-timeout = 300ms");
        using var http = new HttpClient(new ActorHttpHandler(transport, Options())) { Timeout = Deadline };
        using var late = await http.GetAsync(server.Url("/"), HttpCompletionOption.ResponseHeadersRead).WaitAsync(Deadline);
        // A body asked for later through the transport itself expires (the server sees its connection close): by then
        // the HttpClient body has waited longer than the timeout too, without a sleep.
        var forgotten = await transport.RoundTripAsync(ClientRequest.Get(server.Url("/")), default).WaitAsync(Deadline);
        await server.Connections.WaitForClosedAsync(1).WaitAsync(Deadline);
        var error = await Assert.ThrowsAsync<HttpClientException>(() => forgotten.DiscardBytes().WaitAsync(Deadline));
        Assert.Equal(ClientErrorKind.ResponseEntitySubscriptionTimeout, error.Kind);

        var body = await late.Content.ReadAsByteArrayAsync().WaitAsync(Deadline);
        Assert.Equal(server.BodyLength, body.Length);
        Assert.True(body.AsSpan().SequenceEqual(PeerBytes.Pattern(body.Length)));
    }

    [Fact]
    public async Task ToStrictAsync_reads_the_whole_body_and_releases_the_connection()
    {
        const int size = 3 * 1024 * 1024;
        await using var server = new BulkServer(size);
        var transport = NewTransport();
        var response = await transport.RoundTripAsync(ClientRequest.Get(server.Url("/")), default).WaitAsync(Deadline);
        var strict = await response.ToStrictAsync(Deadline, maxBytes: size).WaitAsync(Deadline);
        Assert.True(strict.ToReadOnlySpan().SequenceEqual(PeerBytes.Pattern(size)));
        await AwaitAssertAsync(async () => Assert.Equal(1, (await StatsAsync(transport)).Idle), Deadline);
    }

    [Fact]
    public async Task ToStrictAsync_past_max_bytes_fails_with_BodyTooLarge_and_closes_the_connection()
    {
        await using var server = new BulkServer(4 * 1024 * 1024);
        var transport = NewTransport();
        var response = await transport.RoundTripAsync(ClientRequest.Get(server.Url("/")), default).WaitAsync(Deadline);
        var error = await Assert.ThrowsAsync<HttpClientException>(() => response.ToStrictAsync(Deadline, maxBytes: 1024 * 1024).WaitAsync(Deadline));
        Assert.Equal(ClientErrorKind.BodyTooLarge, error.Kind);
        await server.Connections.WaitForClosedAsync(1).WaitAsync(Deadline);
    }

    [Fact]
    public async Task DiscardBytes_reads_past_the_drain_bound_and_the_connection_is_reused()
    {
        // 4 MiB is past response-drain.max-bytes (1 MiB): disposing would close; discarding reads it all.
        await using var server = new BulkServer(4 * 1024 * 1024);
        var transport = NewTransport();
        for (int round = 0; round < 2; round++)
        {
            var response = await transport.RoundTripAsync(ClientRequest.Get(server.Url("/")), default).WaitAsync(Deadline);
            await response.DiscardBytes().WaitAsync(Deadline);
        }
        Assert.Equal(1, server.Connections.Accepted);
        Assert.Equal(2 * 4 * 1024 * 1024, server.Sent);
    }

    private static long KernelReceiveBufferMax() =>
        long.Parse(File.ReadAllText("/proc/sys/net/ipv4/tcp_rmem").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[2]);

    /// <summary>Plain-HTTP connections on the event loops.</summary>
    public sealed class OnLoops(ITestOutputHelper output) : ResponseSourceTests(output, onLoops: true);

    /// <summary>Plain-HTTP connections as streams on the default dispatcher.</summary>
    public sealed class OnStreams(ITestOutputHelper output) : ResponseSourceTests(output, onLoops: false);
}
