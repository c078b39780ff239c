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

    // Stand-in until src/Hocon is merged: replaced by FromConfig(reference) at that merge.
    internal static TestKitSettings Interim { get; } = new()
    {
        SingleExpectDefault = TimeSpan.FromSeconds(3),
        ExpectNoMessageDefault = TimeSpan.FromMilliseconds(100),
        TimeFactor = 1.0,
        ShutdownTimeout = TimeSpan.FromSeconds(10),
        LeakCheckTimeout = TimeSpan.FromSeconds(3),
        PollInterval = TimeSpan.FromMilliseconds(10),
    };
}
