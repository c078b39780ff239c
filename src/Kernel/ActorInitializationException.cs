namespace ActorHttp.Kernel;

/// <summary>An actor failed while being created or restarted (constructor, <c>PreStart</c> or <c>PostRestart</c>). The default strategy stops it.</summary>
public sealed class ActorInitializationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ActorInitializationException(IActorRef? actor, string message, Exception? cause)
        : base(message, cause) => Actor = actor;

    /// <summary>The actor that failed to initialise.</summary>
    public IActorRef? Actor { get; }
}
