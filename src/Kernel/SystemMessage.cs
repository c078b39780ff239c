namespace ActorHttp.Kernel;

// The closed family of system messages lives in this one file on purpose: they are tiny, only the
// actor cell interprets them, and reading them side by side is the clearest description of the
// protocol between a parent, its children and their watchers.
//
// Each one is also the link of the mailbox's system-message stack (Next), so an instance can be in
// one mailbox at a time: every send makes its own, which is why even the payload-less ones have no
// singleton.

/// <summary>A message of the kernel's own protocol, processed before any user message.</summary>
internal abstract record SystemMessage
{
    /// <summary>The value of <see cref="Next"/> while the message is in no mailbox.</summary>
    internal static readonly SystemMessage Unposted = new UnpostedMarker();

    /// <summary>The mailbox's link to the message below this one (owned by <see cref="Mailbox"/>).</summary>
    internal SystemMessage? Next = Unposted;

    private sealed record UnpostedMarker : SystemMessage;
}

/// <summary>Create the actor instance (first message of every actor).</summary>
internal sealed record Create : SystemMessage;

/// <summary>Restart: from the supervisor, after a failure (or AllForOne sibling failure).</summary>
internal sealed record Recreate(Exception Cause) : SystemMessage;

/// <summary>Stop processing user messages (recursive to children).</summary>
internal sealed record Suspend : SystemMessage;

/// <summary>Undo one <see cref="Suspend"/> (recursive); clears the failed state when caused by a failure.</summary>
internal sealed record Resume(Exception? CausedByFailure) : SystemMessage;

/// <summary>Stop the actor: children first, then PostStop, then tell the watchers and the parent.</summary>
internal sealed record Terminate : SystemMessage;

/// <summary><paramref name="Watcher"/> wants a <see cref="Terminated"/> when <paramref name="Watchee"/> stops.</summary>
internal sealed record Watch(IActorRef Watchee, IActorRef Watcher) : SystemMessage;

/// <summary>Undo a <see cref="Watch"/>.</summary>
internal sealed record Unwatch(IActorRef Watchee, IActorRef Watcher) : SystemMessage;

/// <summary>Sent by a stopped actor to its watchers and its parent.</summary>
internal sealed record DeathWatchNotification(IActorRef Actor, bool ExistenceConfirmed, bool AddressTerminated) : SystemMessage;

/// <summary>A child reports its failure to its parent, which applies its supervisor strategy.</summary>
internal sealed record Failed(IActorRef Child, Exception Cause, long Uid) : SystemMessage;

/// <summary>Run one continuation of a <c>ReceiveAsync</c> handler inside the actor.</summary>
internal sealed record RunContinuation(ActorSynchronizationContext Context, SendOrPostCallback Callback, object? State) : SystemMessage;

/// <summary>The task of a <c>ReceiveAsync</c> handler finished: resume user messages or fail.</summary>
internal sealed record AsyncTaskCompleted(ActorSynchronizationContext Context, Task Task) : SystemMessage;
