using ActorHttp.Faults.Table;

namespace ActorHttp.Faults;

/// <summary>The faults, in the order they run, and how one is run so that a harness error is a failed line, not a crash.</summary>
public static class FaultTable
{
    /// <summary>Every fault, in running order.</summary>
    public static IReadOnlyList<IFault> All { get; } =
    [
        new Control(),
        new Slowloris(),
        new SlowBody(),
        new ConnFlood(),
        new Churn(),
        new ShutdownUnderLoad(),
        new HandlerCrash(),
        new BackendClosesIdle(),
        new BackendResetMidBody(),
        new BackendDies(),
        new Table.Garbage(),
        new ActorHandlerCrash(),
        new TransportStops(),
    ];

    /// <summary>The fault named <paramref name="name"/>, or null.</summary>
    public static IFault? Find(string name) => All.FirstOrDefault(f => f.Name == name);

    /// <summary>Longest a fault may take, whatever it waits for (every wait inside is bounded; this bounds their sum).</summary>
    public static readonly TimeSpan FaultLimit = TimeSpan.FromMinutes(15);

    /// <summary>Runs <paramref name="fault"/>; an exception out of the harness itself, or a fault past <see cref="FaultLimit"/>, becomes a failed result naming it.</summary>
    public static async Task<FaultResult> RunAsync(IFault fault, FaultScale scale)
    {
        try
        {
            return await fault.RunAsync(scale).WaitAsync(FaultLimit).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"{fault.Name}: harness error: {e}");
            return new FaultResult(fault.Name, new Tally(), double.NaN)
                .Add("harness_error", e.GetType().Name)
                .Require(false, "harness_error");
        }
    }
}
