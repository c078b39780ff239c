namespace ActorHttp.Kernel;

/// <summary>The reference behind <see cref="ActorRefs.Nobody"/>: drops everything; a watch on it reports termination at once.</summary>
internal sealed class NobodyActorRef : InternalActorRef
{
    private static readonly ActorPath NobodyPath = ActorPath.Root("all-systems").Child("Nobody");

    public override ActorPath Path => NobodyPath;

    public override bool IsTerminated => true;

    public override void Tell(object message, IActorRef? sender)
    {
    }

    public override void SendSystemMessage(SystemMessage message)
    {
        // Akka semantics: watching Nobody yields Terminated at once (it never existed, so existence is not confirmed).
        if (message is Watch w && w.Watcher is InternalActorRef watcher)
            watcher.SendSystemMessage(new DeathWatchNotification(this, ExistenceConfirmed: false, AddressTerminated: false));
    }
}
