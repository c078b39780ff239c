using System.Buffers;
using System.IO.Pipelines;
using ActorHttp.Client.Proxy;
using ActorHttp.Client.Transport;
using Akka;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Util;

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
/// <para><b>What crosses.</b> The request without its <see cref="ClientRequest.Trace"/> (an observer lives on this node). A body in
/// memory up to <c>actorhttp.cluster.max-inline-body</c> travels inline (<see cref="ClusterHostPool.Send"/>). A body read on demand (a
/// stream, a pipe, a source, an <c>HttpContent</c>) is read here up to that limit: one that ends within it travels inline too. A longer
/// one, in memory or not, streams (<see cref="ClusterHostPool.SendStreamed"/>): the bytes read so far, then the rest, through an
/// Akka.Streams stream ref that the pool's node pulls only as its connection writes the body. This node reads ahead of it at most a
/// pipe's 64 KiB and the ref's buffer. The ref must be pulled within its <c>subscription-timeout</c>
/// (<c>akka.stream.materializer.stream-ref</c>, 30 s): a request that waits longer for a connection there fails with the body.</para>
/// <para><b>Responses.</b> <see cref="Responded"/> carries a whole body; <see cref="RespondedStreamed"/> a head and a stream ref, which
/// the caller's <see cref="ClientResponse.Body"/> reads on demand (<see cref="StreamRefBody"/>).</para>
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

    /// <summary>Event from a pool: request <paramref name="Id"/>'s response head (its body empty here), its body streaming from
    /// <paramref name="Body"/>: a body above <c>actorhttp.cluster.max-inline-body</c>.</summary>
    public sealed record RespondedStreamed(long Id, ClientResponse Response, ISourceRef<byte[]> Body) : IClusterPoolMessage;

    /// <summary>Event from a pool: request <paramref name="Id"/> failed, as an <see cref="HttpClientException"/> of these fields.</summary>
    public sealed record Failed(long Id, ClientErrorKind Kind, string Message, bool RequestWritten) : IClusterPoolMessage;

    /// <summary>Event from a pool that is handing over: request <paramref name="Id"/> was not sent; send it to the pool's new home.</summary>
    public sealed record Requeue(long Id) : IClusterPoolMessage;

    /// <summary>Event from a pool, its last: it stopped after a hand-over; what it did not answer it never received.</summary>
    public sealed record Stopped(string EntityId) : IClusterPoolMessage;

    private sealed record RegionStarted(IActorRef Region);

    private sealed record PoolGone(IActorRef Pool, bool NodeLost);

    // A response body that streamed from Pool has ended.
    private sealed record BodyEnded(IActorRef Pool, StreamRefBody Body);

    // A body read on demand, now in memory (Bytes), or longer than the inline limit and to stream (Streamed: the bytes read so far,
    // then the rest, and the length when known), or what stopped it (Error).
    private sealed record Buffered(long Id, byte[]? Bytes, Source<byte[], NotUsed>? Streamed, HttpClientException? Error);

    // A request body's stream ref, made on this node (Ref), or why it could not be (Error).
    private sealed record BodyStreaming(long Id, ISourceRef<byte[]>? Ref, Exception? Error);

    private sealed record Tick
    {
        public static readonly Tick Instance = new();
    }

    private sealed record LocateAgain
    {
        public static readonly LocateAgain Instance = new();
    }

    // A request from its arrival to its answer.
    private sealed class Outgoing(TransportActor.RoundTrip roundTrip, ClientRequest sent, IActorRef replyTo, string entityId, TimeSpan? deadline)
    {
        public TransportActor.RoundTrip RoundTrip { get; } = roundTrip;
        // What crosses: the request without its trace, its body in memory or its head alone when the body streams (null while it
        // is being read).
        public ClientRequest? Sent { get; set; } = sent;
        // A body that streams: its ref, and the switch that stops it when the request ends before the pool's node pulled it all.
        public ISourceRef<byte[]>? Body { get; set; }
        public UniqueKillSwitch? StopBody { get; set; }
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
    private const string LocateTimer = "locate";

    private readonly ClientSettings _settings;
    private readonly ClusterPoolSettings _clusterPools;
    private readonly TransportOptions _options;
    private readonly ProxyResolver _proxies;
    private readonly Func<ConnectionKey, Props> _poolProps;
    private readonly int _maxInlineBody;

    private readonly Dictionary<long, Outgoing> _out = new();
    private readonly Dictionary<string, Target> _targets = new();
    private readonly Dictionary<IActorRef, string> _located = new();
    // Response bodies streaming from each pool, until they end: failed here if the pool's node is lost (a stream ref does not notice).
    private readonly Dictionary<IActorRef, HashSet<StreamRefBody>> _bodies = new();
    private readonly PriorityQueue<long, TimeSpan> _deadlines = new();
    private IActorRef _region = ActorRefs.Nobody;
    private IMaterializer? _materializer;
    private TimeSpan _locateInterval;
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
        var settings = ShardingSettings(Context.System);
        _locateInterval = settings.TuningParameters.RetryInterval;
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

    /// <summary>The system's sharding settings, without idle passivation. Why: requests reach a pool straight from each node's client, not
    /// through its shard, so the shard would see a busy pool as idle and stop it every <c>passivate-idle-entity-after</c> (a hand-over, and
    /// the host's connections closed and dialed again); a pool's connections go idle by <c>idle-conn-timeout</c> instead.</summary>
    internal static ClusterShardingSettings ShardingSettings(ActorSystem system)
    {
        ClusterSharding.Get(system);   // its reference configuration
        var sharding = ConfigurationFactory.ParseString("passivate-idle-entity-after = off")
            .WithFallback(system.Settings.Config.GetConfig("akka.cluster.sharding"));
        return ClusterShardingSettings.Create(sharding, system.Settings.Config.GetConfig(sharding.GetString("coordinator-singleton")));
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
        Receive<RespondedStreamed>(m =>
        {
            if (Settle(m.Id) is not { } o)
            {
                StreamRefBody.Cancel(m.Body, Materializer);
                return;
            }
            var body = new StreamRefBody(m.Body, Materializer, o.RoundTrip.Request, o.EntityId);
            var pool = Sender;
            if (!_bodies.TryGetValue(pool, out var bodies)) _bodies[pool] = bodies = [];
            bodies.Add(body);
            body.Ended.ContinueWith(_ => new BodyEnded(pool, body), TaskContinuationOptions.ExecuteSynchronously).PipeTo(Self);
            o.ReplyTo.Tell(m.Response.With(m.Response.Headers, body).With(o.RoundTrip.Request));
        });
        Receive<BodyEnded>(m =>
        {
            if (_bodies.TryGetValue(m.Pool, out var bodies) && bodies.Remove(m.Body) && bodies.Count == 0) _bodies.Remove(m.Pool);
        });
        Receive<Failed>(m =>
        {
            if (SettleFailed(m.Id) is { } o)
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
        Receive<Buffered>(Read);
        Receive<BodyStreaming>(StartSending);
        Receive<LocateAgain>(_ => LocateUnlocated());
        Receive<TransportActor.GetPoolStats>(_ => Sender.Tell(new Status.Failure(new NotSupportedException(
            "A cluster-wide pool's figures are on its node; this node has no pool of its own."))));
        Receive<TransportActor.CloseIdleConnections>(_ => { });
    }

    // STEPS

    private TimeSpan Now => _options.Clock is { } clock ? clock() : Context.System.Scheduler.MonotonicClock;

    // Runs this node's ends of the bodies that stream (request bodies out, response bodies in); its stages are this actor's descendants.
    private IMaterializer Materializer => _materializer ??= Context.Materializer(namePrefix: "bodies");

    private void Arrive(TransportActor.RoundTrip m, IActorRef replyTo)
    {
        ConnectionKey key;
        ClientRequest? sent;
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
        var o = new Outgoing(m, sent!, replyTo, ClusterPoolKey.EntityId(key), deadline);
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
        if (sent is not null)
        {
            Dispatch(o);
            return;
        }
        // A body read on demand (or too long for a message) is read here first, up to the limit, off this actor's turn; the deadline
        // runs meanwhile.
        ReadBodyAsync(m.Id, m.Request, _maxInlineBody).PipeTo(Self);
    }

    private void Read(Buffered m)
    {
        if (!_out.TryGetValue(m.Id, out var o))
        {
            // Cancelled or expired meanwhile: a body left half read stops (its source's end cancels the read of the content).
            m.Streamed?.RunWith(Sink.Cancelled<byte[]>(), Materializer);
            return;
        }
        if (m.Error is { } error)
        {
            Settle(m.Id);
            o.ReplyTo.Tell(new Status.Failure(error));
            return;
        }
        var request = o.RoundTrip.Request;
        if (m.Streamed is { } streamed)
        {
            // byte[] elements: Akka binds them to its byte-array serializer; a ByteString would travel as JSON.
            var (stop, bodyRef) = streamed
                .ViaMaterialized(KillSwitches.Single<byte[]>(), Keep.Right)
                .ToMaterialized(StreamRefs.SourceRef<byte[]>(), Keep.Both)
                .Run(Materializer);
            o.StopBody = stop;
            long id = m.Id;
            bodyRef.PipeTo(Self, success: r => new BodyStreaming(id, r, null), failure: e => new BodyStreaming(id, null, e));
            return;
        }
        o.Sent = request with { Content = RequestContent.FromBytes(m.Bytes!), Trace = null };
        Dispatch(o);
    }

    private void StartSending(BodyStreaming m)
    {
        if (!_out.TryGetValue(m.Id, out var o)) return;   // settled meanwhile, and its body stopped then
        if (m.Ref is not { } bodyRef)
        {
            SettleFailed(m.Id);
            o.ReplyTo.Tell(new Status.Failure(new HttpClientException(ClientErrorKind.RequestContent,
                $"The request body could not start streaming to the cluster-wide pool's node: {m.Error?.Message}. Nothing was sent.", o.RoundTrip.Request,
                innerException: m.Error)));
            return;
        }
        o.Sent = o.RoundTrip.Request with { Content = null, Trace = null };
        o.Body = bodyRef;
        Dispatch(o);
    }

    // To the pool when it is located; otherwise behind its location.
    private void Dispatch(Outgoing o)
    {
        if (!_targets.TryGetValue(o.EntityId, out var target)) _targets[o.EntityId] = target = new Target();
        if (target.Pool is { } pool)
        {
            o.Pool = pool;
            pool.Tell(o.Body is { } body
                ? new ClusterHostPool.SendStreamed(o.RoundTrip.Id, o.Sent!, o.RoundTrip.Request.Content!.Length, body)
                : new ClusterHostPool.Send(o.RoundTrip.Id, o.Sent!));
            return;
        }
        o.Pool = null;
        target.Waiting.Add(o.RoundTrip.Id);
        if (target.Locating) return;
        target.Locating = true;
        _region.Tell(new ShardingEnvelope(o.EntityId, ClusterHostPool.Locate.Instance));
        // A Locate can be lost: one forwarded to a region whose node was dying. Asked again at sharding's own retry-interval.
        if (!Timers.IsTimerActive(LocateTimer)) Timers.StartPeriodicTimer(LocateTimer, LocateAgain.Instance, _locateInterval);
    }

    private void LocateUnlocated()
    {
        var any = false;
        foreach (var (entityId, target) in _targets)
        {
            if (target is not { Pool: null, Locating: true }) continue;
            any = true;
            _region.Tell(new ShardingEnvelope(entityId, ClusterHostPool.Locate.Instance));
        }
        if (!any) Timers.Cancel(LocateTimer);
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
        if (_bodies.Remove(m.Pool, out var bodies))
            foreach (var body in bodies)
                body.Fail(new HttpClientException(ClientErrorKind.PoolNodeLost,
                    $"The node of the cluster-wide pool ({m.Pool.Path.Address}) was lost while a response body streamed from it.", body.Request, requestWritten: true));
        foreach (var o in _out.Values.Where(o => m.Pool.Equals(o.Pool)).ToArray())
        {
            SettleFailed(o.RoundTrip.Id);
            o.ReplyTo.Tell(new Status.Failure(new HttpClientException(ClientErrorKind.PoolNodeLost,
                m.NodeLost
                    ? $"The node of the cluster-wide pool of {o.EntityId} ({m.Pool.Path.Address}) was lost with the request; whether it was sent is unknown."
                    : $"The cluster-wide pool of {o.EntityId} stopped with the request; whether it was sent is unknown.",
                o.RoundTrip.Request, requestWritten: true)));
        }
    }

    private void CancelOne(long id)
    {
        if (SettleFailed(id) is not { } o) return;
        o.Pool?.Tell(new ClusterHostPool.Cancel(id));
        o.ReplyTo.Tell(new Status.Failure(new HttpClientException(ClientErrorKind.Canceled, "The request was cancelled.", o.RoundTrip.Request,
            requestWritten: o.Pool is not null)));
    }

    private Outgoing? Settle(long id) => _out.Remove(id, out var o) ? o : null;

    // A request that ends unanswered: a body still streaming to the pool's node stops too (its connection there is closed).
    private Outgoing? SettleFailed(long id)
    {
        if (Settle(id) is not { } o) return null;
        o.StopBody?.Abort(new OperationCanceledException("The request ended before its body was sent whole."));
        return o;
    }

    private void Expire()
    {
        _timerDue = null;
        var now = Now;
        while (_deadlines.TryPeek(out var id, out var due) && due <= now)
        {
            _deadlines.Dequeue();
            if (SettleFailed(id) is not { } o) continue;
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

    // What can cross nodes inline: a body in memory within the inline limit, no trace observer, no protocol switch. Null: the body is
    // read on demand, or is longer than the limit, and goes through ReadBodyAsync (inline if it turns out short, streamed otherwise).
    private static ClientRequest? Crossable(ClientRequest request, int maxInlineBody)
    {
        if (request.Headers.Contains("Upgrade"))
            throw new HttpClientException(ClientErrorKind.InvalidRequest,
                "A protocol upgrade keeps its connection as a stream on the pool's node: it cannot go through a cluster-wide pool. Nothing was sent.", request);
        if (request.Content is not (null or ByteArrayRequestContent)) return null;
        if (request.Content is ByteArrayRequestContent bytes && bytes.Bytes.Length > maxInlineBody) return null;
        return request.Trace is null ? request : request with { Trace = null };
    }

    // The body is copied into a pipe (64 KiB before the copy waits) and read from it up to the inline limit: a body that ends
    // within it travels inline; a longer one streams, as the bytes read so far and then the rest of the pipe, read only as the
    // stream is pulled. The copy runs until the body ends, or until the stream stops (its end cancels the copy).
    private static async Task<Buffered> ReadBodyAsync(long id, ClientRequest request, int maxInlineBody)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: StreamedChunk, resumeWriterThreshold: StreamedChunk / 2, useSynchronizationContext: false));
        var stop = new CancellationTokenSource();
        _ = CopyAsync(request, pipe.Writer, stop.Token);
        var read = new ArrayBufferWriter<byte>(Math.Min(maxInlineBody + 1, StreamedChunk));
        try
        {
            while (true)
            {
                var result = await pipe.Reader.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                long take = Math.Min(buffer.Length, maxInlineBody + 1L - read.WrittenCount);
                foreach (var segment in buffer.Slice(0, take)) read.Write(segment.Span);
                pipe.Reader.AdvanceTo(buffer.GetPosition(take));
                if (read.WrittenCount > maxInlineBody)
                    return new Buffered(id, null, Source.Single(read.WrittenSpan.ToArray()).Concat(Rest(pipe.Reader, stop)), null);
                if (result.IsCompleted && take == buffer.Length)
                {
                    await pipe.Reader.CompleteAsync().ConfigureAwait(false);
                    return new Buffered(id, read.WrittenSpan.ToArray(), null, null);
                }
            }
        }
        catch (Exception e)
        {
            await stop.CancelAsync().ConfigureAwait(false);
            return new Buffered(id, null, null, e as HttpClientException
                ?? new HttpClientException(ClientErrorKind.RequestContent, $"Reading the request body failed: {e.Message}. Nothing was sent.", request, innerException: e));
        }
    }

    // Largest element of a streamed request body, and the pipe's read-ahead.
    private const int StreamedChunk = 64 * 1024;

    private static async Task CopyAsync(ClientRequest request, PipeWriter writer, CancellationToken ct)
    {
        try
        {
            await request.Content!.CopyToAsync(writer, ct).ConfigureAwait(false);
            await writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await writer.CompleteAsync(e).ConfigureAwait(false);
        }
    }

    // The rest of a body, one element of at most StreamedChunk bytes per pull. Its end, however it ends, stops the copy.
    private static Source<byte[], NotUsed> Rest(PipeReader reader, CancellationTokenSource stop) =>
        Source.UnfoldAsync<PipeReader, byte[]>(reader, async r =>
            {
                var result = await r.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                if (buffer.IsEmpty && result.IsCompleted) return Option<(PipeReader, byte[])>.None;
                var bytes = buffer.Slice(0, Math.Min(buffer.Length, StreamedChunk)).ToArray();
                r.AdvanceTo(buffer.GetPosition(bytes.Length));
                return (r, bytes);
            })
            .WatchTermination((_, done) =>
            {
                done.ContinueWith(_ => stop.Cancel(), TaskContinuationOptions.ExecuteSynchronously);
                return NotUsed.Instance;
            });

    // Every message through the region is a ShardingEnvelope, which the base class unwraps itself (AK2001): nothing else is routed.
    private sealed class Extractor(int shards) : HashCodeMessageExtractor(shards)
    {
        public override string EntityId(object message) => null!;
    }
}
