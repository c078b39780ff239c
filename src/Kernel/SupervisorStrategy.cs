namespace ActorHttp.Kernel;

/// <summary>
/// How a parent handles its children's failures: a <see cref="IDecider"/> chooses a
/// <see cref="Directive"/>; the strategy applies it to the failed child only
/// (<see cref="OneForOneStrategy"/>) or to all children (<see cref="AllForOneStrategy"/>).
/// </summary>
public abstract class SupervisorStrategy
{
    /// <summary>
    /// Akka's default decider: stop on <see cref="ActorInitializationException"/>,
    /// <see cref="ActorKilledException"/> and <see cref="DeathPactException"/>; restart on any other exception.
    /// </summary>
    public static readonly IDecider DefaultDecider = Kernel.Decider.From(cause => cause switch
    {
        ActorInitializationException => Directive.Stop,
        ActorKilledException => Directive.Stop,
        DeathPactException => Directive.Stop,
        _ => Directive.Restart,
    });

    /// <summary>One-for-one with <see cref="DefaultDecider"/> and unlimited restarts.</summary>
    public static readonly SupervisorStrategy DefaultStrategy = new OneForOneStrategy(DefaultDecider);

    /// <summary>One-for-one that stops every failing child.</summary>
    public static readonly SupervisorStrategy StoppingStrategy = new OneForOneStrategy(_ => Directive.Stop);

    /// <summary>The decider.</summary>
    public abstract IDecider Decider { get; }

    /// <summary>Whether failures are logged (at error level, or warning for Resume).</summary>
    public bool LoggingEnabled { get; init; } = true;

    /// <summary>Applies a Restart (<paramref name="restart"/> true) or Stop to the failed child and, for all-for-one, to its siblings.</summary>
    internal abstract void ProcessFailure(ActorCell parent, bool restart, ChildRestartStats failed, Exception cause, IReadOnlyList<ChildRestartStats> children);

    /// <summary>Handles a failure; returns false when it must be escalated.</summary>
    internal bool HandleFailure(ActorCell parent, ChildRestartStats failed, Exception cause, IReadOnlyList<ChildRestartStats> children)
    {
        var directive = Decider.Decide(cause);
        switch (directive)
        {
            case Directive.Resume:
                Log(parent, failed.Child, cause, directive);
                parent.ResumeChild(failed.Child, cause);
                return true;
            case Directive.Restart:
                Log(parent, failed.Child, cause, directive);
                ProcessFailure(parent, restart: true, failed, cause, children);
                return true;
            case Directive.Stop:
                Log(parent, failed.Child, cause, directive);
                ProcessFailure(parent, restart: false, failed, cause, children);
                return true;
            default:
                return false;
        }
    }

    private void Log(ActorCell parent, IActorRef child, Exception cause, Directive directive)
    {
        if (!LoggingEnabled) return;
        var log = parent.System.Log;
        if (directive == Directive.Resume)
            log.Warning(cause, "Actor {Child} failed; supervisor {Supervisor} resumes it: {Reason}", child.Path.ToString(), parent.Self.Path.ToString(), cause.Message);
        else
            log.Error(cause, "Actor {Child} failed; supervisor {Supervisor} decided {Directive}: {Reason}", child.Path.ToString(), parent.Self.Path.ToString(), directive, cause.Message);
    }
}
