namespace ActorHttp.Server;

/// <summary>
/// A request for an entity behind a shard region: the entity id the route took from the request, and the request as
/// a message that crosses nodes. What a route made with <see cref="ActorHandler.ShardedRoute"/> tells the region.
/// </summary>
/// <remarks>
/// <para>ActorHttp does not depend on Akka.Cluster.Sharding: the envelope is plain, and the region's message
/// extractor reads it, giving <see cref="EntityId"/> as the entity id and <see cref="Request"/> as the message the
/// entity gets (which it answers with <see cref="ActorHandler.HandleStrictRequest.Respond"/>, straight to the
/// connection):</para>
/// <code>
/// sealed class HttpExtractor : HashCodeMessageExtractor
/// {
///     public HttpExtractor() : base(maxNumberOfShards: 100) { }
///     public override string EntityId(object message) => (message as ShardedHttpRequest)?.EntityId!;
///     public override object EntityMessage(object message) => (message as ShardedHttpRequest)?.Request ?? message;
/// }
/// </code>
/// <para>It serializes with <see cref="Cluster.HttpWireSerializer"/> (manifest <c>hs</c>), as the request it holds,
/// so a region may forward it to the region on the entity's node.</para>
/// </remarks>
/// <param name="EntityId">The id of the entity that answers.</param>
/// <param name="Request">The request, with the connection as its reply-to.</param>
public sealed record ShardedHttpRequest(string EntityId, ActorHandler.HandleStrictRequest Request)
{
    /// <summary>"ShardedHttpRequest(entity, HandleStrictRequest(...))"; never the body.</summary>
    public override string ToString() => $"ShardedHttpRequest({EntityId}, {Request})";
}
