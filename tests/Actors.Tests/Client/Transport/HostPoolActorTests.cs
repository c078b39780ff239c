using ActorHttp.Actors.Tests.Support;
using ActorHttp.Client;
using ActorHttp.Client.Pool;
using ActorHttp.Client.Transport;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using Xunit.Abstractions;
using static ActorHttp.Actors.Tests.Client.Transport.ScriptedConnectionActor;

namespace ActorHttp.Actors.Tests.Client.Transport;

/// <summary>
/// The transport and host pool actors with scripted connections (no sockets) and a manual scheduler: reuse order,
/// waiting order, the per-host cap, cancellation, late dials, idle timeout, the global idle cap, replacement of dead
/// connections and retries. Every test ends with the connections closed and none left under the transport.
/// </summary>
public sealed class HostPoolActorTests : Akka.TestKit.Xunit2.TestKit
{
    private const string ManualClock = """akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit" """;

    private readonly TestProbe _conns;

    public HostPoolActorTests(ITestOutputHelper output) : base(ManualClock, output) => _conns = CreateTestProbe("conns");

    [Fact]
    public void The_most_recently_returned_connection_is_reused_first()
    {
        // A returned first, B last: B is on top of the stack.
        var (transport, a, b) = TwoIdleConnections();
        Send(transport);
        var next = _conns.ExpectMsg<Got>();
        Assert.Equal(b, next.Conn);
        Assert.True(next.Exchange.Reused);
        next.Conn.Tell(new Respond());
        ExpectMsg<ClientResponse>();
        Assert.NotEqual(a, b);
        End(transport);
    }

    [Fact]
    public void Waiting_requests_are_served_first_in_first_out()
    {
        var transport = StartTransport("actorhttp.client.max-conns-per-host = 1");
        var first = Send(transport);
        Dial();
        var got = _conns.ExpectMsg<Got>();
        Assert.Equal(first.Id, got.Exchange.Id);
        var second = Send(transport);
        var third = Send(transport);
        AwaitStats(transport, new PoolStats(0, 1, 0, 2));
        foreach (var expected in new[] { second, third })
        {
            got.Conn.Tell(new Respond());
            ExpectMsg<ClientResponse>();
            got = _conns.ExpectMsg<Got>();
            Assert.Equal(expected.Id, got.Exchange.Id);
        }
        got.Conn.Tell(new Respond());
        ExpectMsg<ClientResponse>();
        _conns.ExpectNoMsg(TimeSpan.FromMilliseconds(50)); // one connection served all three
        End(transport);
    }

    [Fact]
    public void A_thousand_concurrent_requests_never_exceed_max_conns_per_host()
    {
        const int requests = 1000, cap = 8;
        var transport = StartTransport($"actorhttp.client.max-conns-per-host = {cap}");
        for (int i = 0; i < requests; i++) Send(transport);
        var started = new List<IActorRef>();
        for (int i = 0; i < cap; i++) started.Add(_conns.ExpectMsg<Started>().Conn);
        _conns.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        AwaitStats(transport, new PoolStats(0, 0, cap, requests));
        foreach (var conn in started) conn.Tell(new CompleteDial(true));
        for (int served = 0; served < requests; served++)
        {
            var got = _conns.ExpectMsg<Got>();
            Assert.Contains(got.Conn, started);
            got.Conn.Tell(new Respond());
        }
        ReceiveN(requests, TimeSpan.FromSeconds(10));
        AwaitStats(transport, new PoolStats(cap, 0, 0, 0));
        End(transport);
    }

    [Fact]
    public void A_cancelled_waiting_request_leaves_the_queue()
    {
        var transport = StartTransport("actorhttp.client.max-conns-per-host = 1");
        Send(transport);
        Dial();
        var got = _conns.ExpectMsg<Got>();
        var waiting = Send(transport);
        AwaitStats(transport, new PoolStats(0, 1, 0, 1));
        transport.Tell(new TransportActor.CancelRoundTrip(ConnectionKey.Of(waiting.Request.Uri), waiting.Id));
        var failure = ExpectMsg<Status.Failure>();
        Assert.Equal(ClientErrorKind.Canceled, Assert.IsType<HttpClientException>(failure.Cause).Kind);
        got.Conn.Tell(new Respond());
        ExpectMsg<ClientResponse>();
        AwaitStats(transport, new PoolStats(1, 0, 0, 0));
        _conns.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        End(transport);
    }

    [Fact]
    public void A_dial_that_finishes_after_its_request_gave_up_goes_idle()
    {
        var transport = StartTransport();
        var request = Send(transport);
        var conn = _conns.ExpectMsg<Started>().Conn;
        transport.Tell(new TransportActor.CancelRoundTrip(ConnectionKey.Of(request.Request.Uri), request.Id));
        ExpectMsg<Status.Failure>();
        AwaitStats(transport, new PoolStats(0, 0, 1, 0));
        conn.Tell(new CompleteDial(true));
        AwaitStats(transport, new PoolStats(1, 0, 0, 0));
        Send(transport);
        Assert.Equal(conn, _conns.ExpectMsg<Got>().Conn);
        conn.Tell(new Respond());
        ExpectMsg<ClientResponse>();
        End(transport);
    }

    [Fact]
    public void An_idle_connection_is_closed_after_the_idle_timeout()
    {
        var transport = StartTransport("actorhttp.client.idle-conn-timeout = 30s");
        Send(transport);
        var conn = Dial();
        _conns.ExpectMsg<Got>().Conn.Tell(new Respond());
        ExpectMsg<ClientResponse>();
        AwaitStats(transport, new PoolStats(1, 0, 0, 0));
        Watch(conn);
        ((TestScheduler)Sys.Scheduler).Advance(TimeSpan.FromSeconds(29));
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        ((TestScheduler)Sys.Scheduler).Advance(TimeSpan.FromSeconds(1));
        ExpectTerminated(conn);
        AwaitStats(transport, new PoolStats(0, 0, 0, 0));
        End(transport);
    }

    [Fact]
    public void The_global_idle_cap_closes_the_connection_idle_the_longest_across_hosts()
    {
        var transport = StartTransport("actorhttp.client.max-idle-conns = 1");
        Send(transport, "a.test");
        var a = Dial();
        _conns.ExpectMsg<Got>().Conn.Tell(new Respond());
        ExpectMsg<ClientResponse>();
        Send(transport, "b.test");
        var b = Dial();
        Watch(a);
        _conns.ExpectMsg<Got>().Conn.Tell(new Respond());
        ExpectMsg<ClientResponse>();
        ExpectTerminated(a);
        Send(transport, "b.test");
        Assert.Equal(b, _conns.ExpectMsg<Got>().Conn);
        b.Tell(new Respond());
        ExpectMsg<ClientResponse>();
        End(transport);
    }

    [Fact]
    public void Below_the_global_idle_cap_in_connections_nothing_is_evicted_and_going_over_it_evicts_the_oldest()
    {
        // Two connections fit max-idle-conns = 2, so the pools do not report idle changes; the third dial makes the
        // transport start tracking: the pools hand over their idle connections and the oldest is evicted.
        var transport = StartTransport("actorhttp.client.max-idle-conns = 2");
        var a = ServeOnNewConn(transport, "a.test");
        var b = ServeOnNewConn(transport, "b.test");
        Watch(a);
        var c = ServeOnNewConn(transport, "c.test");
        ExpectTerminated(a);
        foreach (var (host, conn) in new[] { ("b.test", b), ("c.test", c) })
        {
            Send(transport, host);
            Assert.Equal(conn, _conns.ExpectMsg<Got>().Conn);
            conn.Tell(new Respond());
            ExpectMsg<ClientResponse>();
        }
        End(transport);
    }

    // One request to host that dials a new connection, answered; the connection is idle afterwards.
    private IActorRef ServeOnNewConn(IActorRef transport, string host)
    {
        Send(transport, host);
        var conn = Dial();
        _conns.ExpectMsg<Got>().Conn.Tell(new Respond());
        ExpectMsg<ClientResponse>();
        return conn;
    }

    [Fact]
    public void A_dead_connection_is_replaced_for_the_next_waiter()
    {
        var transport = StartTransport("actorhttp.client.max-conns-per-host = 1");
        Send(transport);
        var first = Dial();
        _conns.ExpectMsg<Got>();
        var waiting = Send(transport);
        first.Tell(new Fail(ClientErrorKind.ConnectionReset, Retryable: false));
        Assert.Equal(ClientErrorKind.ConnectionReset, Assert.IsType<HttpClientException>(ExpectMsg<Status.Failure>().Cause).Kind);
        var second = Dial();
        Assert.NotEqual(first, second);
        var got = _conns.ExpectMsg<Got>();
        Assert.Equal(waiting.Id, got.Exchange.Id);
        second.Tell(new Respond());
        ExpectMsg<ClientResponse>();
        End(transport);
    }

    [Fact]
    public void A_retryable_failure_is_retried_on_another_connection_each_time_until_one_fails_for_good()
    {
        var transport = StartTransport();
        var request = Send(transport);
        var first = Dial();
        _conns.ExpectMsg<Got>();
        // Go's roundTrip loops: every failure the connection calls retryable (it does so only when it was reused,
        // see PersistentConnection) sends the request to another connection, not just the first one.
        first.Tell(new Fail(ClientErrorKind.ConnectionClosed, Retryable: true));
        var second = Dial();
        Assert.Equal(request.Id, _conns.ExpectMsg<Got>().Exchange.Id);
        second.Tell(new Fail(ClientErrorKind.ConnectionReset, Retryable: true));
        var third = Dial();
        Assert.Equal(request.Id, _conns.ExpectMsg<Got>().Exchange.Id);
        // A failure the connection calls final ends the loop.
        third.Tell(new Fail(ClientErrorKind.ConnectionReset, Retryable: false));
        Assert.Equal(ClientErrorKind.ConnectionReset, Assert.IsType<HttpClientException>(ExpectMsg<Status.Failure>().Cause).Kind);
        End(transport);
    }

    [Fact]
    public void Two_dead_idle_connections_in_a_row_are_both_retried_past()
    {
        var (transport, a, b) = TwoIdleConnections();
        // The server closed both while idle; the pool hands the request to each before hearing of it (B first: LIFO).
        a.Tell(DieOnNextExchange.Instance);
        b.Tell(DieOnNextExchange.Instance);
        var request = Send(transport);
        var fresh = Dial();
        var got = _conns.ExpectMsg<Got>();
        Assert.Equal(fresh, got.Conn);
        Assert.Equal(request.Id, got.Exchange.Id);
        Assert.False(got.Exchange.Reused);
        fresh.Tell(new Respond());
        ExpectMsg<ClientResponse>();
        End(transport);
    }

    [Fact]
    public void A_fresh_connection_that_dies_before_taking_the_exchange_ends_the_retries()
    {
        var transport = StartTransport();
        var request = Send(transport);
        var conn = _conns.ExpectMsg<Started>().Conn;
        // It dies as the exchange reaches it: a retry only ever follows a failure of a reused connection (Go's
        // shouldRetryRequest), so the request fails instead of dialing again.
        conn.Tell(DieOnNextExchange.Instance);
        conn.Tell(new CompleteDial(true));
        var failure = Assert.IsType<HttpClientException>(ExpectMsg<Status.Failure>().Cause);
        Assert.Equal(ClientErrorKind.ConnectionClosed, failure.Kind);
        Assert.False(failure.RequestWritten);
        Assert.Equal(request.Request, failure.Request);
        _conns.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        End(transport);
    }

    [Fact]
    public void An_exchange_a_dead_connection_never_took_is_retried_on_a_new_one()
    {
        var transport = StartTransport();
        Send(transport);
        var first = Dial();
        _conns.ExpectMsg<Got>();
        first.Tell(new Respond());
        ExpectMsg<ClientResponse>();
        AwaitStats(transport, new PoolStats(1, 0, 0, 0));
        // The server closed it while idle; the pool hands it the next request before hearing of it.
        first.Tell(DieOnNextExchange.Instance);
        var request = Send(transport);
        var second = Dial();
        var got = _conns.ExpectMsg<Got>();
        Assert.Equal(second, got.Conn);
        Assert.Equal(request.Id, got.Exchange.Id);
        second.Tell(new Respond());
        ExpectMsg<ClientResponse>();
        End(transport);
    }

    [Fact]
    public void A_failed_dial_fails_the_waiting_request()
    {
        var transport = StartTransport();
        Send(transport);
        _conns.ExpectMsg<Started>().Conn.Tell(new CompleteDial(false));
        Assert.Equal(ClientErrorKind.Dial, Assert.IsType<HttpClientException>(ExpectMsg<Status.Failure>().Cause).Kind);
        AwaitStats(transport, new PoolStats(0, 0, 0, 0));
        End(transport);
    }

    [Fact]
    public void Too_many_pending_requests_fail_fast()
    {
        var transport = StartTransport("actorhttp.client { max-conns-per-host = 1, max-pending-requests = 1 }");
        Send(transport);
        var conn = Dial();
        _conns.ExpectMsg<Got>();
        Send(transport);
        Send(transport);
        Assert.Equal(ClientErrorKind.TooManyPendingRequests, Assert.IsType<HttpClientException>(ExpectMsg<Status.Failure>().Cause).Kind);
        conn.Tell(new Respond());
        ExpectMsg<ClientResponse>();
        _conns.ExpectMsg<Got>();
        conn.Tell(new Respond());
        ExpectMsg<ClientResponse>();
        End(transport);
    }

    private IActorRef StartTransport(string config = "")
    {
        var probe = _conns.Ref;
        var scheduler = (TestScheduler)Sys.Scheduler;
        var start = scheduler.Now;
        var options = new TransportOptions
        {
            ConnectionProps = key => Props.Create(() => new ScriptedConnectionActor(probe, key)),
            // The pool's time moves with the manual scheduler's Advance (its monotonic clock does not).
            Clock = () => scheduler.Now - start,
        };
        return Sys.ActorOf(TransportActor.Props(ClientSettings.Load(ConfigurationFactory.ParseString(config)), options), "transport");
    }

    private TransportActor.RoundTrip Send(IActorRef transport, string host = "a.test")
    {
        var roundTrip = new TransportActor.RoundTrip(ClientRequest.Get($"http://{host}/"), TransportActor.NextId());
        transport.Tell(roundTrip, TestActor);
        return roundTrip;
    }

    // Expects the next connection start and completes its dial.
    private IActorRef Dial()
    {
        var conn = _conns.ExpectMsg<Started>().Conn;
        conn.Tell(new CompleteDial(true));
        return conn;
    }

    // A pool with two idle connections, A returned first and B last (so B is on top of the idle stack).
    private (IActorRef Transport, IActorRef A, IActorRef B) TwoIdleConnections()
    {
        var transport = StartTransport();
        Send(transport);
        Send(transport);
        var a = _conns.ExpectMsg<Started>().Conn;
        var b = _conns.ExpectMsg<Started>().Conn;
        a.Tell(new CompleteDial(true));
        var onA = _conns.ExpectMsg<Got>();
        b.Tell(new CompleteDial(true));
        var onB = _conns.ExpectMsg<Got>();
        onA.Conn.Tell(new Respond());
        ExpectMsg<ClientResponse>();
        onB.Conn.Tell(new Respond());
        ExpectMsg<ClientResponse>();
        AwaitStats(transport, new PoolStats(2, 0, 0, 0));
        return (transport, a, b);
    }

    private void AwaitStats(IActorRef transport, PoolStats expected) => AwaitAssert(() =>
    {
        var probe = CreateTestProbe();
        transport.Tell(TransportActor.GetPoolStats.Instance, probe.Ref);
        var snapshot = probe.ExpectMsg<TransportActor.PoolStatsSnapshot>();
        Assert.Equal(expected, snapshot.Hosts.Values.Aggregate(new PoolStats(), (x, y) => new PoolStats(x.Idle + y.Idle, x.Busy + y.Busy, x.Dialing + y.Dialing, x.Waiting + y.Waiting)));
    }, TimeSpan.FromSeconds(5));

    // Closes the idle connections and checks that no connection actor is left, then stops the transport.
    private void End(IActorRef transport)
    {
        transport.Tell(TransportActor.CloseIdleConnections.Instance);
        AwaitAssert(() => Assert.DoesNotContain(ActorTree.LivePaths(transport), p => p.Contains("/conn-")), TimeSpan.FromSeconds(5));
        Watch(transport);
        Sys.Stop(transport);
        ExpectTerminated(transport);
    }
}
