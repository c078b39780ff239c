namespace ActorHttp.Kernel;

/// <summary>A <see cref="Terminated"/> (or a WatchWith message) queued for the actor; dropped on arrival if the actor unwatched meanwhile.</summary>
internal sealed record WatchedTerminated(IActorRef Actor, object Message) : IAutoReceivedMessage
{
    public bool IsInternal => true;
}
