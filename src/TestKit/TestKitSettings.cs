using ActorHttp.Hocon;

namespace ActorHttp.TestKit;

/// <summary>The TestKit's timeouts, read from the <c>actorhttp.testkit</c> section (defaults documented in <c>hocon/testkit.conf</c>).</summary>
public sealed record TestKitSettings
{
    /// <summary>How long an expectation waits when no timeout is given (<c>single-expect-default</c>), before dilation.</summary>
    public required TimeSpan SingleExpectDefault { get; init; }

    /// <summary>How long <c>ExpectNoMsg()</c> watches when no duration is given (<c>expect-no-message-default</c>), before dilation.</summary>
    public required TimeSpan ExpectNoMessageDefault { get; init; }

    /// <summary>Multiplier applied to every TestKit timeout (<c>timefactor</c>), for slow machines.</summary>
    public required double TimeFactor { get; init; }

    /// <summary>How long disposing a test waits for its system to terminate (<c>shutdown-timeout</c>), before dilation.</summary>
    public required TimeSpan ShutdownTimeout { get; init; }

    /// <summary>How long the leak check waits for registered actors to stop (<c>leak-check-timeout</c>), before dilation.</summary>
    public required TimeSpan LeakCheckTimeout { get; init; }

    /// <summary>The polling interval of <c>AwaitAssert</c>/<c>AwaitCondition</c> and the leak check (<c>poll-interval</c>).</summary>
    public required TimeSpan PollInterval { get; init; }

    /// <summary>The configuration path of the TestKit's section.</summary>
    public const string Section = "actorhttp.testkit";

    /// <summary>The TestKit's reference configuration (the embedded <c>hocon/testkit.conf</c>).</summary>
    public static Config ReferenceConfig => Reference.Value;

    // Parsed once per process: every test reads it, and Config is immutable.
    private static readonly Lazy<Config> Reference = new(() => ConfigurationFactory.Reference(typeof(TestKitSettings).Assembly));

    /// <summary>Reads the <c>actorhttp.testkit</c> section of <paramref name="config"/> (which must include the reference defaults).</summary>
    public static TestKitSettings FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var t = config.GetConfig(Section);
        var settings = new TestKitSettings
        {
            SingleExpectDefault = t.GetTimeSpan("single-expect-default", allowInfinite: false),
            ExpectNoMessageDefault = t.GetTimeSpan("expect-no-message-default", allowInfinite: false),
            TimeFactor = t.GetDouble("timefactor"),
            ShutdownTimeout = t.GetTimeSpan("shutdown-timeout", allowInfinite: false),
            LeakCheckTimeout = t.GetTimeSpan("leak-check-timeout", allowInfinite: false),
            PollInterval = t.GetTimeSpan("poll-interval", allowInfinite: false),
        };
        if (settings.TimeFactor <= 0) throw new ConfigException(ConfigErrorKind.BadValue, "must be positive", $"{Section}.timefactor");
        if (settings.PollInterval <= TimeSpan.Zero) throw new ConfigException(ConfigErrorKind.BadValue, "must be positive", $"{Section}.poll-interval");
        return settings;
    }
}
