using ActorHttp.Actors.Tests.Support.Peers;
using ActorHttp.Client;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Client.Loopback;

/// <summary>
/// Async callers of the actor transport are resumed on the thread that read their response (CallerHandoff), and their
/// requests enter the pool on their own thread: what that must not change — trace order, where caller code runs, the
/// pool's accounting under load.
/// </summary>
public abstract class CallerHandoffTests(ITestOutputHelper output, bool onLoops) : TransportTestBase(output, onLoops)
{
    [Fact]
    public async Task A_resumed_caller_has_seen_its_exchange_traced_in_order_every_time()
    {
        await using var peer = await KestrelPeer.StartAsync();
        var transport = NewTransport();
        for (var i = 0; i < 50; i++)
        {
            var trace = new TraceRecorder();
            using var response = await transport.RoundTripAsync(ClientRequest.Get(peer.Url("/plaintext")) with { Trace = trace }, default)
                .WaitAsync(Deadline);
            // Everything up to the first response byte was raised before the reply, so it is visible now, in order.
            var seen = trace.Events.Select(e => e.GetType().Name).Where(n => n is not ("DialStart" or "DialDone")).Take(5);
            Assert.Equal(["GetConn", "GotConn", "WroteHeaders", "WroteRequest", "GotFirstResponseByte"], seen);
            Assert.Equal(i > 0, trace.Events.OfType<GotConn>().Single().Reused);
            Assert.Equal("Hello, World!", await response.ReadAsStringAsync().WaitAsync(Deadline));
            await AwaitAssertAsync(() => Assert.IsType<PutIdleConn>(trace.Events[^1]), Deadline);
        }
        var connection = Assert.Single(ConnectionActors(transport));
        // Go's persistConn shape: the connection actor with its reader and writer children.
        Assert.Equal([connection + "/reader", connection + "/writer"],
            Connections(transport).Where(p => p.StartsWith(connection + "/", StringComparison.Ordinal)).Order());
    }

    [Fact]
    public async Task A_resumed_caller_runs_outside_every_actor_turn()
    {
        await using var peer = await KestrelPeer.StartAsync();
        var transport = NewTransport();
        for (var i = 0; i < 20; i++) Assert.Equal("Hello, World!", await AskStatsWhereResumedAsync(transport, peer.Url("/plaintext")));
    }

    // The connection actors themselves, not their children.
    private IReadOnlyList<string> ConnectionActors(ActorHttp.Client.Transport.ActorTransport transport) =>
        Connections(transport).Where(p => System.Text.RegularExpressions.Regex.IsMatch(p, "/conn-[0-9]+$")).ToArray();

    // Not a test method: the continuation must run where the transport resumes it, not on the test's context.
    private static async Task<string> AskStatsWhereResumedAsync(ActorHttp.Client.Transport.ActorTransport transport, Uri url)
    {
        using var response = await transport.RoundTripAsync(ClientRequest.Get(url), default).WaitAsync(Deadline).ConfigureAwait(false);
        // Still on the thread that resumed this caller (no await since): if that were inside the connection's turn,
        // the pool's turn parked behind it could not answer this, and the wait would time out.
        Assert.True(transport.GetPoolStatsAsync().Wait(Deadline), "the pool could not answer a caller resumed by a read");
        return await response.ReadAsStringAsync().WaitAsync(Deadline).ConfigureAwait(false);
    }

    [Fact]
    public async Task A_thousand_concurrent_requests_share_the_capped_pool_and_leave_it_balanced()
    {
        await using var peer = await KestrelPeer.StartAsync();
        var transport = NewTransport("actorhttp.client.max-conns-per-host = 8");
        var traces = new List<TraceRecorder>();
        var requests = Enumerable.Range(0, 1000).Select(async _ =>
        {
            var trace = new TraceRecorder();
            lock (traces) traces.Add(trace);
            // Half start on a pool thread, half on the test's: both ways in must keep the accounting.
            await Task.Yield();
            using var response = await transport.RoundTripAsync(ClientRequest.Get(peer.Url("/plaintext")) with { Trace = trace }, default)
                .ConfigureAwait(false);
            return (response.StatusCode, await response.ReadAsStringAsync().ConfigureAwait(false));
        }).ToArray();
        var results = await Task.WhenAll(requests).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.All(results, r => Assert.Equal((200, "Hello, World!"), r));
        var dials = traces.Sum(t => t.Events.Count(e => e is DialDone { Error: null }));
        Assert.InRange(dials, 1, 8);
        // Every connection is back and idle once its last PutIdleConn is in; none busy, dialing or waited for.
        await AwaitAssertAsync(async () => Assert.Equal(new ActorHttp.Client.Pool.PoolStats(dials, 0, 0, 0), await StatsAsync(transport)), Deadline);
        Assert.Equal(dials, ConnectionActors(transport).Count);
        Assert.Equal(1000, traces.Sum(t => t.Events.Count(e => e is GotConn)));
    }

    /// <summary>Plain-HTTP connections on the event loops.</summary>
    public sealed class OnLoops(ITestOutputHelper output) : CallerHandoffTests(output, onLoops: true);

    /// <summary>Every connection on a stream (epoll-event-loop off).</summary>
    public sealed class OnStreams(ITestOutputHelper output) : CallerHandoffTests(output, onLoops: false);
}
