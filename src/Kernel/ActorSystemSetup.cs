namespace ActorHttp.Kernel;

/// <summary>What <see cref="ActorSystem.Create(string, ActorSystemSetup)"/> takes from code rather than configuration: settings, logger, scheduler.</summary>
public sealed record ActorSystemSetup
{
    /// <summary>The kernel settings; null reads them from the reference configuration.</summary>
    public KernelSettings? Settings { get; init; }

    /// <summary>The Serilog logger; null uses <c>Serilog.Log.Logger</c>.</summary>
    public Serilog.ILogger? Logger { get; init; }

    /// <summary>A scheduler instance (e.g. the TestKit's); null creates the one named by <see cref="KernelSettings.SchedulerImplementation"/>.</summary>
    public IScheduler? Scheduler { get; init; }
}
