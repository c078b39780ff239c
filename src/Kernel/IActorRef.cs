namespace ActorHttp.Kernel;

/// <summary>
/// An immutable, location-transparent handle to an actor: the only way to talk to it.
/// Two references are equal when they name the same path and the same incarnation (uid),
/// so a reference to a stopped actor never equals one to a new actor with the same name.
/// </summary>
public interface IActorRef : IEquatable<IActorRef>, IComparable<IActorRef>
{
    /// <summary>The actor's path, e.g. <c>actorhttp://sys/user/a/b</c>.</summary>
    ActorPath Path { get; }

    /// <summary>Sends <paramref name="message"/> one way; never blocks, never throws for a dead target (it goes to dead letters).</summary>
    void Tell(object message, IActorRef? sender);
}
