using ActorHttp.Configuration;
using ActorHttp.Protocol;
using Akka.Configuration;

namespace ActorHttp.Cluster;

/// <summary>
/// The settings of messages that cross nodes, read once from <c>actorhttp.cluster</c> (defaults and their reasons
/// are in <c>hocon/serialization.conf</c>), with the parser limits (<c>actorhttp.http.parsing</c>) a node applies to
/// the heads it receives from another node, as it does to heads from a socket.
/// </summary>
/// <param name="MaxInlineBody">Largest body, in bytes, that travels inline in a message to another node; larger is refused by the sender (<see cref="HttpSerializationException"/>, <see cref="HttpSerializationErrorKind.BodyTooLarge"/>).</param>
/// <param name="Parsing">The limits the receiving node parses heads with.</param>
public sealed record ClusterSettings(int MaxInlineBody, HttpParserLimits Parsing)
{
    /// <summary>The configuration section the settings are read from.</summary>
    public const string Section = "actorhttp.cluster";

    /// <summary>Reads the settings from <paramref name="config"/> (the whole configuration, reference fallback included).</summary>
    /// <exception cref="SettingsException">A key is missing or out of range.</exception>
    public static ClusterSettings FromConfig(Config config) =>
        Read(new SettingsReader(config, Section), new SettingsReader(config, HttpParserLimitsSettings.Section));

    /// <summary>Reads the settings through <paramref name="c"/> (a reader of <see cref="Section"/>) and <paramref name="parsing"/>.</summary>
    public static ClusterSettings Read(SettingsReader c, SettingsReader parsing)
    {
        int maxInlineBody = c.IntBytes("max-inline-body");
        c.Check(maxInlineBody >= 0, "max-inline-body", "must not be negative");
        return new ClusterSettings(maxInlineBody, HttpParserLimitsSettings.Read(parsing));
    }

    /// <summary><paramref name="overrides"/> (may be null) over the reference configuration.</summary>
    public static ClusterSettings Load(Config? overrides = null) => FromConfig(ReferenceConfig.Load(overrides));
}
