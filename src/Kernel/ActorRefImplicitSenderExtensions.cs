namespace ActorHttp.Kernel;

/// <summary><c>Tell(message)</c> and <c>Forward(message)</c> that take the sender from the actor whose turn is running (none outside actors).</summary>
public static class ActorRefImplicitSenderExtensions
{
    /// <summary>Tells with the current actor as sender (no sender outside an actor).</summary>
    public static void Tell(this IActorRef receiver, object message) =>
        receiver.Tell(message, ActorCell.Current?.Self);

    /// <summary>Tells keeping the current message's original sender.</summary>
    public static void Forward(this IActorRef receiver, object message) =>
        receiver.Tell(message, ActorCell.Current is { } cell ? cell.CurrentEnvelope.Sender : ActorRefs.NoSender);
}
