using System.Collections.Concurrent;
using ActorHttp.Client.Proxy;
using ActorHttp.Dispatch;
using Akka.Dispatch;
using Akka.Actor;

namespace ActorHttp.Client.Transport;

/// <summary>
/// The actor transport for async code: an <see cref="IRoundTripper"/> that asks a <see cref="TransportActor"/>,
/// so <c>new ActorHttpClient(transport, options)</c> and <c>new HttpClient(new ActorHttpHandler(transport, options))</c>
/// run on actors. Disposing it stops the transport actor and with it every connection.
/// </summary>
public sealed class ActorTransport : IRoundTripper, IAsyncDisposable
{
    private readonly ActorSystem _system;
    private readonly ProxyResolver _proxies;
    private readonly ClientSettings _settings;
    private readonly TransportOptions _options;
    private readonly EventLoopDispatchers? _loops;

    // Pool actors by key, learnt once from the transport actor: requests then skip the transport's mailbox.
    // A pool lives as long as the transport, so an entry never goes stale while this object is in use.
    private readonly ConcurrentDictionary<ConnectionKey, Task<IActorRef>> _pools = new();

    // Set by DisposeAsync before the actor is stopped: a call from then on fails at once, typed, instead of telling a
    // pool that is stopping (its request would go to dead letters and its caller wait out its deadline).
    private volatile bool _stopped;

    private ActorTransport(ActorSystem system, IActorRef actor, ProxyResolver proxies, ClientSettings settings, TransportOptions options)
    {
        _system = system;
        _proxies = proxies;
        _settings = settings;
        _options = options;
        _loops = settings.EpollEventLoop ? Http.Get(system).Loops : null;
        Actor = actor;
    }

    /// <summary>The transport actor; tell it requests from actors.</summary>
    public IActorRef Actor { get; }

    /// <summary>The settings the transport runs with (its pools' limits: the Streams pool flows size their demand by them).</summary>
    public ClientSettings Settings => _settings;

    /// <summary>Starts a transport actor under <paramref name="system"/>'s user guardian.</summary>
    /// <param name="system">The actor system to run in.</param>
    /// <param name="settings">Client settings (<see cref="ClientSettings.Load"/>).</param>
    /// <param name="options">Code-only seams; null = the defaults.</param>
    /// <param name="name">The actor's name; null = a generated one.</param>
    public static ActorTransport Create(ActorSystem system, ClientSettings settings, TransportOptions? options = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(settings);
        Http.Get(system);   // the reference configuration and the event loops
        options ??= new TransportOptions();
        var proxies = ProxyResolver.For(settings, options);
        return new ActorTransport(system, system.ActorOf(TransportActor.Props(settings, options, proxies), name), proxies, settings, options);
    }

    /// <inheritdoc />
    public Task<ClientResponse> RoundTripAsync(ClientRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (ct.IsCancellationRequested) return Task.FromCanceled<ClientResponse>(ct);
        if (Stopped) return Task.FromException<ClientResponse>(TransportStopped.Error(request));
        ConnectionKey key;
        try
        {
            key = _proxies.KeyFor(request);
        }
        catch (HttpClientException e)
        {
            return Task.FromException<ClientResponse>(e);
        }
        // Not an async method: once the pool is known (every request but a host's first), the caller's task is the
        // promise's own, with no state machine around it.
        var pools = _pools.GetOrAdd(key, static (k, actor) => actor.Ask<IActorRef>(new TransportActor.GetPool(k)), Actor);
        return pools.IsCompletedSuccessfully ? Send(pools.Result, key, request, ct) : SendWhenKnownAsync(pools, key, request, ct);
    }

    /// <summary>
    /// The pool actor of <paramref name="request"/>'s host (Go's connection key), made if needed. An actor that sends many requests
    /// tells it <see cref="TransportActor.RoundTrip"/>s directly, skipping the transport actor's mailbox; a pool lives as long as
    /// its transport. Replies go to the sender: a <see cref="ClientResponse"/> or a <see cref="Status.Failure"/>.
    /// </summary>
    /// <exception cref="HttpClientException">No pool can serve the request (its URL, or the proxy chosen for it, is unusable).</exception>
    public Task<IActorRef> PoolAsync(ClientRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = _proxies.KeyFor(request);
        return AwaitPool(key, _pools.GetOrAdd(key, static (k, actor) => actor.Ask<IActorRef>(new TransportActor.GetPool(k)), Actor));
    }

    /// <summary>
    /// The Akka dispatcher that runs the pool and the connections of <paramref name="request"/>'s host: one of the event loops for a
    /// plain-HTTP host (<c>epoll-event-loop</c>), Akka's default dispatcher otherwise. An actor made with
    /// <c>Props.WithDispatcher(PoolDispatcher(request))</c> that tells that host's pool its requests runs on the same thread as the
    /// pool and the connections: a request and its response cross no thread (see <see cref="PoolPlacement"/>). Such an actor must not
    /// block in its turns, since every socket of the loop waits meanwhile.
    /// </summary>
    /// <exception cref="HttpClientException">The request's URL, or the proxy chosen for it, is unusable.</exception>
    public string PoolDispatcher(ClientRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return PoolPlacement.For(_proxies.KeyFor(request), _settings, _options, _loops)?.DispatcherId ?? Dispatchers.DefaultDispatcherId;
    }

    // The caller's token (the client's deadline included) bounds the wait; the pool's own deadline
    // (request-timeout) bounds it for callers that pass none.
    private Task<ClientResponse> Send(IActorRef pool, ConnectionKey key, ClientRequest request, CancellationToken ct)
    {
        var id = TransportActor.NextId();
        var promise = new CallerPromise(((ExtendedActorSystem)_system).Provider);
        promise.CancelWith(ct, pool, key, id);
        // Outside an actor, the pool's turn (and the connection's after it: the head is written) runs on this thread
        // when the pool is idle, instead of waking a thread-pool worker for it; the reply resumes this caller on the
        // thread that read the response (see CallerPromise).
        pool.Tell(new TransportActor.RoundTrip(request, id) { ReplyTo = promise }, ActorRefs.NoSender);
        // A pool found terminated after the tell (its transport was stopped some other way than DisposeAsync, or while this
        // call was under way) answered every request it had taken before it ended, so a promise still open was dropped.
        if (IsGone(pool)) promise.TryFail(TransportStopped.Error(request));
        return promise.Task;
    }

    // Stopped by DisposeAsync, or by whoever stopped the actor (its parent, the system).
    private bool Stopped => _stopped || IsGone(Actor);

    // IsTerminated is obsolete for actors, which watch instead; this is no actor, and the mailbox's state read at the moment
    // of the call is what is needed here, where a death watch would report only later.
#pragma warning disable CS0618
    private static bool IsGone(IActorRef actor) => actor is IInternalActorRef { IsTerminated: true };
#pragma warning restore CS0618

    private async Task<ClientResponse> SendWhenKnownAsync(Task<IActorRef> pools, ConnectionKey key, ClientRequest request, CancellationToken ct) =>
        await Send(await AwaitPool(key, pools).ConfigureAwait(false), key, request, ct).ConfigureAwait(false);

    private async Task<IActorRef> AwaitPool(ConnectionKey key, Task<IActorRef> pool)
    {
        try
        {
            return await pool.ConfigureAwait(false);
        }
        catch
        {
            // An ask that failed (the transport was busy past the ask timeout) is not remembered.
            _pools.TryRemove(KeyValuePair.Create(key, pool));
            throw;
        }
    }

    /// <summary>The pool figures of every host.</summary>
    public Task<TransportActor.PoolStatsSnapshot> GetPoolStatsAsync(CancellationToken ct = default) =>
        Actor.Ask<TransportActor.PoolStatsSnapshot>(TransportActor.GetPoolStats.Instance, null, ct);

    /// <summary>Closes every idle connection.</summary>
    public void CloseIdleConnections() => Actor.Tell(TransportActor.CloseIdleConnections.Instance, ActorRefs.NoSender);

    /// <summary>Stops the transport actor and every connection under it.</summary>
    public ValueTask DisposeAsync()
    {
        _stopped = true;
        _system.Stop(Actor);
        return ValueTask.CompletedTask;
    }
}
