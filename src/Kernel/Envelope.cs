namespace ActorHttp.Kernel;

/// <summary>A message together with its sender, as it sits in a mailbox or a stash. A struct so enqueueing allocates nothing.</summary>
public readonly struct Envelope
{
    /// <summary>Creates an envelope.</summary>
    public Envelope(object message, IActorRef? sender)
    {
        Message = message;
        Sender = sender;
    }

    /// <summary>The message.</summary>
    public object Message { get; }

    /// <summary>The sender, <c>null</c> when there is none.</summary>
    public IActorRef? Sender { get; }

    /// <inheritdoc />
    public override string ToString() => $"<{Message.GetType().Name}> from {Sender?.Path.ToString() ?? "NoSender"}";
}
