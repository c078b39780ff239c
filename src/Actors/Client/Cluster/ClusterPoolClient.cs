using ActorHttp.Client.Proxy;
using ActorHttp.Client.Transport;
using Akka.Actor;
using Akka.Cluster.Sharding;

namespace ActorHttp.Client.Cluster;

/// <summary>
/// A node's way to the cluster-wide host pools (<c>actorhttp.client.cluster-pools = on</c>): the transport's child that stands in for
/// every pool. It takes the same messages as a <see cref="HostPoolActor"/> (<see cref="TransportActor.RoundTrip"/>,
/// <see cref="TransportActor.CancelRoundTrip"/>), sends each request to its host's <see cref="ClusterHostPool"/> entity, wherever sharding
/// put it, and answers the caller when the reply comes back. One per transport; it starts the shard region.
/// </summary>
/// <remarks>
/// <para><b>No ask per request.</b> Requests carry this node's id for them and this actor as sender; replies come back by that id.</para>
/// <para><b>Where a pool is.</b> The first request for a host sends <see cref="ClusterHostPool.Locate"/> through the shard region and waits;
/// the pool answers <see cref="Located"/>, and from then on requests go to it directly, watched. So this actor knows which pool holds each
/// request it sent, and what to do when that pool goes:</para>
/// <list type="bullet">
/// <item>the pool hands over (graceful leave, rebalance, passivation): it gives back what it had not sent (<see cref="Requeue"/>) and says
/// <see cref="Stopped"/> last; every request still sent to it then was never received, and all of these go again, to the pool's new home,
/// located anew through the region (which holds messages while a shard moves);</item>
/// <item>the pool's node dies (death watch reports its address terminated, once the node is downed): each request it held fails with
/// <see cref="ClientErrorKind.PoolNodeLost"/>, reported as written, since nobody can tell.</item>
/// </list>
/// <para><b>Deadline.</b> The host's <c>request-timeout</c> runs here from the request's arrival, as it runs in a local pool, so a request
/// whose pool's node went silent fails in time; its pool is told to <see cref="ClusterHostPool.Cancel"/> it.</para>
/// <para><b>What crosses.</b> The request without its <see cref="ClientRequest.Trace"/> (an observer lives on this node); its body must be in
/// memory (<see cref="RequestContent.FromBytes"/>) and at most <c>actorhttp.cluster.max-inline-body</c>, or the request fails here with
/// <see cref="ClientErrorKind.BodyTooLarge"/> or <see cref="ClientErrorKind.RequestContent"/>, nothing sent.</para>
/// <para><b>Ownership.</b> Every field is this actor's.</para>
/// </remarks>
public sealed class ClusterPoolClient : ReceiveActor, IWithTimers, IWithUnboundedStash
{
    /// <summary>The shard region's type name, the same on every node.</summary>
    public const string TypeName = "actorhttp-host-pools";

    /// <summary>Event from a pool: it is entity <paramref name="EntityId"/>, the sender; send it requests directly.</summary>
    public sealed record Located(string EntityId) : IClusterPoolMessage;

    /// <summary>Event from a pool: request <paramref name="Id"/>'s response, its body whole in memory.</summary>
    public sealed record Responded(long Id, ClientResponse Response) : IClusterPoolMessage;

    /// <summary>Event from a pool: request <paramref name="Id"/> failed, as an <see cref="HttpClientException"/> of these fields.</summary>
    public sealed record Failed(long Id, ClientErrorKind Kind, string Message, bool RequestWritten) : IClusterPoolMessage;

    /// <summary>Event from a pool that is handing over: request <paramref name="Id"/> was not sent; send it to the pool's new home.</summary>
    public sealed record Requeue(long Id) : IClusterPoolMessage;

    /// <summary>Event from a pool, its last: it stopped after a hand-over; what it did not answer it never received.</summary>
    public sealed record Stopped(string EntityId) : IClusterPoolMessage;

    private sealed record RegionStarted(IActorRef Region);

    private sealed record PoolGone(IActorRef Pool, bool NodeLost);

    private sealed record Tick
    {
        public static readonly Tick Instance = new();
    }

    // A request from its arrival to its answer.
    private sealed class Outgoing(TransportActor.RoundTrip roundTrip, ClientRequest sent, IActorRef replyTo, string entityId, TimeSpan? deadline)
    {
        public TransportActor.RoundTrip RoundTrip { get; } = roundTrip;
        public ClientRequest Sent { get; } = sent;
        public IActorRef ReplyTo { get; } = replyTo;
        public string EntityId { get; } = entityId;
        public TimeSpan? Deadline { get; } = deadline;
        // The pool it was sent to; null while its pool is being located.
        public IActorRef? Pool { get; set; }
    }

    // One host's pool as this node knows it: located (Pool), or being located (Locating, with the requests that wait for it).
    private sealed class Target
    {
        public IActorRef? Pool { get; set; }
        public bool Locating { get; set; }
        public List<long> Waiting { get; } = [];
    }

    private const string TickTimer = "tick";

    private readonly ClientSettings _settings;
    private readonly ClusterPoolSettings _clusterPools;
    private readonly TransportOptions _options;
    private readonly ProxyResolver _proxies;
    private readonly Func<ConnectionKey, Props> _poolProps;
    private readonly int _maxInlineBody;

    private readonly Dictionary<long, Outgoing> _out = new();
    private readonly Dictionary<string, Target> _targets = new();
    private readonly Dictionary<IActorRef, string> _located = new();
    private readonly PriorityQueue<long, TimeSpan> _deadlines = new();
    private IActorRef _region = ActorRefs.Nobody;
    private TimeSpan? _timerDue;

    internal ClusterPoolClient(ClientSettings settings, ClusterPoolSettings clusterPools, TransportOptions options, ProxyResolver proxies,
        Func<ConnectionKey, Props> poolProps)
    {
        _settings = settings;
        _clusterPools = clusterPools;
        _options = options;
        _proxies = proxies;
        _poolProps = poolProps;
        _maxInlineBody = Http.Get(Context.System).ClusterSettings.MaxInlineBody;
        Become(Starting);
    }

    internal static Props Props(ClientSettings settings, ClusterPoolSettings clusterPools, TransportOptions options, ProxyResolver proxies,
        Func<ConnectionKey, Props> poolProps) =>
        StateProps.Create(static s => new ClusterPoolClient(s.settings, s.clusterPools, s.options, s.proxies, s.poolProps),
            (settings, clusterPools, options, proxies, poolProps));

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <inheritdoc />
    public IStash Stash { get; set; } = null!;

    /// <inheritdoc />
    protected override void PreStart()
    {
        var sharding = ClusterSharding.Get(Context.System);
        var settings = ClusterShardingSettings.Create(Context.System);
        var (poolProps, proxies, maxInline) = (_poolProps, _proxies, _maxInlineBody);
        sharding.StartAsync(TypeName, entityId => ClusterHostPool.Props(entityId, poolProps, proxies, maxInline), settings,
                new Extractor(_clusterPools.Shards), _options.ClusterPoolAllocation ?? sharding.DefaultShardAllocationStrategy(settings),
                ClusterHostPool.HandOff.Instance)
            .PipeTo(Self, success: region => new RegionStarted(region));
    }

    /// <inheritdoc />
    // Requests this node still waits on fail now, typed, rather than at their deadline: the transport is stopping.
    protected override void PostStop()
    {
        foreach (var o in _out.Values)
        {
            o.Pool?.Tell(new ClusterHostPool.Cancel(o.RoundTrip.Id));
            o.ReplyTo.Tell(new Status.Failure(TransportStopped.Error(o.RoundTrip.Request)));
        }
        _out.Clear();
        TransportStopped.FailUnreceived(Context);
    }

    // STATES

    private void Starting()
    {
        Receive<RegionStarted>(m =>
        {
            _region = m.Region;
            Become(Running);
            Stash.UnstashAll();
        });
        Receive<Status.Failure>(m => throw new InvalidOperationException($"The shard region of the cluster-wide pools did not start: {m.Cause?.Message}", m.Cause));
        ReceiveAny(_ => Stash.Stash());
    }

    private void Running()
    {
        Receive<TransportActor.RoundTrip>(m => Arrive(m, m.ReplyTo ?? Sender));
        Receive<ClientRequest>(m => Arrive(new TransportActor.RoundTrip(m, TransportActor.NextId()), Sender));
        Receive<TransportActor.CancelRoundTrip>(m => CancelOne(m.Id));
        Receive<Located>(m => Found(Sender, m.EntityId));
        Receive<Responded>(m =>
        {
            if (Settle(m.Id) is { } o) o.ReplyTo.Tell(m.Response.With(o.RoundTrip.Request));
            else m.Response.Dispose();
        });
        Receive<Failed>(m =>
        {
            if (Settle(m.Id) is { } o)
                o.ReplyTo.Tell(new Status.Failure(new HttpClientException(m.Kind, m.Message, o.RoundTrip.Request, m.RequestWritten)));
        });
        Receive<Requeue>(m =>
        {
            Forget(Sender);
            if (_out.TryGetValue(m.Id, out var o)) Dispatch(o);
        });
        Receive<Stopped>(m => Resend(Sender, m.EntityId));
        // Queued behind whatever the pool sent before it went (a local Terminated would overtake it).
        Receive<Terminated>(m => Self.Tell(new PoolGone(m.ActorRef, m.AddressTerminated)));
        Receive<PoolGone>(Gone);
        Receive<Tick>(_ => Expire());
        Receive<TransportActor.GetPoolStats>(_ => Sender.Tell(new Status.Failure(new NotSupportedException(
            "A cluster-wide pool's figures are on its node; this node has no pool of its own."))));
        Receive<TransportActor.CloseIdleConnections>(_ => { });
    }

    // STEPS

    private TimeSpan Now => _options.Clock is { } clock ? clock() : Context.System.Scheduler.MonotonicClock;

    private void Arrive(TransportActor.RoundTrip m, IActorRef replyTo)
    {
        ConnectionKey key;
        ClientRequest sent;
        try
        {
            key = _proxies.KeyFor(m.Request);
            sent = Crossable(m.Request, _maxInlineBody);
        }
        catch (HttpClientException e)
        {
            replyTo.Tell(new Status.Failure(e));
            return;
        }
        var timeout = _settings.For(key.Host, key.Port).RequestTimeout;
        TimeSpan? deadline = timeout > TimeSpan.Zero ? Now + timeout : null;
        var o = new Outgoing(m, sent, replyTo, ClusterPoolKey.EntityId(key), deadline);
        if (!_out.TryAdd(m.Id, o))
        {
            replyTo.Tell(new Status.Failure(new HttpClientException(ClientErrorKind.InvalidRequest, $"Request id {m.Id} is already in flight.", m.Request)));
            return;
        }
        if (deadline is { } due)
        {
            _deadlines.Enqueue(m.Id, due);
            ArmTimer();
        }
        Dispatch(o);
    }

    // To the pool when it is located; otherwise behind its location.
    private void Dispatch(Outgoing o)
    {
        if (!_targets.TryGetValue(o.EntityId, out var target)) _targets[o.EntityId] = target = new Target();
        if (target.Pool is { } pool)
        {
            o.Pool = pool;
            pool.Tell(new ClusterHostPool.Send(o.RoundTrip.Id, o.Sent));
            return;
        }
        o.Pool = null;
        target.Waiting.Add(o.RoundTrip.Id);
        if (target.Locating) return;
        target.Locating = true;
        _region.Tell(new ShardingEnvelope(o.EntityId, ClusterHostPool.Locate.Instance));
    }

    private void Found(IActorRef pool, string entityId)
    {
        if (!_targets.TryGetValue(entityId, out var target)) _targets[entityId] = target = new Target();
        if (target.Pool is { } old && !old.Equals(pool)) Forget(old);
        target.Pool = pool;
        target.Locating = false;
        _located[pool] = entityId;
        Context.Watch(pool);
        foreach (var id in target.Waiting)
            if (_out.TryGetValue(id, out var o) && o.Pool is null) Dispatch(o);
        target.Waiting.Clear();
    }

    // The pool is handing over: what comes next goes through the region again.
    private void Forget(IActorRef pool)
    {
        if (!_located.Remove(pool, out var entityId)) return;
        Context.Unwatch(pool);
        if (_targets.TryGetValue(entityId, out var target) && pool.Equals(target.Pool)) target.Pool = null;
    }

    // After the pool's last message: everything still sent to it was never received.
    private void Resend(IActorRef pool, string entityId)
    {
        Forget(pool);
        foreach (var o in _out.Values.Where(o => pool.Equals(o.Pool)).ToArray()) Dispatch(o);
        // A Locate that reached the pool while it handed over was not answered: ask the region again.
        if (_targets.TryGetValue(entityId, out var target) && target is { Pool: null, Locating: true })
            _region.Tell(new ShardingEnvelope(entityId, ClusterHostPool.Locate.Instance));
    }

    private void Gone(PoolGone m)
    {
        if (!_located.ContainsKey(m.Pool)) return;   // it said Stopped first
        Forget(m.Pool);
        foreach (var o in _out.Values.Where(o => m.Pool.Equals(o.Pool)).ToArray())
        {
            Settle(o.RoundTrip.Id);
            o.ReplyTo.Tell(new Status.Failure(new HttpClientException(ClientErrorKind.PoolNodeLost,
                m.NodeLost
                    ? $"The node of the cluster-wide pool of {o.EntityId} ({m.Pool.Path.Address}) was lost with the request; whether it was sent is unknown."
                    : $"The cluster-wide pool of {o.EntityId} stopped with the request; whether it was sent is unknown.",
                o.RoundTrip.Request, requestWritten: true)));
        }
    }

    private void CancelOne(long id)
    {
        if (Settle(id) is not { } o) return;
        o.Pool?.Tell(new ClusterHostPool.Cancel(id));
        o.ReplyTo.Tell(new Status.Failure(new HttpClientException(ClientErrorKind.Canceled, "The request was cancelled.", o.RoundTrip.Request,
            requestWritten: o.Pool is not null)));
    }

    private Outgoing? Settle(long id) => _out.Remove(id, out var o) ? o : null;

    private void Expire()
    {
        _timerDue = null;
        var now = Now;
        while (_deadlines.TryPeek(out var id, out var due) && due <= now)
        {
            _deadlines.Dequeue();
            if (Settle(id) is not { } o) continue;
            o.Pool?.Tell(new ClusterHostPool.Cancel(id));
            // A Locate lost with a node would hold its host's requests until each one's deadline: ask again.
            if (o.Pool is null && _targets.TryGetValue(o.EntityId, out var target) && target is { Pool: null, Locating: true })
                _region.Tell(new ShardingEnvelope(o.EntityId, ClusterHostPool.Locate.Instance));
            var timeout = _settings.For(o.RoundTrip.Request.Uri).RequestTimeout;
            o.ReplyTo.Tell(new Status.Failure(new HttpClientException(ClientErrorKind.RequestTimeout,
                $"No response from the cluster-wide pool of {o.EntityId} within {timeout}.", o.RoundTrip.Request, requestWritten: o.Pool is not null)));
        }
        ArmTimer();
    }

    private void ArmTimer()
    {
        TimeSpan? due = _deadlines.TryPeek(out _, out var next) ? next : null;
        if (due == _timerDue) return;
        _timerDue = due;
        if (due is { } d) Timers.StartSingleTimer(TickTimer, Tick.Instance, d > Now ? d - Now : TimeSpan.Zero);
        else Timers.Cancel(TickTimer);
    }

    // What can cross nodes: a body in memory within the inline limit, no trace observer, no protocol switch.
    private static ClientRequest Crossable(ClientRequest request, int maxInlineBody)
    {
        switch (request.Content)
        {
            case null:
                break;
            case ByteArrayRequestContent bytes when bytes.Bytes.Length > maxInlineBody:
                throw new HttpClientException(ClientErrorKind.BodyTooLarge,
                    $"The request body of {bytes.Bytes.Length} bytes is above actorhttp.cluster.max-inline-body ({maxInlineBody} bytes): it cannot travel to the node of the cluster-wide pool. Nothing was sent.",
                    request);
            case ByteArrayRequestContent:
                break;
            default:
                throw new HttpClientException(ClientErrorKind.RequestContent,
                    $"The request body is a {request.Content.GetType().Name}, read on demand: with cluster-pools on, only a body in memory (RequestContent.FromBytes or FromString) travels to the node of the pool. Nothing was sent.",
                    request);
        }
        if (request.Headers.Contains("Upgrade"))
            throw new HttpClientException(ClientErrorKind.InvalidRequest,
                "A protocol upgrade keeps its connection as a stream on the pool's node: it cannot go through a cluster-wide pool. Nothing was sent.", request);
        return request.Trace is null ? request : request with { Trace = null };
    }

    // Every message through the region is a ShardingEnvelope, which the base class unwraps itself (AK2001): nothing else is routed.
    private sealed class Extractor(int shards) : HashCodeMessageExtractor(shards)
    {
        public override string EntityId(object message) => null!;
    }
}
