using Akka;
using Akka.Actor;
using Akka.Streams.Dsl;

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

    /// <summary>
    /// A route answered by the actor <paramref name="actor"/> with a <see cref="ActorHandler.HandleStrictRequest"/>, the
    /// request as a message that crosses nodes (see <see cref="ActorHandler.StrictRoute"/>); with
    /// <paramref name="entityId"/>, wrapped in a <see cref="ShardedHttpRequest"/> for a shard region.
    /// </summary>
    internal Route(IActorRef actor, Func<ServerRequest, string?>? entityId, long? maxRequestBodySize)
    {
        ArgumentNullException.ThrowIfNull(actor);
        Actor = actor;
        Strict = true;
        EntityId = entityId;
        MaxRequestBodySize = maxRequestBodySize;
    }

    /// <summary>
    /// A route answered by the stream <paramref name="flow"/> (Akka HTTP's <c>bindFlow</c>): one response per request, in
    /// request order. Each connection materializes it once, on its first request for this route, and tears it down when it
    /// closes (see <see cref="ServeMux.HandleFlow"/>).
    /// </summary>
    /// <param name="flow">The handler flow: exactly one response per request, in order.</param>
    /// <param name="maxRequestBodySize">This route's request body limit in bytes (0 = unlimited); null takes <c>request-body.max-size</c>.</param>
    public Route(Flow<ServerRequest, ServerResponse, NotUsed> flow, long? maxRequestBodySize = null)
    {
        ArgumentNullException.ThrowIfNull(flow);
        Flow = flow;
        MaxRequestBodySize = maxRequestBodySize;
    }

    /// <summary>The handler delegate; null when an actor or a flow answers.</summary>
    public HandlerFunc? Handler { get; }

    /// <summary>The handler actor; null when a delegate or a flow answers.</summary>
    public IActorRef? Actor { get; }

    /// <summary>The handler flow, materialized once per connection; null when a delegate or an actor answers.</summary>
    public Flow<ServerRequest, ServerResponse, NotUsed>? Flow { get; }

    /// <summary>
    /// True when <see cref="Actor"/> is told a <see cref="ActorHandler.HandleStrictRequest"/> (the body read first when it is
    /// at most <c>actorhttp.cluster.max-inline-body</c>, streamed through a stream ref when larger) rather than a
    /// <see cref="ActorHandler.HandleRequest"/>.
    /// </summary>
    public bool Strict { get; }

    /// <summary>For a shard region: the entity id of a request, which wraps it in a <see cref="ShardedHttpRequest"/>; null otherwise.</summary>
    public Func<ServerRequest, string?>? EntityId { get; }

    /// <summary>This route's request body limit in bytes (0 = unlimited); null takes <c>request-body.max-size</c>.</summary>
    public long? MaxRequestBodySize { get; }
}
