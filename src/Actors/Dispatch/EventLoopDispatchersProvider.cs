using Akka.Actor;

namespace ActorHttp.Dispatch;

/// <summary>The Akka extension id of <see cref="EventLoopDispatchers"/>: one instance per actor system.</summary>
public sealed class EventLoopDispatchersProvider : ExtensionIdProvider<EventLoopDispatchers>
{
    /// <inheritdoc />
    public override EventLoopDispatchers CreateExtension(ExtendedActorSystem system) => new(system);
}
