namespace ActorHttp.Faults;

/// <summary>One row of the fault table: what it does to the runtime, what passing means, and the run itself.</summary>
public interface IFault
{
    /// <summary>The name <c>--only</c> takes and the line starts with.</summary>
    string Name { get; }

    /// <summary>What the fault does, in one sentence (help).</summary>
    string Does { get; }

    /// <summary>Its own criterion, beyond lost=0 and hung=0 (help).</summary>
    string PassesWhen { get; }

    /// <summary>Runs the fault at <paramref name="scale"/>; every wait inside is bounded.</summary>
    Task<FaultResult> RunAsync(FaultScale scale);
}
