namespace ActorHttp.Kernel;

/// <summary>
/// A supervisor strategy that applies Restart and Stop to all children when one fails (Resume
/// applies to the failed child only). Used when children only make sense together.
/// </summary>
public sealed class AllForOneStrategy : SupervisorStrategy
{
    /// <summary>Creates the strategy. <paramref name="maxNrOfRetries"/> null or negative: unlimited; 0: never restart. <paramref name="withinTimeRange"/> null: no window.</summary>
    public AllForOneStrategy(int? maxNrOfRetries, TimeSpan? withinTimeRange, IDecider decider)
    {
        MaxNumberOfRetries = maxNrOfRetries ?? -1;
        WithinTimeRange = withinTimeRange;
        Decider = decider;
    }

    /// <summary>Creates the strategy from a decider function.</summary>
    public AllForOneStrategy(int? maxNrOfRetries, TimeSpan? withinTimeRange, Func<Exception, Directive> decider)
        : this(maxNrOfRetries, withinTimeRange, Kernel.Decider.From(decider))
    {
    }

    /// <summary>Unlimited restarts.</summary>
    public AllForOneStrategy(Func<Exception, Directive> decider) : this(null, null, decider)
    {
    }

    /// <summary>Unlimited restarts.</summary>
    public AllForOneStrategy(IDecider decider) : this(null, null, decider)
    {
    }

    /// <summary>Maximum restarts (negative: unlimited), counted per child.</summary>
    public int MaxNumberOfRetries { get; }

    /// <summary>The window restarts are counted in (null: the children's whole life).</summary>
    public TimeSpan? WithinTimeRange { get; }

    /// <inheritdoc />
    public override IDecider Decider { get; }

    internal override void ProcessFailure(ActorCell parent, bool restart, ChildRestartStats failed, Exception cause, IReadOnlyList<ChildRestartStats> children)
    {
        if (children.Count == 0) return;
        var now = parent.System.Scheduler.MonotonicClock;
        var permitted = restart;
        if (restart)
            foreach (var c in children)
                permitted &= c.RequestRestartPermission(MaxNumberOfRetries, WithinTimeRange, now);
        foreach (var c in children)
        {
            if (permitted) parent.RestartChild(c.Child, cause, suspendFirst: !c.Child.Equals(failed.Child));
            else parent.Stop(c.Child);
        }
    }
}
