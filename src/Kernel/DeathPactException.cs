namespace ActorHttp.Kernel;

/// <summary>Thrown inside an actor that did not handle the <see cref="Terminated"/> of an actor it watched; the default strategy stops it.</summary>
public sealed class DeathPactException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DeathPactException(IActorRef deadActor)
        : base($"Monitored actor {deadActor} terminated and its Terminated message was not handled") => DeadActor = deadActor;

    /// <summary>The watched actor that stopped.</summary>
    public IActorRef DeadActor { get; }
}
