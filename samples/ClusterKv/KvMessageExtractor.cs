using ActorHttp.Server;
using Akka.Cluster.Sharding;

namespace ClusterKv;

/// <summary>
/// The shard region's extractor: the entity id is the one the route took from the path (<c>{key}</c>), and the
/// entity gets the request inside the envelope. The envelope is ActorHttp's plain <see cref="ShardedHttpRequest"/>.
/// </summary>
internal sealed class KvMessageExtractor(int numberOfShards) : HashCodeMessageExtractor(numberOfShards)
{
    public override string EntityId(object message) => (message as ShardedHttpRequest)?.EntityId!;

    public override object EntityMessage(object message) => (message as ShardedHttpRequest)?.Request ?? message;
}
