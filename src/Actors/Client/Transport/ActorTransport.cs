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
        var ask = Actor.Ask<ClientResponse>(new TransportActor.RoundTrip(request, id), Timeout.InfiniteTimeSpan, ct);
        try
        {
            return await ask.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Actor.Tell(new TransportActor.CancelRoundTrip(key, id), ActorRefs.NoSender);
            // A response that arrives after the caller gave up goes to dead letters; its connection is closed by the abort.
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
