namespace ActorHttp.Kernel;

/// <summary>Everything <see cref="ActorSystem.Create(string, ActorSystemSetup)"/> accepts: configuration overrides, and what code may give instead of configuration (settings, logger, scheduler).</summary>
public sealed record ActorSystemSetup
{
    /// <summary>Configuration over the reference files (null: the reference alone).</summary>
    public Hocon.Config? Config { get; init; }

    /// <summary>Kernel settings given in code; null reads them from <see cref="Config"/> over the reference.</summary>
    public KernelSettings? Settings { get; init; }

    /// <summary>The Serilog logger; null uses <c>Serilog.Log.Logger</c>.</summary>
    public Serilog.ILogger? Logger { get; init; }

    /// <summary>A scheduler instance (e.g. the TestKit's); null creates the one named by <see cref="KernelSettings.SchedulerImplementation"/>.</summary>
    public IScheduler? Scheduler { get; init; }
}
