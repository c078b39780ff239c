using ActorHttp.Client.Proxy;
using ActorHttp.Client.Transport;
using ActorHttp.Streams;
using Akka;
using Akka.Actor;
using Akka.Event;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace ActorHttp.Client.Cluster;

/// <summary>
/// A cluster-wide host pool: the Cluster Sharding entity of one connection key (<c>actorhttp.client.cluster-pools = on</c>). It runs
/// an ordinary <see cref="HostPoolActor"/> as its child, so the one pool of that host in the whole cluster keeps Go's rules
/// (max-conns-per-host, the idle stack, the queue of waiting requests), and it speaks to the <see cref="ClusterPoolClient"/> of every
/// node by messages that cross nodes: requests in, strict responses out.
/// </summary>
/// <remarks>
/// <para><b>Bodies.</b> A response's body is read here up to <c>actorhttp.cluster.max-inline-body</c>. One that ends within it
/// leaves for the caller's node whole, in <see cref="ClusterPoolClient.Responded"/> (the connection is back in the pool by then).
/// A longer one streams: the caller gets <see cref="ClusterPoolClient.RespondedStreamed"/>, the head and an Akka.Streams stream ref
/// of the body (the bytes read so far, then the rest, pulled from the connection only as the caller reads, so nothing here holds
/// more than the ref's buffer). The connection goes back to the pool when the body ends; a caller that gives up early cancels the
/// ref, and the connection is closed, not reused. Trailers of a streamed body do not travel. A request body above the limit
/// arrives the same way (<see cref="SendStreamed"/>): its stream ref is pulled only as the connection writes it, and such a
/// request is never sent again on another connection once it started (its content is not replayable).</para>
/// <para><b>Hand-over.</b> When sharding moves the shard (a graceful leave, a rebalance) or passivates the pool, it tells
/// <see cref="HandOff"/>. The pool then gives back the requests still waiting for a connection (<see cref="HostPoolActor.ReleaseWaiting"/>),
/// each to its client as <see cref="ClusterPoolClient.Requeue"/>: nothing of them was written, so the client sends them to the pool's
/// new home. Requests arriving meanwhile go back the same way. Exchanges already running finish and are answered; then the pool tells
/// every client that located it <see cref="ClusterPoolClient.Stopped"/>, its last message, and stops (its idle connections close with
/// it). A request that reached it after that was never received, and its client sends it again.</para>
/// <para><b>Ownership.</b> Every field is this actor's. Its child pool's replies come back through a <see cref="Collector"/> per request,
/// which only tells this actor.</para>
/// </remarks>
public sealed class ClusterHostPool : ReceiveActor
{
    /// <summary>Query from a client: answer <see cref="ClusterPoolClient.Located"/>, so that the client sends this pool its requests
    /// directly and learns of its end by death watch.</summary>
    public sealed record Locate : IClusterPoolMessage
    {
        /// <summary>The one instance.</summary>
        public static readonly Locate Instance = new();

        private Locate() { }
    }

    /// <summary>Command from a client: run <paramref name="Request"/>, whose id on the client's node is <paramref name="Id"/>. The reply goes
    /// to the sender: <see cref="ClusterPoolClient.Responded"/>, <see cref="ClusterPoolClient.Failed"/> or <see cref="ClusterPoolClient.Requeue"/>.</summary>
    public sealed record Send(long Id, ClientRequest Request) : IClusterPoolMessage;

    /// <summary>Command from a client: run <paramref name="Request"/> (its head: no content) with the body that streams from
    /// <paramref name="Body"/>, of <paramref name="Length"/> bytes (null: unknown, sent chunked); otherwise as <see cref="Send"/>.
    /// For a body above <c>actorhttp.cluster.max-inline-body</c>, or one read on demand that turned out longer.</summary>
    public sealed record SendStreamed(long Id, ClientRequest Request, long? Length, ISourceRef<byte[]> Body) : IClusterPoolMessage;

    /// <summary>Command from a client: its caller gave up on request <paramref name="Id"/>.</summary>
    public sealed record Cancel(long Id) : IClusterPoolMessage;

    /// <summary>Sharding's stop message (hand-over and passivation): finish and stop, see the remarks. Never crosses nodes.</summary>
    public sealed record HandOff
    {
        /// <summary>The one instance.</summary>
        public static readonly HandOff Instance = new();

        private HandOff() { }
    }

    /// <summary>Event on the node's event stream: the pool of <paramref name="EntityId"/> began handing over (its waiting requests are
    /// given back; <paramref name="Held"/> requests were held then, waiting or running). For monitoring and tests.</summary>
    public sealed record HandingOver(string EntityId, int Held);

    // What the child pool told a request's collector: a ClientResponse, a Status.Failure or HostPoolActor.Released.
    private sealed record Answered(long LocalId, object Answer);

    // A response whose body has been read whole (Response), or whose body streams (Response, with the bytes read so far in
    // Prefix), or the failure that ended it (Error).
    private sealed record BodyRead(long LocalId, ClientResponse? Response, byte[]? Prefix, HttpClientException? Error);

    // The stream ref of a response body that streams (Ref), or why it could not start (Error); Client and Id say whose it is.
    private sealed record Streaming(IActorRef Client, long Id, ClientResponse Response, ISourceRef<byte[]>? Ref, Exception? Error);

    // A streamed response body ended (read to its end, cancelled or failed).
    private sealed record BodyStreamed
    {
        public static readonly BodyStreamed Instance = new();
    }

    // A request this pool holds, from its Send to its answer: who sent it, under which id.
    private sealed record Held(IActorRef Client, long Id, ClientRequest Request);

    private readonly string _entityId;
    private readonly Func<ConnectionKey, Props> _poolProps;
    private readonly ProxyResolver _proxies;
    private readonly int _maxInlineBody;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    private readonly Dictionary<long, Held> _held = new();                    // by local round-trip id
    private readonly Dictionary<(IActorRef Client, long Id), long> _local = new();  // client's id → local id
    private readonly HashSet<IActorRef> _clients = new();                      // told Located: each is told Stopped at the end
    private IActorRef? _pool;
    private ConnectionKey _key;
    private int _streaming;   // response bodies streaming to callers: their connections are this pool's, so hand-over waits for them
    private IMaterializer? _materializer;

    /// <summary>The pool of entity <paramref name="entityId"/> (<see cref="ClusterPoolKey.EntityId"/>).</summary>
    /// <param name="entityId">The entity id: the connection key as text.</param>
    /// <param name="poolProps">Makes the <see cref="HostPoolActor"/> of a key, with this node's settings.</param>
    /// <param name="proxies">This node's proxy settings, which rebuild the key from the first request.</param>
    /// <param name="maxInlineBody">Largest response body sent back inline (<c>actorhttp.cluster.max-inline-body</c>); a longer one streams.</param>
    internal ClusterHostPool(string entityId, Func<ConnectionKey, Props> poolProps, ProxyResolver proxies, int maxInlineBody)
    {
        _entityId = entityId;
        _poolProps = poolProps;
        _proxies = proxies;
        _maxInlineBody = maxInlineBody;
        Become(Serving);
    }

    internal static Props Props(string entityId, Func<ConnectionKey, Props> poolProps, ProxyResolver proxies, int maxInlineBody) =>
        StateProps.Create(static s => new ClusterHostPool(s.entityId, s.poolProps, s.proxies, s.maxInlineBody), (entityId, poolProps, proxies, maxInlineBody));

    // The child pool is not restarted: a pool that threw has lost its requests' state. This entity stops with it (see PoolGone),
    // and the next request starts a new one.
    /// <inheritdoc />
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    // STATES

    private void Serving()
    {
        Receive<Locate>(_ => Introduce(Sender));
        Receive<Send>(m => Run(Sender, m.Id, m.Request));
        Receive<SendStreamed>(m => Run(Sender, m.Id, Streamed(m)));
        Receive<Cancel>(m => CancelOne(Sender, m.Id));
        Receive<Answered>(Answer);
        Receive<BodyRead>(Deliver);
        Receive<Streaming>(AnswerStreamed);
        Receive<BodyStreamed>(_ => _streaming--);
        Receive<HandOff>(_ =>
        {
            Become(Leaving);
            // Told before the event is published: the pool gives its waiting requests back before anything that follows.
            _pool?.Tell(HostPoolActor.ReleaseWaiting.Instance);
            Context.System.EventStream.Publish(new HandingOver(_entityId, _held.Count));
            StopWhenDone();
        });
        Receive<Terminated>(m => PoolGone(m.ActorRef));
    }

    private void Leaving()
    {
        // A client that locates this pool now hears Stopped at the end, and locates the new one then.
        Receive<Locate>(_ => _clients.Add(Sender));
        Receive<Send>(m => Sender.Tell(new ClusterPoolClient.Requeue(m.Id)));
        Receive<SendStreamed>(m => Sender.Tell(new ClusterPoolClient.Requeue(m.Id)));
        Receive<Cancel>(m => CancelOne(Sender, m.Id));
        Receive<Answered>(m =>
        {
            Answer(m);
            StopWhenDone();
        });
        Receive<BodyRead>(m =>
        {
            Deliver(m);
            StopWhenDone();
        });
        Receive<Streaming>(AnswerStreamed);
        Receive<BodyStreamed>(_ =>
        {
            _streaming--;
            StopWhenDone();
        });
        Receive<HandOff>(_ => { });
        Receive<Terminated>(m => PoolGone(m.ActorRef));
    }

    // STEPS

    private void Introduce(IActorRef client)
    {
        _clients.Add(client);
        client.Tell(new ClusterPoolClient.Located(_entityId));
    }

    private IMaterializer Materializer => _materializer ??= Context.Materializer(namePrefix: "bodies");

    // The request with its body pulled from the client's node as the connection writes it; not replayable, so never sent twice.
    private ClientRequest Streamed(SendStreamed m) =>
        m.Request with { Content = SourceRequestContent.Create(m.Body.Source.Select(static b => ByteString.FromBytes(b)), Materializer, m.Length) };

    private void Run(IActorRef client, long id, ClientRequest request)
    {
        if (_pool is null && !StartPool(client, id, request)) return;
        // Ids are the client's: two clients may use the same one, so the child gets a fresh one.
        long local = TransportActor.NextId();
        if (!_local.TryAdd((client, id), local))
        {
            client.Tell(new ClusterPoolClient.Failed(id, ClientErrorKind.InvalidRequest, $"Request id {id} is already in flight.", false));
            return;
        }
        _held[local] = new Held(client, id, request);
        _pool!.Tell(new TransportActor.RoundTrip(request, local) { ReplyTo = new Collector(Self, local, Context.System) });
    }

    // The key comes from the first request, through this node's proxy settings: the entity id leaves credentials out.
    private bool StartPool(IActorRef client, long id, ClientRequest request)
    {
        try
        {
            _key = _proxies.KeyFor(request);
        }
        catch (HttpClientException e)
        {
            client.Tell(new ClusterPoolClient.Failed(id, e.Kind, e.Message, false));
            return false;
        }
        if (ClusterPoolKey.EntityId(_key) != _entityId)
        {
            client.Tell(new ClusterPoolClient.Failed(id, ClientErrorKind.InvalidProxy,
                $"The node of the cluster-wide pool {_entityId} chose the pool {ClusterPoolKey.EntityId(_key)} for {request.Uri}: nodes must share their proxy settings.", false));
            return false;
        }
        _pool = Context.ActorOf(_poolProps(_key), "pool");
        Context.Watch(_pool);
        return true;
    }

    private void CancelOne(IActorRef client, long id)
    {
        if (_pool is not null && _local.TryGetValue((client, id), out var local))
            _pool.Tell(new TransportActor.CancelRoundTrip(_key, local));
    }

    private void Answer(Answered m)
    {
        if (!_held.TryGetValue(m.LocalId, out var held)) return;
        switch (m.Answer)
        {
            case ClientResponse response:
                ReadWholeAsync(m.LocalId, response, _maxInlineBody).PipeTo(Self);
                break;
            case Status.Failure { Cause: HttpClientException e }:
                Forget(m.LocalId, held);
                held.Client.Tell(new ClusterPoolClient.Failed(held.Id, e.Kind, e.Message, e.RequestWritten));
                break;
            case Status.Failure f:
                Forget(m.LocalId, held);
                held.Client.Tell(new ClusterPoolClient.Failed(held.Id, ClientErrorKind.ConnectionReset, f.Cause?.Message ?? "The request failed.", true));
                break;
            case HostPoolActor.Released:
                Forget(m.LocalId, held);
                held.Client.Tell(new ClusterPoolClient.Requeue(held.Id));
                break;
        }
    }

    private void Deliver(BodyRead m)
    {
        if (!_held.TryGetValue(m.LocalId, out var held))
        {
            // Cancelled while its body was read: nobody will read the rest.
            if (m.Response is { } unread) ClientResponseStreams.Abort(unread);
            return;
        }
        Forget(m.LocalId, held);
        if (m.Prefix is { } prefix) StartStreaming(held, m.Response!, prefix);
        else if (m.Response is { } response) held.Client.Tell(new ClusterPoolClient.Responded(held.Id, response));
        else held.Client.Tell(new ClusterPoolClient.Failed(held.Id, m.Error!.Kind, m.Error.Message, m.Error.RequestWritten));
    }

    // The body's bytes read so far, then the rest from the connection, into a stream ref on this entity's materializer (its stages
    // are this actor's descendants). Pulled only as the caller reads: read to the end, the body gives its connection back to the pool;
    // cancelled (the caller gave up, or never subscribed within the ref's subscription-timeout), it closes the connection.
    private void StartStreaming(Held held, ClientResponse response, byte[] prefix)
    {
        _streaming++;
        // byte[] elements: Akka binds them to its byte-array serializer; a ByteString would travel as JSON.
        var (done, bodyRef) = Source.Single(prefix)
            .Concat(response.DataBytes().Select(static b => b.ToArray()))
            .WatchTermination(Keep.Right)
            .ToMaterialized(StreamRefs.SourceRef<byte[]>(), Keep.Both)
            .Run(Materializer);
        done.ContinueWith(static _ => BodyStreamed.Instance, TaskContinuationOptions.ExecuteSynchronously).PipeTo(Self);
        var (client, id) = (held.Client, held.Id);
        bodyRef.PipeTo(Self, success: r => new Streaming(client, id, response, r, null), failure: e => new Streaming(client, id, response, null, e));
    }

    private void AnswerStreamed(Streaming m)
    {
        if (m.Ref is { } bodyRef)
        {
            m.Client.Tell(new ClusterPoolClient.RespondedStreamed(m.Id, m.Response, bodyRef));
            return;
        }
        ClientResponseStreams.Abort(m.Response);
        m.Client.Tell(new ClusterPoolClient.Failed(m.Id, ClientErrorKind.ConnectionReset,
            $"The response body could not start streaming to the caller's node: {m.Error?.Message}", true));
    }

    private void Forget(long local, Held held)
    {
        _held.Remove(local);
        _local.Remove((held.Client, held.Id));
    }

    private void StopWhenDone()
    {
        if (_held.Count > 0 || _streaming > 0) return;
        foreach (var client in _clients) client.Tell(new ClusterPoolClient.Stopped(_entityId));
        Context.Stop(Self);
    }

    // The child pool stopped, which only a failure does while this entity lives: what it held is lost, and whether it was written unknown.
    private void PoolGone(IActorRef pool)
    {
        if (!pool.Equals(_pool)) return;
        _log.Warning("The pool of {0} stopped; failing the {1} requests it held.", _entityId, _held.Count);
        foreach (var held in _held.Values)
            held.Client.Tell(new ClusterPoolClient.Failed(held.Id, ClientErrorKind.ConnectionReset, $"The pool of {_entityId} failed.", true));
        _held.Clear();
        _local.Clear();
        foreach (var client in _clients) client.Tell(new ClusterPoolClient.Stopped(_entityId));
        Context.Stop(Self);
    }

    // The body is read here, on the pool's node, into memory, up to the inline limit: a body that ends within it crosses whole.
    // A longer one (declared or read) streams, starting with the bytes read here; reading them first is also the body's
    // subscription (response-entity-subscription-timeout), so the caller's node may take its time to start pulling the rest.
    private static async Task<BodyRead> ReadWholeAsync(long local, ClientResponse response, int limit)
    {
        try
        {
            var buffer = new MemoryStream();
            var chunk = new byte[Math.Min(16 * 1024, limit + 1)];
            int read;
            while ((read = await response.Body.ReadAsync(chunk).ConfigureAwait(false)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > limit) return new BodyRead(local, response, buffer.ToArray(), null);
            }
            var trailers = response.Trailers;
            await response.DisposeAsync().ConfigureAwait(false);
            buffer.Position = 0;
            return new BodyRead(local, new ClientResponse(response.Request, response.StatusCode, response.ReasonPhrase, response.Version,
                response.Headers, buffer, response.Informational, trailers.Count == 0 ? null : () => trailers), null, null);
        }
        catch (Exception e)
        {
            await response.DisposeAsync().ConfigureAwait(false);
            return new BodyRead(local, null, null, e as HttpClientException ?? (e.InnerException as HttpClientException)
                ?? new HttpClientException(ClientErrorKind.ConnectionReset, $"Reading the response body failed: {e.Message}", response.Request, true, e));
        }
    }

    /// <summary>The reply target of one request given to the child pool: it tells this entity what came back, with the request's local id.</summary>
    /// <remarks>A minimal reference, not an actor per request (see <see cref="CallerPromise"/> for the costs); it lives on this node only,
    /// as does the child pool that replies to it.</remarks>
    private sealed class Collector(IActorRef entity, long local, ActorSystem system) : MinimalActorRef
    {
        private ActorPath? _path;

        public override ActorPath Path => _path ??= Provider.TempPath();

        public override IActorRefProvider Provider => ((ExtendedActorSystem)system).Provider;

        protected override void TellInternal(object message, IActorRef sender) => entity.Tell(new Answered(local, message), ActorRefs.NoSender);
    }
}
