using ActorHttp.Hocon;

namespace ActorHttp.Kernel;

/// <summary>
/// The kernel's settings, read once from the <c>actorhttp.kernel</c> section of the configuration
/// (every default and its documentation live in <c>hocon/kernel.conf</c>); immutable.
/// </summary>
public sealed record KernelSettings
{
    /// <summary>User messages one actor processes per turn before yielding its thread (<c>throughput</c>).</summary>
    public required int Throughput { get; init; }

    /// <summary>Turns the default dispatcher runs back to back on one thread through hand-offs (<c>run-next-limit</c>); 0 = never.</summary>
    public required int RunNextLimit { get; init; }

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

    /// <summary>How often the default scheduler's wheel turns, so how late a timer may fire (<c>scheduler.tick</c>).</summary>
    public required TimeSpan SchedulerTick { get; init; }

    /// <summary>Whether the settings are logged at information level when a system starts (<c>log-config-on-start</c>).</summary>
    public required bool LogConfigOnStart { get; init; }

    /// <summary>The configuration path of the kernel's section.</summary>
    public const string Section = "actorhttp.kernel";

    /// <summary>Reads the <c>actorhttp.kernel</c> section of <paramref name="config"/> (which must include the reference defaults, see <see cref="ActorSystem.ReferenceConfig"/>).</summary>
    /// <exception cref="ConfigException">A key is missing, has the wrong type or an invalid value.</exception>
    public static KernelSettings FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var k = config.GetConfig(Section);
        var settings = new KernelSettings
        {
            Throughput = k.GetInt("throughput"),
            RunNextLimit = k.GetInt("run-next-limit"),
            AskTimeout = k.GetTimeSpan("ask-timeout", allowInfinite: true),
            LogConfigOnStart = k.GetBoolean("log-config-on-start"),
            LogDeadLetters = k.GetBoolean("dead-letters.log"),
            LogDeadLettersMax = k.GetInt("dead-letters.log-max"),
            LogDeadLettersDuringShutdown = k.GetBoolean("dead-letters.log-during-shutdown"),
            SchedulerImplementation = k.GetString("scheduler.implementation"),
            SchedulerTick = k.GetTimeSpan("scheduler.tick", allowInfinite: false),
        };
        Require(settings.Throughput >= 1, "throughput", "must be at least 1");
        Require(settings.RunNextLimit >= 0, "run-next-limit", "must not be negative");
        Require(settings.AskTimeout > TimeSpan.Zero || settings.AskTimeout == Timeout.InfiniteTimeSpan, "ask-timeout", "must be positive or infinite");
        Require(settings.SchedulerTick >= TimeSpan.FromMilliseconds(1), "scheduler.tick", "must be at least 1ms");
        Require(settings.LogDeadLettersMax >= 0, "dead-letters.log-max", "must not be negative");
        return settings;
    }

    private static void Require(bool ok, string key, string rule)
    {
        if (!ok) throw new ConfigException(ConfigErrorKind.BadValue, rule, $"{Section}.{key}");
    }
}
