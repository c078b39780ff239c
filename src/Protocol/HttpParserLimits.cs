namespace ActorHttp.Protocol;

/// <summary>
/// The bounds the parsers enforce, in bytes or counts. The runtime reads them once from
/// <c>actorhttp.http.parsing</c> (<c>hocon/http.conf</c>, where every default and its reason live;
/// see <c>ActorHttp.Configuration.HttpParserLimitsSettings</c>): this assembly is pure and reads no
/// configuration, and code never repeats a default.
/// </summary>
/// <param name="MaxRequestLineLength">Longest request line, CRLF included, before 414.</param>
/// <param name="MaxHeaderBytes">Largest request header section (after the request line, final CRLF included) before 431.</param>
/// <param name="MaxHeaderCount">Most field lines in a request's header or trailer section before 431.</param>
/// <param name="MaxChunkExtensionBytes">Most chunk-extension bytes in one chunked body; 0 refuses every extension.</param>
/// <param name="MaxTrailerBytes">Largest trailer section, final CRLF excluded; 0 refuses every trailer field.</param>
/// <param name="MaxStatusLineLength">Longest status line, CRLF included, the client accepts.</param>
/// <param name="MaxResponseHeaderBytes">Largest response header section the client accepts.</param>
/// <param name="MaxResponseHeaderCount">Most field lines in a response's header or trailer section; 0 = no count limit (the byte limits bound it).</param>
public sealed record HttpParserLimits(
    int MaxRequestLineLength,
    int MaxHeaderBytes,
    int MaxHeaderCount,
    int MaxChunkExtensionBytes,
    int MaxTrailerBytes,
    int MaxStatusLineLength,
    int MaxResponseHeaderBytes,
    int MaxResponseHeaderCount = 0)
{
    /// <summary>The field-line limit of one section in <paramref name="role"/>'s messages, as the field parser takes it.</summary>
    internal int HeaderCountFor(FieldRole role) =>
        role is FieldRole.Response or FieldRole.ResponseTrailer
            ? MaxResponseHeaderCount == 0 ? int.MaxValue : MaxResponseHeaderCount
            : MaxHeaderCount;

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
        ArgumentOutOfRangeException.ThrowIfNegative(MaxResponseHeaderCount, nameof(MaxResponseHeaderCount));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxChunkExtensionBytes, nameof(MaxChunkExtensionBytes));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxTrailerBytes, nameof(MaxTrailerBytes));
        return this;
    }
}
