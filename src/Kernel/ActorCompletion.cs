namespace ActorHttp.Kernel;

/// <summary>
/// Delivery of I/O completions (socket, timer) to the actor that owns the operation, on the thread
/// that completed it.
/// </summary>
/// <remarks>
/// A completion callback runs on a thread that has nothing else to do with it: a thread-pool thread
/// that returns to the pool as soon as the callback does, or an event loop's thread (ActorHttp's
/// epoll loop, the runtime's with inline completions). Telling the owner there would queue its turn
/// and wake a worker to run it; when
/// the owner is idle, <see cref="Tell"/> runs that turn right here instead (and, through
/// <see cref="INonBlockingActor"/>, the turns it hands off to). The actor still runs one turn at a
/// time: the caller claims its mailbox exactly as a scheduling poster would. Called from inside an
/// actor's turn, or for an actor on another dispatcher, it is a plain <see cref="IActorRef.Tell"/>;
/// so it is on a thread outside the pool (inline socket completions) for an owner that may block.
/// </remarks>
public static class ActorCompletion
{
    /// <summary>Tells <paramref name="target"/> <paramref name="message"/> (no sender), running its turn on this thread when it is idle.</summary>
    /// <param name="target">The actor that owns the completed operation.</param>
    /// <param name="message">The completion message.</param>
    public static void Tell(IActorRef target, object message)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(message);
        if (target is LocalActorRef local && local.Cell.Dispatcher is ThreadPoolDispatcher dispatcher && dispatcher.CanRunInline
            && ThreadPoolDispatcher.MayRunHere(local.Cell))
        {
            var mailbox = local.Cell.Mailbox;
            if (mailbox.PostAndClaim(new Envelope(message, null))) ThreadPoolDispatcher.RunChain(mailbox);
            return;
        }

        target.Tell(message, ActorRefs.NoSender);
    }
}
