using System.Collections.Concurrent;
using ActorHttp.Kernel;

namespace ActorHttp.Client.Transport;

/// <summary>
/// The actor transport for async code: an <see cref="IRoundTripper"/> that asks a <see cref="TransportActor"/>,
/// so <c>new ActorHttpClient(transport, options)</c> and <c>new HttpClient(new ActorHttpHandler(transport, options))</c>
/// run on actors. Disposing it stops the transport actor and with it every connection.
/// </summary>
public sealed class ActorTransport : IRoundTripper, IAsyncDisposable
{
    private readonly ActorSystem _system;

    // Pool actors by key, learnt once from the transport actor: requests then skip the transport's mailbox.
    // A pool lives as long as the transport, so an entry never goes stale while this object is in use.
    private readonly ConcurrentDictionary<ConnectionKey, Task<IActorRef>> _pools = new();

    private ActorTransport(ActorSystem system, IActorRef actor)
    {
        _system = system;
        Actor = actor;
    }

    /// <summary>The transport actor; tell it requests from actors.</summary>
    public IActorRef Actor { get; }

    /// <summary>Starts a transport actor under <paramref name="system"/>'s user guardian.</summary>
    /// <param name="system">The actor system to run in.</param>
    /// <param name="settings">Client settings (<see cref="ClientSettings.Load"/>).</param>
    /// <param name="options">Code-only seams; null = the defaults.</param>
    /// <param name="name">The actor's name; null = a generated one.</param>
    public static ActorTransport Create(ActorSystem system, ClientSettings settings, TransportOptions? options = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(settings);
        return new ActorTransport(system, system.ActorOf(TransportActor.Props(settings, options), name));
    }

    /// <inheritdoc />
    public async Task<ClientResponse> RoundTripAsync(ClientRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ct.ThrowIfCancellationRequested();
        var id = TransportActor.NextId();
        var key = ConnectionKey.Of(request.Uri);
        // The caller's token (the client's deadline included) bounds the wait; the pool's own deadline
        // (request-timeout) bounds it for callers that pass none.
        var pools = _pools.GetOrAdd(key, static (k, actor) => actor.Ask<IActorRef>(new TransportActor.GetPool(k)), Actor);
        var pool = pools.IsCompletedSuccessfully ? pools.Result : await AwaitPool(key, pools).ConfigureAwait(false);
        var ask = pool.Ask<ClientResponse>(new TransportActor.RoundTrip(request, id), Timeout.InfiniteTimeSpan, ct);
        try
        {
            return await ask.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            pool.Tell(new TransportActor.CancelRoundTrip(key, id), ActorRefs.NoSender);
            // A response that arrives after the caller gave up goes to dead letters; its connection is closed by the abort.
            throw;
        }
    }

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
        _system.Stop(Actor);
        return ValueTask.CompletedTask;
    }
}
