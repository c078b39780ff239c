using ActorHttp.Client.Pool;
using Effect = ActorHttp.Client.Pool.PoolEffect<ActorHttp.Actors.Tests.Client.Pool.TestConn>;

namespace ActorHttp.Actors.Tests.Client.Pool;

public sealed class HostPoolTests
{
    private static readonly TestConn C1 = new("c1"), C2 = new("c2"), C3 = new("c3"), C4 = new("c4");
    private static readonly Effect Dial = Effect.StartDial.Instance;

    // Every limit off unless a test turns it on: each test states the limits it depends on.
    private static HostPoolSettings Settings(
        int maxConns = 0, int maxIdlePerHost = 0, double idleTimeoutSeconds = 0, int maxPending = 0,
        double lifetimeSeconds = 0, double jitterSeconds = 0, bool disableKeepAlives = false) =>
        new(maxConns, maxIdlePerHost, T(idleTimeoutSeconds), maxPending, T(lifetimeSeconds), T(jitterSeconds), disableKeepAlives);

    private static TimeSpan T(double seconds) => TimeSpan.FromSeconds(seconds);

    private static WantConn W(long id, double at = 0, double? deadline = null) =>
        new(id, T(at), deadline is { } d ? T(d) : null);

    private static HostPool<TestConn> Pool(HostPoolSettings settings, double random = 0) => new(settings, () => random);

    private static void Valid(HostPool<TestConn> pool) => Assert.Null(pool.FindInvariantViolation());

    private static Effect Delivered(WantConn w, TestConn c, bool reused = false, bool wasIdle = false, double idleSeconds = 0) =>
        new Effect.Deliver(w, c, reused, wasIdle, T(idleSeconds));

    // Gives a fresh pool `n` busy connections c1..cn, each delivered to a want with ids 1..n.
    private static (WantConn[] Wants, TestConn[] Conns) Busy(HostPool<TestConn> pool, int n, double at = 0)
    {
        var wants = Enumerable.Range(1, n).Select(i => W(i, at)).ToArray();
        var conns = Enumerable.Range(1, n).Select(i => new TestConn("c" + i)).ToArray();
        foreach (var w in wants) Assert.Equal([Dial], pool.GetConn(w, T(at)));
        for (var i = 0; i < n; i++) Assert.Equal([Delivered(wants[i], conns[i])], pool.DialSucceeded(conns[i], T(at)));
        Valid(pool);
        return (wants, conns);
    }

    [Fact]
    public void A_first_request_dials_and_gets_the_new_connection_not_reused()
    {
        var pool = Pool(Settings());
        var w = W(1);
        Assert.Equal([Dial], pool.GetConn(w, T(0)));
        Assert.Equal(new PoolStats(0, 0, 1, 1), pool.Stats);
        Assert.Equal([Delivered(w, C1)], pool.DialSucceeded(C1, T(0.1)));
        Assert.Equal(WantConnState.Delivered, w.State);
        Assert.Equal(new PoolStats(0, 1, 0, 0), pool.Stats);
        Valid(pool);
    }

    [Fact]
    public void Idle_connections_are_reused_last_in_first_out()
    {
        var pool = Pool(Settings());
        Busy(pool, 3);
        Assert.Equal([new Effect.Idled(C1)], pool.TryPutIdleConn(C1, T(1)));
        Assert.Equal([new Effect.Idled(C2)], pool.TryPutIdleConn(C2, T(2)));
        Assert.Equal([new Effect.Idled(C3)], pool.TryPutIdleConn(C3, T(3)));
        Assert.Equal(new PoolStats(3, 0, 0, 0), pool.Stats);

        // The most recently returned first; idle time measured from its own return.
        var (a, b, c) = (W(10), W(11), W(12));
        Assert.Equal([Delivered(a, C3, reused: true, wasIdle: true, idleSeconds: 7)], pool.GetConn(a, T(10)));
        Assert.Equal([Delivered(b, C2, reused: true, wasIdle: true, idleSeconds: 8)], pool.GetConn(b, T(10)));
        Assert.Equal([Delivered(c, C1, reused: true, wasIdle: true, idleSeconds: 9)], pool.GetConn(c, T(10)));
        Assert.Equal([Dial], pool.GetConn(W(13), T(10)));
        Valid(pool);
    }

    [Fact]
    public void Waiters_are_served_first_in_first_out_before_anything_goes_idle()
    {
        var pool = Pool(Settings(maxConns: 1));
        Busy(pool, 1);
        var waiters = new[] { W(2), W(3), W(4) };
        foreach (var w in waiters) Assert.Empty(pool.GetConn(w, T(1)));
        Assert.Equal(new PoolStats(0, 1, 0, 3), pool.Stats);

        foreach (var w in waiters)
            Assert.Equal([Delivered(w, C1, reused: true)], pool.TryPutIdleConn(C1, T(2)));
        Assert.Equal([new Effect.Idled(C1)], pool.TryPutIdleConn(C1, T(3)));
        Valid(pool);
    }

    [Fact]
    public void Max_conns_per_host_counts_dialing_busy_and_idle()
    {
        var pool = Pool(Settings(maxConns: 2));
        Assert.Equal([Dial], pool.GetConn(W(1), T(0)));      // dialing 1
        Busy(pool, 0);
        Assert.Equal([Dial], pool.GetConn(W(2), T(0)));      // dialing 2
        Assert.Empty(pool.GetConn(W(3), T(0)));              // at the cap: waits
        Assert.Equal(new PoolStats(0, 0, 2, 3), pool.Stats);
        Valid(pool);
    }

    [Fact]
    public void A_cancelled_waiter_leaves_the_queue_and_the_next_one_is_served()
    {
        var pool = Pool(Settings(maxConns: 1));
        var (wants, _) = Busy(pool, 1);
        var (w2, w3) = (W(2), W(3));
        pool.GetConn(w2, T(1));
        pool.GetConn(w3, T(1));

        Assert.True(pool.CancelWant(w2.Id));
        Assert.Equal(WantConnState.Cancelled, w2.State);
        Assert.False(pool.CancelWant(w2.Id));           // once
        Assert.False(pool.CancelWant(wants[0].Id));     // a delivered want is not waiting
        Assert.False(pool.CancelWant(99));              // unknown
        Assert.Equal(1, pool.Stats.Waiting);

        Assert.Equal([Delivered(w3, C1, reused: true)], pool.TryPutIdleConn(C1, T(2)));
        Valid(pool);
    }

    [Fact]
    public void A_dial_whose_request_gave_up_goes_idle_for_the_next_request()
    {
        var pool = Pool(Settings());
        var w1 = W(1);
        Assert.Equal([Dial], pool.GetConn(w1, T(0)));
        Assert.True(pool.CancelWant(w1.Id));
        Assert.Equal([new Effect.Idled(C1)], pool.DialSucceeded(C1, T(1)));

        var w2 = W(2);
        Assert.Equal([Delivered(w2, C1, reused: true, wasIdle: true, idleSeconds: 1)], pool.GetConn(w2, T(2)));
        Valid(pool);
    }

    [Fact]
    public void A_dial_whose_request_was_served_by_a_returned_connection_goes_idle()
    {
        var pool = Pool(Settings(maxConns: 2));
        Busy(pool, 1);
        var w2 = W(2);
        Assert.Equal([Dial], pool.GetConn(w2, T(1)));
        Assert.Equal([Delivered(w2, C1, reused: true)], pool.TryPutIdleConn(C1, T(2)));
        Assert.Equal([new Effect.Idled(C2)], pool.DialSucceeded(C2, T(3)));
        Assert.Equal(new PoolStats(1, 1, 0, 0), pool.Stats);
        Valid(pool);
    }

    [Fact]
    public void A_request_arriving_while_a_surplus_dial_is_in_flight_waits_for_it_instead_of_dialing()
    {
        var pool = Pool(Settings());
        var w1 = W(1);
        pool.GetConn(w1, T(0));
        pool.CancelWant(w1.Id);

        var w2 = W(2);
        Assert.Empty(pool.GetConn(w2, T(1)));           // the dial in flight covers it
        Assert.Equal([Delivered(w2, C1)], pool.DialSucceeded(C1, T(2)));
        Valid(pool);
    }

    [Fact]
    public void A_dead_busy_connection_frees_its_slot_and_a_dial_starts_for_the_next_waiter()
    {
        var pool = Pool(Settings(maxConns: 1));
        Busy(pool, 1);
        var w2 = W(2);
        Assert.Empty(pool.GetConn(w2, T(1)));

        Assert.Equal([Dial], pool.ConnClosed(C1, T(2)));
        Assert.Equal([Delivered(w2, C2)], pool.DialSucceeded(C2, T(3)));
        Assert.Empty(pool.ConnClosed(C1, T(4)));        // already forgotten: no second slot
        Assert.Equal(new PoolStats(0, 1, 0, 0), pool.Stats);
        Valid(pool);
    }

    [Fact]
    public void A_dead_idle_connection_leaves_the_stack()
    {
        var pool = Pool(Settings(maxConns: 1));
        Busy(pool, 1);
        pool.TryPutIdleConn(C1, T(1));
        Assert.Empty(pool.ConnClosed(C1, T(2)));
        var w = W(2);
        Assert.Equal([Dial], pool.GetConn(w, T(3)));    // not the dead one
        Valid(pool);
    }

    [Fact]
    public void A_failed_dial_fails_the_oldest_waiter_and_its_slot_dials_for_the_next_one()
    {
        var pool = Pool(Settings(maxConns: 2));
        var (w1, w2, w3) = (W(1), W(2), W(3));
        Assert.Equal([Dial], pool.GetConn(w1, T(0)));
        Assert.Equal([Dial], pool.GetConn(w2, T(0)));
        Assert.Empty(pool.GetConn(w3, T(0)));

        var error = new IOException("connection refused");
        Assert.Equal([new Effect.Fail(w1, PoolErrorKind.DialFailed, error), Dial], pool.DialFailed(error, T(1)));
        Assert.Equal(new PoolStats(0, 0, 2, 2), pool.Stats);
        Assert.Equal([Delivered(w2, C1)], pool.DialSucceeded(C1, T(2)));
        Assert.Equal([Delivered(w3, C2)], pool.DialSucceeded(C2, T(2)));
        Valid(pool);
    }

    [Fact]
    public void A_failed_dial_fails_nobody_while_the_remaining_dials_cover_every_waiter()
    {
        var pool = Pool(Settings());
        var (w1, w2) = (W(1), W(2));
        pool.GetConn(w1, T(0));
        pool.GetConn(w2, T(0));
        pool.CancelWant(w1.Id);                          // 2 dials, 1 waiter

        Assert.Empty(pool.DialFailed(new IOException("refused"), T(1)));
        Assert.True(w2.IsWaiting);
        var error = new IOException("refused again");
        Assert.Equal([new Effect.Fail(w2, PoolErrorKind.DialFailed, error)], pool.DialFailed(error, T(2)));
        Assert.Equal(new PoolStats(0, 0, 0, 0), pool.Stats);
        Valid(pool);
    }

    [Fact]
    public void A_failed_dial_with_nobody_waiting_changes_only_the_count()
    {
        var pool = Pool(Settings());
        var w1 = W(1);
        pool.GetConn(w1, T(0));
        pool.CancelWant(w1.Id);
        Assert.Empty(pool.DialFailed(new IOException("refused"), T(1)));
        Assert.Equal(new PoolStats(0, 0, 0, 0), pool.Stats);
    }

    [Fact]
    public void Max_pending_requests_refuses_only_requests_waiting_for_a_slot()
    {
        var pool = Pool(Settings(maxConns: 1, maxPending: 2));
        Assert.Equal([Dial], pool.GetConn(W(1), T(0)));  // has its dial: not pending
        var (w2, w3, w4) = (W(2), W(3), W(4));
        Assert.Empty(pool.GetConn(w2, T(0)));
        Assert.Empty(pool.GetConn(w3, T(0)));
        Assert.Equal([new Effect.Fail(w4, PoolErrorKind.TooManyPendingRequests)], pool.GetConn(w4, T(0)));
        Assert.Equal(WantConnState.Failed, w4.State);
        Assert.Equal(3, pool.Stats.Waiting);

        pool.CancelWant(w2.Id);
        Assert.Empty(pool.GetConn(W(5), T(0)));          // room again
        Valid(pool);
    }

    [Fact]
    public void Max_pending_requests_never_applies_without_a_connection_cap()
    {
        var pool = Pool(Settings(maxConns: 0, maxPending: 1));
        for (var i = 1; i <= 10; i++) Assert.Equal([Dial], pool.GetConn(W(i), T(0)));
        Valid(pool);
    }

    [Fact]
    public void Idle_connections_are_closed_after_the_idle_timeout()
    {
        var pool = Pool(Settings(idleTimeoutSeconds: 90));
        Busy(pool, 2);
        pool.TryPutIdleConn(C1, T(10));
        pool.TryPutIdleConn(C2, T(50));
        Assert.Equal(T(100), pool.NextDeadline);

        Assert.Empty(pool.Tick(T(99)));
        Assert.Equal([new Effect.Close(C1, ConnCloseReason.IdleTimeout, WasIdle: true)], pool.Tick(T(100)));
        Assert.Equal(T(140), pool.NextDeadline);
        Assert.Equal([new Effect.Close(C2, ConnCloseReason.IdleTimeout, WasIdle: true)], pool.Tick(T(140)));
        Assert.Null(pool.NextDeadline);
        Assert.Equal(new PoolStats(0, 0, 0, 0), pool.Stats);
    }

    [Fact]
    public void A_request_never_gets_a_connection_past_its_idle_timeout_even_before_the_timer_fires()
    {
        var pool = Pool(Settings(idleTimeoutSeconds: 90));
        Busy(pool, 2);
        pool.TryPutIdleConn(C1, T(0));
        pool.TryPutIdleConn(C2, T(20));
        var w = W(3);
        Assert.Equal(
            [new Effect.Close(C2, ConnCloseReason.IdleTimeout, WasIdle: true),
             new Effect.Close(C1, ConnCloseReason.IdleTimeout, WasIdle: true),
             Dial],
            pool.GetConn(w, T(110)));
        Valid(pool);
    }

    [Fact]
    public void A_connection_past_its_lifetime_is_closed_instead_of_reused_and_the_waiter_gets_a_new_dial()
    {
        // lifetime 60 s minus jitter 10 s × 0.5 ⇒ c1 (dialled at 0) expires at 55 s.
        var pool = Pool(Settings(maxConns: 1, lifetimeSeconds: 60, jitterSeconds: 10), random: 0.5);
        Busy(pool, 1);
        Assert.Equal([new Effect.Idled(C1)], pool.TryPutIdleConn(C1, T(54)));
        Assert.Equal(T(55), pool.NextDeadline);
        var w2 = W(2);
        Assert.Equal([Delivered(w2, C1, reused: true, wasIdle: true)], pool.GetConn(w2, T(54)));

        var w3 = W(3);
        Assert.Empty(pool.GetConn(w3, T(54.5)));
        Assert.Equal([new Effect.Close(C1, ConnCloseReason.LifetimeExceeded, WasIdle: false), Dial], pool.TryPutIdleConn(C1, T(55)));
        Assert.Equal([Delivered(w3, C2)], pool.DialSucceeded(C2, T(56)));
        Valid(pool);
    }

    [Fact]
    public void An_idle_connection_past_its_lifetime_is_closed_by_the_timer()
    {
        var pool = Pool(Settings(lifetimeSeconds: 60, jitterSeconds: 10), random: 0);
        Busy(pool, 1);
        pool.TryPutIdleConn(C1, T(30));
        Assert.Equal(T(60), pool.NextDeadline);
        Assert.Equal([new Effect.Close(C1, ConnCloseReason.LifetimeExceeded, WasIdle: true)], pool.Tick(T(60)));
    }

    [Fact]
    public void A_waiter_past_its_deadline_fails_with_wait_timeout()
    {
        var pool = Pool(Settings(maxConns: 1));
        Busy(pool, 1);
        var (w2, w3) = (W(2, at: 0, deadline: 5), W(3, at: 0, deadline: 50));
        pool.GetConn(w2, T(0));
        pool.GetConn(w3, T(0));
        Assert.Equal(T(5), pool.NextDeadline);

        Assert.Equal([new Effect.Fail(w2, PoolErrorKind.WaitTimeout)], pool.Tick(T(5)));
        Assert.Equal(T(50), pool.NextDeadline);
        Assert.Equal([Delivered(w3, C1, reused: true)], pool.TryPutIdleConn(C1, T(6)));
        Valid(pool);
    }

    [Fact]
    public void An_expired_waiter_is_skipped_even_before_the_timer_fires()
    {
        var pool = Pool(Settings(maxConns: 1));
        Busy(pool, 1);
        var (w2, w3) = (W(2, deadline: 5), W(3));
        pool.GetConn(w2, T(0));
        pool.GetConn(w3, T(0));
        Assert.Equal(
            [new Effect.Fail(w2, PoolErrorKind.WaitTimeout), Delivered(w3, C1, reused: true)],
            pool.TryPutIdleConn(C1, T(6)));
    }

    [Fact]
    public void With_keep_alives_disabled_nothing_is_ever_idle()
    {
        var pool = Pool(Settings(disableKeepAlives: true));
        Busy(pool, 1);
        Assert.Equal([new Effect.Close(C1, ConnCloseReason.KeepAlivesDisabled, WasIdle: false)], pool.TryPutIdleConn(C1, T(1)));

        var w = W(5);
        pool.GetConn(w, T(2));
        pool.CancelWant(w.Id);
        Assert.Equal([new Effect.Close(C2, ConnCloseReason.KeepAlivesDisabled, WasIdle: false)], pool.DialSucceeded(C2, T(3)));
        Valid(pool);
    }

    [Fact]
    public void Max_idle_per_host_closes_the_returned_connection_when_full()
    {
        var pool = Pool(Settings(maxIdlePerHost: 1));
        Busy(pool, 2);
        Assert.Equal([new Effect.Idled(C1)], pool.TryPutIdleConn(C1, T(1)));
        Assert.Equal([new Effect.Close(C2, ConnCloseReason.TooManyIdleForHost, WasIdle: false)], pool.TryPutIdleConn(C2, T(2)));
        Valid(pool);
    }

    [Fact]
    public void A_connection_returned_twice_or_unknown_is_closed_not_reused()
    {
        var pool = Pool(Settings());
        Busy(pool, 1);
        pool.TryPutIdleConn(C1, T(1));
        Assert.Equal([new Effect.Close(C1, ConnCloseReason.NotOwned, WasIdle: true)], pool.TryPutIdleConn(C1, T(2)));
        Assert.Equal([new Effect.Close(C4, ConnCloseReason.NotOwned, WasIdle: false)], pool.TryPutIdleConn(C4, T(2)));
        Assert.Equal(new PoolStats(0, 0, 0, 0), pool.Stats);
    }

    [Fact]
    public void Close_idle_connections_leaves_busy_ones_and_dials_alone()
    {
        var pool = Pool(Settings());
        Busy(pool, 3);
        var w = W(11);
        Assert.Equal([Dial], pool.GetConn(w, T(1)));
        pool.CancelWant(w.Id);
        Assert.Equal([new Effect.Idled(C1)], pool.TryPutIdleConn(C1, T(2)));
        Assert.Equal([new Effect.Close(C1, ConnCloseReason.ClosedIdle, WasIdle: true)], pool.CloseIdleConnections());
        Assert.Equal(new PoolStats(0, 2, 1, 0), pool.Stats);
    }

    [Fact]
    public void The_transport_can_close_only_a_connection_that_is_still_idle()
    {
        var pool = Pool(Settings());
        Busy(pool, 2);
        pool.TryPutIdleConn(C1, T(1));
        Assert.Empty(pool.CloseIdleConn(C2, ConnCloseReason.TooManyIdle));       // busy: taken meanwhile
        Assert.Equal([new Effect.Close(C1, ConnCloseReason.TooManyIdle, WasIdle: true)], pool.CloseIdleConn(C1, ConnCloseReason.TooManyIdle));
        Assert.Empty(pool.CloseIdleConn(C1, ConnCloseReason.TooManyIdle));       // already gone
        Assert.Equal(new PoolStats(0, 1, 0, 0), pool.Stats);
    }

    [Fact]
    public void A_want_can_be_queued_only_once()
    {
        var pool = Pool(Settings(maxConns: 1));
        var w = W(1);
        pool.GetConn(w, T(0));
        Assert.Throws<ArgumentException>(() => pool.GetConn(w, T(0)));
    }

    public static TheoryData<HostPoolSettings> InvalidSettings => new()
    {
        Settings(maxConns: -1),
        Settings(maxIdlePerHost: -1),
        Settings(maxPending: -1),
        Settings(idleTimeoutSeconds: -1),
        Settings(lifetimeSeconds: 10, jitterSeconds: 10),
        Settings(lifetimeSeconds: 10, jitterSeconds: -1),
    };

    [Theory, MemberData(nameof(InvalidSettings))]
    public void Out_of_range_settings_are_refused(HostPoolSettings settings) =>
        Assert.ThrowsAny<ArgumentException>(() => new HostPool<TestConn>(settings));
}
