namespace ActorHttp.Kernel;

/// <summary>
/// Marks an actor whose turns never block their thread (no <c>.Result</c>, no <c>Wait</c>, no
/// user code that might), so the default dispatcher may hand off to the actors it tells without a
/// trip through the thread pool's queue.
/// </summary>
/// <remarks>
/// <para>A message such an actor tells to an idle actor makes that actor "run next" (the first two
/// per turn): its turn runs on the same thread right after the sender's turn ends (Go's scheduler keeps the goroutine
/// a goroutine readied in the same <c>runnext</c> slot, for the same reason). A request that
/// crosses reader → connection → writer then costs one thread-pool dispatch, not three, and on a
/// busy machine no other worker is woken to run a turn that is microseconds long.</para>
/// <para>Why it is opt-in: the actor that runs next cannot run anywhere else until the sender's
/// turn returns. A turn that blocks on something only that actor can finish (an <c>Ask</c> waited
/// on with <c>.Result</c>) would deadlock. Actors that run application code in their turns
/// (a server connection runs handlers) must not carry this marker.</para>
/// <para>Chains are bounded (<c>actorhttp.kernel.run-next-limit</c>); an actor that reschedules
/// itself goes to the thread pool as before, so fairness between actors is unchanged.</para>
/// <para>Threads outside the pool: an I/O completion may run on a thread that is not the thread
/// pool's (the runtime's epoll thread, with its inline-completions switch on). Only actors that never
/// block run there; any other actor they hand off to is queued to the pool instead, so a blocking
/// turn can stall a pool worker but never the thread that serves every socket's events.</para>
/// </remarks>
public interface INonBlockingActor
{
    /// <summary>
    /// True (the default) when this instance's turns never block. An actor whose turns run code it
    /// does not control (handlers) answers from its configuration: it is treated as blocking unless
    /// its user declared that code non-blocking.
    /// </summary>
    bool TurnsNeverBlock => true;

    /// <summary>True when <paramref name="actor"/> promised that its turns never block.</summary>
    internal static bool Holds(ActorBase? actor) => actor is INonBlockingActor nonBlocking && nonBlocking.TurnsNeverBlock;
}
