using ActorHttp.Client.Pool;
using Effect = ActorHttp.Client.Pool.PoolEffect<ActorHttp.Actors.Tests.Client.Pool.TestConn>;

namespace ActorHttp.Actors.Tests.Client.Pool;

/// <summary>
/// Model checking by seeded random walks: 1,000 requests against one pool with puts, deaths, dial
/// outcomes, cancellations and time interleaved at random; after every step the pool's own
/// invariants and an independent model of what the owner was told must agree.
/// </summary>
public sealed class HostPoolModelTests
{
    public static TheoryData<int, int, int, bool> Walks()
    {
        var data = new TheoryData<int, int, int, bool>();
        // seed, max-conns-per-host, max-pending-requests, keep-alives disabled
        foreach (var seed in new[] { 1, 2, 3, 4, 5 })
        {
            data.Add(seed, 1, 0, false);
            data.Add(seed, 8, 0, false);
            data.Add(seed, 16, 50, false);
            data.Add(seed, 0, 0, false);
        }
        data.Add(6, 4, 0, true);
        data.Add(7, 4, 10, true);
        return data;
    }

    [Theory, MemberData(nameof(Walks))]
    public void A_thousand_requests_in_random_interleavings_keep_every_invariant(int seed, int maxConns, int maxPending, bool disableKeepAlives)
    {
        var random = new Random(seed);
        var settings = new HostPoolSettings(maxConns, MaxIdleConnsPerHost: seed % 2 == 0 ? 3 : 0,
            IdleConnTimeout: TimeSpan.FromSeconds(10), maxPending,
            MaxConnLifetime: TimeSpan.FromSeconds(30), MaxConnLifetimeJitter: TimeSpan.FromSeconds(5), disableKeepAlives);
        var model = new Model(new HostPool<TestConn>(settings, random.NextDouble), settings);
        const int requests = 1000;

        var steps = 0;
        while (model.Created < requests || model.Waiting.Count > 0 || model.Dialing > 0 || model.Held.Count > 0)
        {
            steps++;
            Assert.True(steps < 200_000, "the walk does not converge: a request is stuck");
            var draining = model.Created >= requests;
            // Early on requests arrive faster than they finish, so hundreds are in flight at once.
            var roll = random.Next(100);
            if (!draining && roll < (model.Created < 600 ? 60 : 25)) model.NewRequest(random);
            else if (roll < 70 && model.Dialing > 0) model.DialDone(success: random.Next(10) != 0);
            else if (roll < 85 && model.Held.Count > 0) model.Return(random);
            else if (roll < 88 && model.Held.Count > 0) model.BusyDies(random);
            else if (roll < 90 && model.Idle.Count > 0) model.IdleDies(random);
            else if (roll < 93 && model.Waiting.Count > 0 && !draining) model.Cancel(random);
            else model.Advance(random);
            model.Check();
        }

        Assert.Equal(requests, model.Finished);
        // The walk must really have crowded the pool, or it proved little.
        Assert.True(model.MaxWaiting >= (maxPending > 0 ? maxPending : 100), $"only {model.MaxWaiting} requests ever waited at once");
        if (maxPending > 0) Assert.True(model.Rejected > 0, "max-pending-requests was never reached");
    }

    private sealed class Model(HostPool<TestConn> pool, HostPoolSettings settings)
    {
        public readonly List<WantConn> Waiting = new();          // oldest first, as the owner believes
        public readonly HashSet<TestConn> Held = new();          // delivered and not yet returned
        public readonly HashSet<TestConn> Idle = new();
        private readonly HashSet<TestConn> closed = new();
        private readonly HashSet<TestConn> used = new();
        private readonly HashSet<long> finished = new();
        private TimeSpan now;
        private int connNames;

        public int Dialing { get; private set; }
        public int Created { get; private set; }
        public int Finished => finished.Count;
        public int MaxWaiting { get; private set; }
        public int Rejected { get; private set; }

        public void NewRequest(Random random)
        {
            var deadline = random.Next(4) == 0 ? now + TimeSpan.FromSeconds(random.Next(1, 20)) : (TimeSpan?)null;
            var want = new WantConn(++Created, now, deadline);
            Waiting.Add(want);                                   // until an effect says otherwise
            Apply(pool.GetConn(want, now), fromQueueFifo: false);
            MaxWaiting = Math.Max(MaxWaiting, Waiting.Count);
        }

        public void DialDone(bool success)
        {
            Dialing--;
            if (success) Apply(pool.DialSucceeded(new TestConn("d" + ++connNames), now));
            else Apply(pool.DialFailed(new IOException("refused"), now));
        }

        public void Return(Random random)
        {
            var conn = Pick(Held, random);
            Held.Remove(conn);
            Apply(pool.TryPutIdleConn(conn, now), returned: conn);
        }

        public void BusyDies(Random random)
        {
            var conn = Pick(Held, random);
            Held.Remove(conn);
            closed.Add(conn);
            Apply(pool.ConnClosed(conn, now));
        }

        public void IdleDies(Random random)
        {
            var conn = Pick(Idle, random);
            Idle.Remove(conn);
            closed.Add(conn);
            Apply(pool.ConnClosed(conn, now));
        }

        public void Cancel(Random random)
        {
            var want = Waiting[random.Next(Waiting.Count)];
            Assert.True(pool.CancelWant(want.Id));
            Waiting.Remove(want);
            Finish(want);
        }

        public void Advance(Random random)
        {
            now += TimeSpan.FromMilliseconds(random.Next(0, 3000));
            if (pool.NextDeadline is { } due && now >= due) Apply(pool.Tick(now));
            // After a tick nothing may be overdue: the next deadline is in the future or absent.
            Assert.True(pool.NextDeadline is null || pool.NextDeadline > now);
        }

        public void Check()
        {
            Assert.Null(pool.FindInvariantViolation());
            Assert.Equal(new PoolStats(Idle.Count, Held.Count, Dialing, Waiting.Count), pool.Stats);
            if (settings.MaxConnsPerHost > 0) Assert.True(pool.Stats.Conns <= settings.MaxConnsPerHost);
            Assert.Empty(Held.Intersect(Idle));
            // Requests waiting for a slot (not covered by a dial in flight) never exceed max-pending-requests.
            if (settings.MaxPendingRequests > 0) Assert.True(Waiting.Count - Dialing <= settings.MaxPendingRequests);
        }

        private void Apply(IReadOnlyList<Effect> effects, bool fromQueueFifo = true, TestConn? returned = null)
        {
            foreach (var effect in effects)
            {
                switch (effect)
                {
                    case Effect.StartDial:
                        Dialing++;
                        break;
                    case Effect.Deliver d:
                        var index = Waiting.IndexOf(d.Want);
                        Assert.True(index >= 0, $"{d.Want} delivered but not waiting");
                        // Served from the queue ⇒ the oldest waiter; a new request may be served at once.
                        if (fromQueueFifo) Assert.Equal(0, index);
                        Waiting.RemoveAt(index);
                        Finish(d.Want);
                        Assert.Equal(WantConnState.Delivered, d.Want.State);
                        Assert.DoesNotContain(d.Conn, closed);
                        Assert.DoesNotContain(d.Conn, Held);
                        Assert.Equal(d.WasIdle, Idle.Remove(d.Conn));
                        Assert.Equal(used.Contains(d.Conn), d.Reused);
                        Assert.False(settings.DisableKeepAlives && d.Reused, "a connection reused with keep-alives disabled");
                        used.Add(d.Conn);
                        Held.Add(d.Conn);
                        break;
                    case Effect.Fail f:
                        var at = Waiting.IndexOf(f.Want);
                        Assert.True(at >= 0, $"{f.Want} failed but not waiting");
                        switch (f.Kind)
                        {
                            case PoolErrorKind.DialFailed:
                                // The oldest waiter, and only when the dials left cannot cover every waiter.
                                Assert.Equal(0, at);
                                Assert.True(Waiting.Count > Dialing, "a dial failure failed a waiter another dial covers");
                                break;
                            case PoolErrorKind.WaitTimeout: Assert.True(f.Want.Deadline <= now); break;
                            case PoolErrorKind.TooManyPendingRequests:
                                Assert.Equal(Waiting.Count - 1, at);
                                Assert.True(settings.MaxPendingRequests > 0);
                                Rejected++;
                                break;
                        }
                        Waiting.RemoveAt(at);
                        Finish(f.Want);
                        Assert.Equal(WantConnState.Failed, f.Want.State);
                        break;
                    case Effect.Close c:
                        Assert.Equal(c.WasIdle, Idle.Remove(c.Conn));
                        if (!c.WasIdle) Assert.Equal(returned ?? c.Conn, c.Conn);
                        Assert.True(closed.Add(c.Conn), $"{c.Conn} closed twice");
                        break;
                    case Effect.Idled i:
                        Assert.DoesNotContain(i.Conn, closed);
                        Assert.True(Idle.Add(i.Conn));
                        used.Add(i.Conn);                        // a dialed connection parked idle counts as reused when taken
                        Assert.Empty(Waiting);                   // nobody waits while a connection idles
                        break;
                    default:
                        Assert.Fail($"unexpected effect {effect}");
                        break;
                }
            }
        }

        private void Finish(WantConn want) => Assert.True(finished.Add(want.Id), $"{want} finished twice");

        private static TestConn Pick(HashSet<TestConn> set, Random random) => set.ElementAt(random.Next(set.Count));
    }
}
