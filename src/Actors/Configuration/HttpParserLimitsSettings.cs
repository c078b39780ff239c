using ActorHttp.Protocol;
using Akka.Configuration;

namespace ActorHttp.Configuration;

/// <summary>
/// Reads the parsers' <see cref="HttpParserLimits"/> from <c>actorhttp.http.parsing</c>
/// (<c>hocon/http.conf</c>): the protocol assembly is pure and reads no configuration itself.
/// </summary>
public static class HttpParserLimitsSettings
{
    /// <summary>The configuration section the limits are read from.</summary>
    public const string Section = "actorhttp.http.parsing";

    private static readonly Lazy<HttpParserLimits> s_reference = new(() => FromConfig(ReferenceConfig.Default));

    /// <summary>The limits of the reference configuration.</summary>
    public static HttpParserLimits Reference => s_reference.Value;

    /// <summary>Reads the limits from <paramref name="config"/> (the whole configuration, reference fallback included).</summary>
    /// <exception cref="SettingsException">A key is missing or not a size or an integer.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside its range.</exception>
    public static HttpParserLimits FromConfig(Config config) => Read(new SettingsReader(config, Section));

    /// <summary>Reads the limits through <paramref name="r"/> (a reader of <see cref="Section"/>).</summary>
    public static HttpParserLimits Read(SettingsReader r) =>
        new HttpParserLimits(
            MaxRequestLineLength: r.IntBytes("max-request-line-length"),
            MaxHeaderBytes: r.IntBytes("max-header-bytes"),
            MaxHeaderCount: r.Int("max-header-count"),
            MaxChunkExtensionBytes: r.IntBytes("max-chunk-extension-bytes"),
            MaxTrailerBytes: r.IntBytes("max-trailer-bytes"),
            MaxStatusLineLength: r.IntBytes("max-status-line-length"),
            MaxResponseHeaderBytes: r.IntBytes("max-response-header-bytes"),
            MaxResponseHeaderCount: r.Int("max-response-header-count")).Validate();
}
