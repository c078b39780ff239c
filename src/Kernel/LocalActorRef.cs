namespace ActorHttp.Kernel;

/// <summary>The reference to an actor of this process: forwards messages into its cell's mailbox. Stays valid (and answers watches) after the actor stopped.</summary>
internal sealed class LocalActorRef : InternalActorRef
{
    private readonly ActorPath _path;

    public LocalActorRef(ActorCell cell, ActorPath path)
    {
        Cell = cell;
        _path = path;
    }

    public ActorCell Cell { get; }

    public override ActorPath Path => _path;

    public override bool IsTerminated => Cell.IsTerminated;

    public override ActorSystem? System => Cell.System;

    public override void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        Cell.Mailbox.Post(new Envelope(message, sender));
    }

    public override void SendSystemMessage(SystemMessage message) => Cell.Mailbox.PostSystem(message);
}
