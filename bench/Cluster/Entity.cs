using ActorHttp.Server;
using Akka.Actor;
using Akka.Cluster.Sharding;

namespace ActorHttp.Cluster.Bench;

/// <summary>
/// One key: answers ActorHttp's request straight to the connection actor (<see cref="ActorHandler.HandleStrictRequest.Respond"/>)
/// and the Ask path's <see cref="Get"/> to its sender (the Ask's temporary actor), with the same bytes.
/// </summary>
public sealed class Entity : ReceiveActor
{
    public Entity(string key)
    {
        var text = "value of " + key;
        var response = ServerResponse.Text(200, text);   // immutable: one per entity, answered to every request
        var value = new Value(text);
        Receive<ActorHandler.HandleStrictRequest>(m => m.Respond(response));
        Receive<Get>(_ => Sender.Tell(value));
    }

    /// <summary>The entity's props, as sharding makes them from the entity id.</summary>
    public static Props PropsFor(string key) => Props.Create(() => new Entity(key));
}

/// <summary>Both paths' envelopes: ActorHttp's <see cref="ShardedHttpRequest"/> (the route's entity id) and <see cref="Get"/>.</summary>
public sealed class Extractor() : HashCodeMessageExtractor(maxNumberOfShards: 100)
{
    /// <inheritdoc />
    public override string EntityId(object message) => message switch
    {
        ShardedHttpRequest r => r.EntityId,
        Get g => g.Key,
        _ => null!,
    };

    /// <inheritdoc />
    public override object EntityMessage(object message) => (message as ShardedHttpRequest)?.Request ?? message;
}
