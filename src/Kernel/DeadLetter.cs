namespace ActorHttp.Kernel;

/// <summary>An event published on the event stream when a message could not be delivered (its recipient is dead or never existed).</summary>
/// <param name="Message">The undelivered message.</param>
/// <param name="Sender">Who sent it (the dead-letters reference when nobody).</param>
/// <param name="Recipient">Whom it was sent to.</param>
public sealed record DeadLetter(object Message, IActorRef Sender, IActorRef Recipient)
{
    /// <inheritdoc />
    public override string ToString() => $"DeadLetter <{Message.GetType().Name}> from {Sender} to {Recipient}";
}
