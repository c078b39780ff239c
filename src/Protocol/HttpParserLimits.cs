using ActorHttp.Hocon;

namespace ActorHttp.Protocol;

/// <summary>
/// The bounds the parsers enforce, in bytes or counts. Read once from
/// <c>actorhttp.http.parsing</c> in <c>hocon/http.conf</c>, where every default and its reason
/// live; code never repeats a default.
/// </summary>
/// <param name="MaxRequestLineLength">Longest request line, CRLF included, before 414.</param>
/// <param name="MaxHeaderBytes">Largest request header section (after the request line, final CRLF included) before 431.</param>
/// <param name="MaxHeaderCount">Most field lines in a header or trailer section before 431.</param>
/// <param name="MaxChunkExtensionBytes">Most chunk-extension bytes in one chunked body; 0 refuses every extension.</param>
/// <param name="MaxTrailerBytes">Largest trailer section, final CRLF excluded; 0 refuses every trailer field.</param>
/// <param name="MaxStatusLineLength">Longest status line, CRLF included, the client accepts.</param>
/// <param name="MaxResponseHeaderBytes">Largest response header section the client accepts.</param>
public sealed record HttpParserLimits(
    int MaxRequestLineLength,
    int MaxHeaderBytes,
    int MaxHeaderCount,
    int MaxChunkExtensionBytes,
    int MaxTrailerBytes,
    int MaxStatusLineLength,
    int MaxResponseHeaderBytes)
{
    /// <summary>The configuration section the limits are read from.</summary>
    public const string ConfigPath = "actorhttp.http.parsing";

    /// <summary>
    /// Reads the limits from <see cref="ConfigPath"/> of <paramref name="config"/> (the whole
    /// configuration, with the reference files as fallback: every key must be present).
    /// </summary>
    /// <exception cref="ConfigException">A key is missing or not a size or integer.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside its range.</exception>
    public static HttpParserLimits FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var c = config.GetConfig(ConfigPath);
        return new HttpParserLimits(
            MaxRequestLineLength: Bytes(c, "max-request-line-length"),
            MaxHeaderBytes: Bytes(c, "max-header-bytes"),
            MaxHeaderCount: c.GetInt("max-header-count"),
            MaxChunkExtensionBytes: Bytes(c, "max-chunk-extension-bytes"),
            MaxTrailerBytes: Bytes(c, "max-trailer-bytes"),
            MaxStatusLineLength: Bytes(c, "max-status-line-length"),
            MaxResponseHeaderBytes: Bytes(c, "max-response-header-bytes")).Validate();
    }

    /// <summary>The limits of the reference configuration embedded in this assembly (hocon/http.conf).</summary>
    public static HttpParserLimits Reference() =>
        FromConfig(ConfigurationFactory.Load(null, typeof(HttpParserLimits).Assembly));

    // Heads are buffered in arrays, so every size must fit an int.
    private static int Bytes(Config config, string key)
    {
        long value = config.GetByteSize(key);
        if (value > int.MaxValue) throw new ArgumentOutOfRangeException(key, value, $"{ConfigPath}.{key} must be below 2 GiB.");
        return (int)value;
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a limit is out of its range.</summary>
    public HttpParserLimits Validate()
    {
        // Request line and status line need room for the shortest legal line ("GET / HTTP/1.1" and CRLF).
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRequestLineLength, 16, nameof(MaxRequestLineLength));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxStatusLineLength, 14, nameof(MaxStatusLineLength));
        // The empty line that ends a head is 2 bytes; anything less could never be met.
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxHeaderBytes, 2, nameof(MaxHeaderBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxResponseHeaderBytes, 2, nameof(MaxResponseHeaderBytes));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxHeaderCount, nameof(MaxHeaderCount));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxChunkExtensionBytes, nameof(MaxChunkExtensionBytes));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxTrailerBytes, nameof(MaxTrailerBytes));
        return this;
    }
}
