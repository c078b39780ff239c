using Akka.Actor;

namespace ActorHttp.Server;

/// <summary>What the router holds for one pattern: who answers matching requests (a handler delegate or an actor), and per-route limits.</summary>
public sealed record Route
{
    /// <summary>A route answered by <paramref name="handler"/>, run by the connection actor.</summary>
    /// <param name="handler">The handler delegate.</param>
    /// <param name="maxRequestBodySize">This route's request body limit in bytes (0 = unlimited); null takes <c>request-body.max-size</c>.</param>
    public Route(HandlerFunc handler, long? maxRequestBodySize = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Handler = handler;
        MaxRequestBodySize = maxRequestBodySize;
    }

    /// <summary>A route answered by the actor <paramref name="actor"/> (see <see cref="ActorHandler"/>).</summary>
    /// <param name="actor">The actor told an <see cref="ActorHandler.HandleRequest"/> per request.</param>
    /// <param name="maxRequestBodySize">This route's request body limit in bytes (0 = unlimited); null takes <c>request-body.max-size</c>.</param>
    public Route(IActorRef actor, long? maxRequestBodySize = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        Actor = actor;
        MaxRequestBodySize = maxRequestBodySize;
    }

    /// <summary>The handler delegate; null when an actor answers.</summary>
    public HandlerFunc? Handler { get; }

    /// <summary>The handler actor; null when a delegate answers.</summary>
    public IActorRef? Actor { get; }

    /// <summary>This route's request body limit in bytes (0 = unlimited); null takes <c>request-body.max-size</c>.</summary>
    public long? MaxRequestBodySize { get; }
}
