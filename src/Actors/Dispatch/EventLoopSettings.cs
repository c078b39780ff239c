using Akka.Actor;
using Akka.Configuration;

namespace ActorHttp.Dispatch;

/// <summary>
/// The settings of ActorHttp's event-loop dispatchers, read once from
/// <c>actorhttp.dispatch.event-loop</c> (defaults and their reasons: hocon/dispatch.conf).
/// </summary>
/// <param name="Throughput">Messages an actor on a loop processes per mailbox run (<c>throughput</c>; Akka runs one more).</param>
/// <param name="ShutdownTimeout">How long a loop's dispatcher waits with no actors before Akka shuts its executor down (<c>shutdown-timeout</c>).</param>
/// <param name="MaxRunsBetweenPolls">Most mailbox runs a loop makes between two polls of its sockets (<c>max-runs-between-polls</c>); process-wide.</param>
public sealed record EventLoopSettings(int Throughput, TimeSpan ShutdownTimeout, int MaxRunsBetweenPolls)
{
    /// <summary>Where the settings live.</summary>
    public const string Section = "actorhttp.dispatch.event-loop";

    /// <summary>The reference file's name among the assembly's resources (the other reference files' scheme).</summary>
    public const string ReferenceResource = "actorhttp/reference/dispatch.conf";

    // Parsed once, so that injecting it again is recognised (Akka skips a fallback it already holds).
    private static readonly Lazy<Config> s_reference = new(ParseReference);

    /// <summary>
    /// Reads the settings from <paramref name="settings"/>' configuration, with the reference
    /// configuration (hocon/dispatch.conf, embedded in this assembly) injected as a fallback first:
    /// an application's own values win, and those it leaves out come from the reference.
    /// </summary>
    public static EventLoopSettings From(Settings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.InjectTopLevelFallback(s_reference.Value);
        return From(settings.Config.GetConfig(Section));
    }

    /// <summary>Reads the settings from the <c>event-loop</c> section itself.</summary>
    public static EventLoopSettings From(Config section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var throughput = section.GetInt("throughput");
        if (throughput < 1) throw new ConfigurationException($"{Section}.throughput must be at least 1, not {throughput}");
        // Akka.NET 1.5.x compares this duration with a timestamp: any non-zero value cuts every
        // mailbox run to one message once the process has been up longer than it.
        var deadline = section.GetTimeSpan("throughput-deadline-time");
        if (deadline != TimeSpan.Zero)
            throw new ConfigurationException($"{Section}.throughput-deadline-time must be 0 (it is broken in Akka.NET 1.5.x), not {deadline}");
        var shutdown = section.GetTimeSpan("shutdown-timeout");
        if (shutdown <= TimeSpan.Zero) throw new ConfigurationException($"{Section}.shutdown-timeout must be positive, not {shutdown}");
        var runs = section.GetInt("max-runs-between-polls");
        if (runs < 1) throw new ConfigurationException($"{Section}.max-runs-between-polls must be at least 1, not {runs}");
        return new EventLoopSettings(throughput, shutdown, runs);
    }

    /// <summary>hocon/dispatch.conf, as embedded in this assembly.</summary>
    public static Config Reference() => s_reference.Value;

    private static Config ParseReference()
    {
        using var stream = typeof(EventLoopSettings).Assembly.GetManifestResourceStream(ReferenceResource)
            ?? throw new ConfigurationException($"{ReferenceResource} is not embedded in {typeof(EventLoopSettings).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }
}
