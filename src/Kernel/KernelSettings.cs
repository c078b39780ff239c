namespace ActorHttp.Kernel;

/// <summary>
/// The kernel's settings, read once from the <c>actorhttp.kernel</c> section of the configuration
/// (every default and its documentation live in <c>hocon/kernel.conf</c>); immutable.
/// </summary>
public sealed record KernelSettings
{
    /// <summary>User messages one actor processes per turn before yielding its thread (<c>throughput</c>).</summary>
    public required int Throughput { get; init; }

    /// <summary>Timeout of an <c>Ask</c> called without one (<c>ask-timeout</c>); <see cref="Timeout.InfiniteTimeSpan"/> waits forever.</summary>
    public required TimeSpan AskTimeout { get; init; }

    /// <summary>Whether dead letters are logged (<c>dead-letters.log</c>).</summary>
    public required bool LogDeadLetters { get; init; }

    /// <summary>How many dead letters are logged at most (<c>dead-letters.log-max</c>).</summary>
    public required int LogDeadLettersMax { get; init; }

    /// <summary>Whether dead letters are logged while the system shuts down (<c>dead-letters.log-during-shutdown</c>).</summary>
    public required bool LogDeadLettersDuringShutdown { get; init; }

    /// <summary><c>default</c>, or the assembly-qualified name of an <see cref="IScheduler"/> with a parameterless constructor (<c>scheduler.implementation</c>).</summary>
    public required string SchedulerImplementation { get; init; }

    /// <summary>Whether the settings are logged at information level when a system starts (<c>log-config-on-start</c>).</summary>
    public required bool LogConfigOnStart { get; init; }

    // Stand-in until src/Hocon is merged: replaced by FromConfig(reference) at that merge.
    internal static KernelSettings Interim { get; } = new()
    {
        Throughput = 30,
        AskTimeout = TimeSpan.FromSeconds(30),
        LogDeadLetters = true,
        LogDeadLettersMax = 10,
        LogDeadLettersDuringShutdown = false,
        SchedulerImplementation = "default",
        LogConfigOnStart = false,
    };
}
