using Akka.Actor;

namespace ActorHttp;

/// <summary>The id of the <see cref="Http"/> extension (Akka's <c>ClusterExtension</c> to <c>Cluster</c>): makes one per actor system.</summary>
public sealed class HttpExtensionProvider : ExtensionIdProvider<Http>
{
    /// <inheritdoc />
    public override Http CreateExtension(ExtendedActorSystem system) => new(system);
}
