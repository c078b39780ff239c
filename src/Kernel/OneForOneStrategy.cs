namespace ActorHttp.Kernel;

/// <summary>
/// A supervisor strategy that applies the directive to the failed child only. When a child asks
/// for more than <c>maxNrOfRetries</c> restarts within <c>withinTimeRange</c> it is stopped instead.
/// </summary>
public sealed class OneForOneStrategy : SupervisorStrategy
{
    /// <summary>Creates the strategy. <paramref name="maxNrOfRetries"/> null or negative: unlimited; 0: never restart. <paramref name="withinTimeRange"/> null: no window.</summary>
    public OneForOneStrategy(int? maxNrOfRetries, TimeSpan? withinTimeRange, IDecider decider)
    {
        MaxNumberOfRetries = maxNrOfRetries ?? -1;
        WithinTimeRange = withinTimeRange;
        Decider = decider;
    }

    /// <summary>Creates the strategy from a decider function.</summary>
    public OneForOneStrategy(int? maxNrOfRetries, TimeSpan? withinTimeRange, Func<Exception, Directive> decider)
        : this(maxNrOfRetries, withinTimeRange, Kernel.Decider.From(decider))
    {
    }

    /// <summary>Unlimited restarts.</summary>
    public OneForOneStrategy(Func<Exception, Directive> decider) : this(null, null, decider)
    {
    }

    /// <summary>Unlimited restarts.</summary>
    public OneForOneStrategy(IDecider decider) : this(null, null, decider)
    {
    }

    /// <summary>Maximum restarts (negative: unlimited).</summary>
    public int MaxNumberOfRetries { get; }

    /// <summary>The window restarts are counted in (null: the child's whole life).</summary>
    public TimeSpan? WithinTimeRange { get; }

    /// <inheritdoc />
    public override IDecider Decider { get; }

    internal override void ProcessFailure(ActorCell parent, bool restart, ChildRestartStats failed, Exception cause, IReadOnlyList<ChildRestartStats> children)
    {
        if (restart && failed.RequestRestartPermission(MaxNumberOfRetries, WithinTimeRange, parent.System.Scheduler.MonotonicClock))
            parent.RestartChild(failed.Child, cause, suspendFirst: false);
        else
            parent.Stop(failed.Child);
    }
}
