using ActorHttp.Client.Pool;
using Effect = ActorHttp.Client.Pool.PoolEffect<ActorHttp.Actors.Tests.Client.Pool.TestConn>;

namespace ActorHttp.Actors.Tests.Client.Pool;

public sealed class IdleConnLruTests
{
    private static readonly TestConn A1 = new("a1"), A2 = new("a2"), B1 = new("b1"), B2 = new("b2");

    private static IdleConnRef<string, TestConn> Ref(string host, TestConn conn) => new(host, conn);

    [Fact]
    public void Going_over_the_cap_evicts_the_connection_idle_the_longest_whichever_host_holds_it()
    {
        var lru = new IdleConnLru<string, TestConn>(maxIdleConns: 2);
        Assert.Null(lru.Add("a", A1));
        Assert.Null(lru.Add("b", B1));
        Assert.Equal(Ref("a", A1), lru.Add("b", B2));
        Assert.Equal(Ref("b", B1), lru.Add("a", A2));
        Assert.Equal(2, lru.Count);
        Assert.False(lru.Contains(A1));
        Assert.True(lru.Contains(B2));
    }

    [Fact]
    public void Ranked_reports_take_their_place_by_rank_not_by_arrival()
    {
        // Pools hand over their idle connections when the transport starts tracking, in whatever order they arrive.
        var lru = new IdleConnLru<string, TestConn>(maxIdleConns: 2);
        Assert.Null(lru.Add("b", B1, rank: 5));
        Assert.Null(lru.Add("a", A1, rank: 2));
        Assert.Equal(Ref("a", A1), lru.Add("a", A2, rank: 7));
        Assert.Equal(Ref("b", B1), lru.Add("b", B2, rank: 6));
        Assert.True(lru.Contains(A2));
        Assert.True(lru.Contains(B2));
    }

    [Fact]
    public void A_connection_taken_from_idle_leaves_the_list_and_does_not_count()
    {
        var lru = new IdleConnLru<string, TestConn>(maxIdleConns: 2);
        lru.Add("a", A1);
        lru.Add("b", B1);
        Assert.True(lru.Remove(A1));
        Assert.False(lru.Remove(A1));
        Assert.Null(lru.Add("a", A2));
        Assert.Equal(Ref("b", B1), lru.RemoveOldest());
        Assert.Equal(Ref("a", A2), lru.RemoveOldest());
        Assert.Null(lru.RemoveOldest());
    }

    [Fact]
    public void Adding_a_listed_connection_again_makes_it_the_most_recent()
    {
        var lru = new IdleConnLru<string, TestConn>(maxIdleConns: 2);
        lru.Add("a", A1);
        lru.Add("b", B1);
        lru.Add("a", A1);
        Assert.Equal(Ref("b", B1), lru.Add("a", A2));
    }

    [Fact]
    public void Zero_means_no_cap()
    {
        var lru = new IdleConnLru<string, TestConn>(maxIdleConns: 0);
        for (var i = 0; i < 1000; i++) Assert.Null(lru.Add("h" + (i % 7), new TestConn("c" + i)));
        Assert.Equal(1000, lru.Count);
    }

    [Fact]
    public void The_transport_closes_the_evicted_connection_in_the_pool_that_holds_it()
    {
        // What the transport actor does with its host pools' Idled / Deliver / Close effects.
        var settings = new HostPoolSettings(0, 0, TimeSpan.Zero, 0, TimeSpan.Zero, TimeSpan.Zero, false);
        var pools = new Dictionary<string, HostPool<TestConn>> { ["a"] = new(settings), ["b"] = new(settings) };
        var lru = new IdleConnLru<string, TestConn>(maxIdleConns: 2);
        var closed = new List<Effect.Close>();
        var now = TimeSpan.Zero;
        var id = 0;

        void Track(string host, IReadOnlyList<Effect> effects)
        {
            foreach (var effect in effects)
            {
                switch (effect)
                {
                    case Effect.Idled i when lru.Add(host, i.Conn) is { } evicted:
                        Track(evicted.HostKey, pools[evicted.HostKey].CloseIdleConn(evicted.Conn, ConnCloseReason.TooManyIdle));
                        break;
                    case Effect.Deliver { WasIdle: true } d: lru.Remove(d.Conn); break;
                    case Effect.Close c:
                        closed.Add(c);
                        if (c.WasIdle) lru.Remove(c.Conn);
                        break;
                }
            }
        }

        void Use(string host, TestConn conn)
        {
            var pool = pools[host];
            Track(host, pool.GetConn(new WantConn(++id, now), now));
            Track(host, pool.DialSucceeded(conn, now));
        }

        Use("a", A1);
        Use("b", B1);
        Use("b", B2);
        now += TimeSpan.FromSeconds(1);
        Track("a", pools["a"].TryPutIdleConn(A1, now));
        now += TimeSpan.FromSeconds(1);
        Track("b", pools["b"].TryPutIdleConn(B1, now));
        Assert.Empty(closed);

        now += TimeSpan.FromSeconds(1);
        Track("b", pools["b"].TryPutIdleConn(B2, now));
        Assert.Equal([new Effect.Close(A1, ConnCloseReason.TooManyIdle, WasIdle: true)], closed);
        Assert.Equal(new PoolStats(0, 0, 0, 0), pools["a"].Stats);
        Assert.Equal(new PoolStats(2, 0, 0, 0), pools["b"].Stats);
        Assert.Equal(2, lru.Count);

        // Taking one from idle frees room: the next put evicts nothing.
        Track("b", pools["b"].GetConn(new WantConn(++id, now), now));
        Assert.Equal(1, lru.Count);
        Track("b", pools["b"].TryPutIdleConn(B2, now));
        Assert.Single(closed);
    }
}
