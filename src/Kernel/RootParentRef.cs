namespace ActorHttp.Kernel;

/// <summary>The parent of the root guardian (Akka's "bubble walker"): stops the root if it fails and completes the system's termination when it stops.</summary>
internal sealed class RootParentRef : InternalActorRef
{
    private readonly ActorSystem _system;
    private readonly ActorPath _path;

    public RootParentRef(ActorSystem system, ActorPath path)
    {
        _system = system;
        _path = path;
    }

    public ActorCell? Root { get; set; }

    public override ActorPath Path => _path;

    public override bool IsTerminated => false;

    public override ActorSystem? System => _system;

    public override void Tell(object message, IActorRef? sender) => _system.DeadLetterOffice.Deliver(message, sender, this);

    public override void SendSystemMessage(SystemMessage message)
    {
        switch (message)
        {
            case Failed f:
                _system.Log.Error(f.Cause, "The root guardian failed; the actor system stops");
                Root?.SendSystemMessage(new Terminate());
                break;
            case DeathWatchNotification:
                _system.OnRootTerminated();
                break;
        }
    }
}
