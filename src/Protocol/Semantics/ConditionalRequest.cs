namespace ActorHttp.Protocol.Semantics;

/// <summary>
/// The parts of a request that conditional evaluation reads (RFC 9110 §13.1): the method and the
/// five precondition fields, with dates already parsed by the caller (HttpDate).
/// </summary>
/// <remarks>
/// Give a date field as null when it is absent or does not parse: RFC 9110 §13.1.3/§13.1.4 say an
/// invalid date is ignored. If-Range is given raw (it holds an entity tag or a date), with
/// <see cref="IfRangeDate"/> set when the raw value parsed as an HTTP-date.
/// </remarks>
public readonly record struct ConditionalRequest
{
    /// <summary>Creates the inputs for a request with this method (case-sensitive, e.g. "GET").</summary>
    public ConditionalRequest(string method)
    {
        ArgumentNullException.ThrowIfNull(method);
        Method = method;
    }

    /// <summary>The request method; only GET and HEAD can get a 304, and only they honour
    /// If-Modified-Since and If-Range.</summary>
    public string Method { get; }

    /// <summary>The If-Match field value, all lines joined with commas; null when absent.</summary>
    public string? IfMatch { get; init; }

    /// <summary>The If-Unmodified-Since date; null when absent or invalid.</summary>
    public DateTimeOffset? IfUnmodifiedSince { get; init; }

    /// <summary>The If-None-Match field value, all lines joined with commas; null when absent.</summary>
    public string? IfNoneMatch { get; init; }

    /// <summary>The If-Modified-Since date; null when absent or invalid.</summary>
    public DateTimeOffset? IfModifiedSince { get; init; }

    /// <summary>The raw If-Range field value; null when absent.</summary>
    public string? IfRange { get; init; }

    /// <summary><see cref="IfRange"/> parsed as an HTTP-date, or null when it is not one. Used when
    /// <see cref="IfRange"/> is not an entity tag (or was not given at all).</summary>
    public DateTimeOffset? IfRangeDate { get; init; }
}
