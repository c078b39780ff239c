using ActorHttp.Client.Cluster;
using ActorHttp.Client.Connection;
using ActorHttp.Client.Pool;
using ActorHttp.Client.Proxy;
using ActorHttp.Configuration;
using ActorHttp.Dispatch;
using ActorHttp.Protocol;
using Akka.Actor;

namespace ActorHttp.Client.Transport;

/// <summary>
/// The HTTP client transport as an actor (Go's <c>Transport</c>): it routes each request to the
/// <see cref="HostPoolActor"/> of its <see cref="ConnectionKey"/>, creating pools on demand, and enforces the
/// transport-wide idle cap (<c>max-idle-conns</c>) by evicting the connection idle the longest, whichever host
/// it belongs to.
/// </summary>
/// <remarks>
/// <para><b>From an actor.</b> Tell it a <see cref="ClientRequest"/> (or a <see cref="RoundTrip"/> to be able to
/// cancel it later); the reply is a <see cref="ClientResponse"/> whose body the receiver must read or dispose, or a
/// <see cref="Status.Failure"/> carrying an <see cref="HttpClientException"/>.</para>
/// <para><b>Ownership.</b> The pools map and the idle LRU are this actor's; pools report idle changes by message, once the cap can be reached (see _conns).</para>
/// </remarks>
public sealed class TransportActor : ReceiveActor
{
    /// <summary>Command: run one request; <paramref name="Id"/> names it for <see cref="CancelRoundTrip"/> (see <see cref="NextId"/>).</summary>
    public sealed record RoundTrip(ClientRequest Request, long Id)
    {
        /// <summary>Who hears the outcome, when not the sender (an async caller's promise, told without a sender).</summary>
        internal IActorRef? ReplyTo { get; init; }
    }

    /// <summary>Command: the caller of round trip <paramref name="Id"/> gave up (waiting requests leave the queue; a running exchange is aborted).</summary>
    public sealed record CancelRoundTrip(ConnectionKey Key, long Id);

    /// <summary>Query: the pool figures of every host (reply <see cref="PoolStatsSnapshot"/>); or, sent to one pool, that pool's <see cref="PoolStats"/>.</summary>
    public sealed record GetPoolStats
    {
        /// <summary>The one instance.</summary>
        public static readonly GetPoolStats Instance = new();

        private GetPoolStats() { }
    }

    /// <summary>Reply to <see cref="GetPoolStats"/>: idle, busy, dialing and waiting per host.</summary>
    public sealed record PoolStatsSnapshot(IReadOnlyDictionary<ConnectionKey, PoolStats> Hosts);

    /// <summary>Query: the pool actor of <paramref name="Key"/> (created if needed); the reply is its <see cref="IActorRef"/>.
    /// Callers that send many requests may send them to it directly: a pool lives as long as its transport.</summary>
    public sealed record GetPool(ConnectionKey Key);

    /// <summary>Command: close every idle connection of every host (Go's <c>CloseIdleConnections</c>).</summary>
    public sealed record CloseIdleConnections
    {
        /// <summary>The one instance.</summary>
        public static readonly CloseIdleConnections Instance = new();

        private CloseIdleConnections() { }
    }

    /// <summary>Event from a pool: <paramref name="Conn"/> went idle; <paramref name="Rank"/> orders idling across pools (larger = later).</summary>
    public sealed record IdleAdded(ConnectionKey Key, IActorRef Conn, long Rank);

    /// <summary>Event from a pool that does not report idle changes yet: it started a connection (a dial).</summary>
    public sealed record ConnOpened
    {
        /// <summary>The one instance.</summary>
        public static readonly ConnOpened Instance = new();

        private ConnOpened() { }
    }

    /// <summary>Event from a pool that does not report idle changes yet: one of its connections (or dials) ended.</summary>
    public sealed record ConnClosed
    {
        /// <summary>The one instance.</summary>
        public static readonly ConnClosed Instance = new();

        private ConnClosed() { }
    }

    /// <summary>Event from a pool: <paramref name="Conn"/> is no longer idle (taken, closed or gone).</summary>
    public sealed record IdleGone(IActorRef Conn);

    private static long _ids;

    private readonly ClientSettings _settings;
    private readonly TransportOptions _options;
    private readonly ProxyResolver _proxies;
    private readonly HttpParserLimits _limits;
    private readonly EventLoopDispatchers? _loops;   // null: no connection runs on a loop (epoll-event-loop off, or no loops here)
    private readonly Dictionary<ConnectionKey, IActorRef> _pools = new();
    private readonly Dictionary<IActorRef, ConnectionKey> _keys = new();
    private readonly IdleConnLru<ConnectionKey, IActorRef> _idle;
    private long _poolSeq;

    // Why pools do not report every idle change from the start: those reports cost two messages to this actor per
    // request, while max-idle-conns can only be exceeded once there are more connections than it, idle or not. So
    // pools first report only each connection's start and end (ConnOpened/ConnClosed: per connection, not per
    // request); once the count goes over the cap, every pool is told to track (HostPoolActor.TrackIdle), reports
    // the connections idle at that moment, and from then on every change (for good: few transports ever get there,
    // and switching back would need the same hand-over again). Ranks, drawn in the order connections go idle,
    // keep the list's order exact whatever order the hand-overs arrive in. The cap is enforced as before: the
    // count can lag only by the reports in flight, as the list itself can (see IdleConnLru).
    private long _conns;
    private bool _trackingIdle;

    // With cluster-pools on: this node's client of the cluster-wide pools, which stands in for every pool (see PoolFor).
    private readonly IActorRef? _clusterPools;

    /// <summary>A transport with <paramref name="settings"/> and <paramref name="options"/>.</summary>
    public TransportActor(ClientSettings settings, TransportOptions options) : this(settings, options, ProxyResolver.For(settings, options)) { }

    // The resolver is shared with an ActorTransport, so both see the one environment read at start.
    internal TransportActor(ClientSettings settings, TransportOptions options, ProxyResolver proxies)
    {
        _settings = settings;
        _options = options;
        _proxies = proxies;
        // The system's configuration over the reference: actorhttp.http.parsing set for the system applies to the client too.
        _limits = options.ParserLimits ?? HttpParserLimitsSettings.FromConfig(ReferenceConfig.Load(Context.System.Settings.Config));
        _idle = new IdleConnLru<ConnectionKey, IActorRef>(settings.MaxIdleConns);
        // The extension injects the reference configuration (the compact mailbox of connections) and runs the loops.
        var http = Http.Get(Context.System);
        _loops = settings.EpollEventLoop ? http.Loops : null;

        if (settings.ClusterPools is { } clusterPools)
        {
            var (loops, limits) = (_loops, _limits);
            _clusterPools = Context.ActorOf(ClusterPoolClient.Props(settings, clusterPools, options, _proxies,
                key => PoolProps(key, settings, options, limits, loops, HostPoolActor.IdleReports.None)), "cluster-pools");
        }

        Receive<RoundTrip>(Route);
        Receive<ClientRequest>(m => Route(new RoundTrip(m, NextId())));
        Receive<GetPool>(m => Sender.Tell(PoolFor(m.Key)));
        Receive<CancelRoundTrip>(m =>
        {
            if (_pools.TryGetValue(m.Key, out var pool)) pool.Forward(m);
            else _clusterPools?.Forward(m);
        });
        Receive<ConnOpened>(_ => CountConn(+1));
        Receive<ConnClosed>(_ => CountConn(-1));
        Receive<IdleAdded>(m =>
        {
            if (_idle.Add(m.Key, m.Conn, m.Rank) is { } evicted && _pools.TryGetValue(evicted.HostKey, out var pool))
                pool.Tell(new HostPoolActor.CloseIdleConn(evicted.Conn));
        });
        Receive<IdleGone>(m => _idle.Remove(m.Conn));
        Receive<CloseIdleConnections>(m =>
        {
            foreach (var pool in _pools.Values) pool.Tell(m);
        });
        Receive<GetPoolStats>(_ => CollectStats(Sender));
        Receive<ConnectionSupervision.ChildTerminated>(_ => { });   // pools are watched (Terminated, below)
        Receive<Terminated>(m =>
        {
            if (_keys.Remove(m.ActorRef, out var key)) _pools.Remove(key);
        });
    }

    /// <summary>A fresh round-trip id, unique in the process.</summary>
    public static long NextId() => Interlocked.Increment(ref _ids);

    /// <summary>Props for a transport.</summary>
    public static Props Props(ClientSettings settings, TransportOptions? options = null) =>
        StateProps.Create(static s => new TransportActor(s.settings, s.Item2), (settings, options ?? new TransportOptions()));

    internal static Props Props(ClientSettings settings, TransportOptions options, ProxyResolver proxies) =>
        StateProps.Create(static s => new TransportActor(s.settings, s.options, s.proxies), (settings, options, proxies));

    /// <inheritdoc />
    protected override SupervisorStrategy SupervisorStrategy() => ConnectionSupervision.For(Context.Props.SupervisorStrategy);

    /// <inheritdoc />
    // Requests told to this actor that it never routed fail at once (the pools answered theirs as they stopped).
    protected override void PostStop() => TransportStopped.FailUnreceived(Context);

    private void Route(RoundTrip m)
    {
        ConnectionKey key;
        try
        {
            key = _proxies.KeyFor(m.Request);
        }
        catch (HttpClientException e)
        {
            Sender.Tell(new Status.Failure(e));
            return;
        }
        PoolFor(key).Forward(m);
    }

    private IActorRef PoolFor(ConnectionKey key)
    {
        if (_pools.TryGetValue(key, out var pool)) return pool;
        if (_clusterPools is { } clusterPools) return clusterPools;
        var reports = _settings.MaxIdleConns == 0 ? HostPoolActor.IdleReports.None : _trackingIdle ? HostPoolActor.IdleReports.Changes : HostPoolActor.IdleReports.ConnCount;
        pool = Context.ActorOf(PoolProps(key, _settings, _options, _limits, _loops, reports).WithUserStrategy(Context.Props.SupervisorStrategy), $"pool-{++_poolSeq}");
        Context.Watch(pool);
        _pools[key] = pool;
        _keys[pool] = key;
        return pool;
    }

    // The props of key's pool: here, and for a cluster-wide pool's entity on the node sharding puts it on.
    internal static Props PoolProps(ConnectionKey key, ClientSettings settings, TransportOptions options, HttpParserLimits transportLimits,
        EventLoopDispatchers? loops, HostPoolActor.IdleReports reports)
    {
        var host = settings.For(key.Host, key.Port);
        var limits = transportLimits with { MaxResponseHeaderBytes = host.MaxResponseHeaderBytes };
        // The pool and its connections share one event loop, or all run on the default dispatcher (see PoolPlacement).
        var loop = PoolPlacement.For(key, settings, options, loops);
        Func<ClientRequest?, Props> connection = options.ConnectionProps is { } scripted
            ? _ => scripted(key)
            : dialFor => PersistentConnection.Props(key, host, options, limits, dialFor, loop);
        // A pool on a loop gets the compact mailbox there, as its connections do; elsewhere the dispatcher's own.
        return StateProps.Create(static s => new HostPoolActor(s.key, s.host, s.connection, s.Metrics, s.reports, s.Clock),
            (key, host, connection, options.Metrics, reports, options.Clock), loop?.DispatcherId, loop is null ? null : CompactMailbox.Id);
    }

    private void CountConn(int delta)
    {
        if (_trackingIdle) return;
        _conns += delta;
        if (_conns <= _settings.MaxIdleConns) return;
        _trackingIdle = true;
        foreach (var pool in _pools.Values) pool.Tell(HostPoolActor.TrackIdle.Instance);
    }

    private void CollectStats(IActorRef replyTo)
    {
        var asks = _pools.Select(async kv => (kv.Key, Stats: await kv.Value.Ask<PoolStats>(GetPoolStats.Instance).ConfigureAwait(false))).ToArray();
        Task.WhenAll(asks).PipeTo(replyTo,
            success: all => new PoolStatsSnapshot(all.ToDictionary(x => x.Key, x => x.Stats)));
    }
}
