namespace ActorHttp.Protocol.Semantics;

/// <summary>
/// The decided answer to a GET/HEAD (or any method) for a stored representation of known length:
/// status, representation headers and the byte ranges to send, as Go's <c>http.ServeContent</c>
/// decides them, so a static file server or response writer only has to copy bytes.
/// </summary>
/// <remarks>
/// <para><b>Pipeline</b> (Go's <c>serveContent</c>): preconditions first
/// (<see cref="Preconditions"/>: 304 or 412 end it), then the Range header unless If-Range failed
/// (<see cref="RangeHeader"/>), then 416, 206 with one range, 206 multipart/byteranges, or 200.</para>
/// <para><b>Headers.</b> Send <c>Accept-Ranges: bytes</c> when <see cref="AcceptRanges"/>;
/// <c>ETag</c> when the resource has one and <see cref="SendValidators"/>; <c>Last-Modified</c>
/// when <see cref="SendLastModified"/>; Content-Type, Content-Range and Content-Length when not
/// null. A HEAD gets the same head without the body. On 304 send none of the representation
/// fields (<see cref="Preconditions.FieldsToOmitOnNotModified"/> lists what to remove from a
/// handler's headers). On 412 and 416 the body is the caller's error text, with its own type and
/// length.</para>
/// </remarks>
public sealed class ContentPlan
{
    private readonly ByteRange[] ranges;

    private ContentPlan(int status, ByteRange[] ranges)
    {
        Status = status;
        this.ranges = ranges;
    }

    /// <summary>200, 206, 304, 412 or 416.</summary>
    public int Status { get; }

    /// <summary>The Content-Type to send: the representation's for 200 and single-range 206,
    /// <c>multipart/byteranges; boundary=...</c> for several ranges; null for 304, 412 and 416
    /// and when the representation has no type.</summary>
    public string? ContentType { get; private init; }

    /// <summary>The Content-Range to send: <c>bytes a-b/len</c> on a single-range 206,
    /// <c>bytes */len</c> on 416; null otherwise.</summary>
    public string? ContentRange { get; private init; }

    /// <summary>The Content-Length of the body for 200 and 206 (multipart framing included);
    /// null for 304, 412 and 416.</summary>
    public long? ContentLength { get; private init; }

    /// <summary>Whether to send <c>Accept-Ranges: bytes</c> (on 200 and 206, as Go does).</summary>
    public bool AcceptRanges { get; private init; }

    /// <summary>Whether the resource's ETag (and Cache-Control set by the handler) may go out;
    /// false on 416, which Go's <c>serveError</c> strips of them because they describe a
    /// representation the error body is not.</summary>
    public bool SendValidators { get; private init; }

    /// <summary>Whether to send Last-Modified: the time is known (<see cref="Preconditions.IsKnownTime"/>),
    /// and the answer is not a 416, nor a 304 that carries an ETag.</summary>
    public bool SendLastModified { get; private init; }

    /// <summary>The representation's own media type, for each part's Content-Type header in a
    /// multipart body (<see cref="MultipartByteRanges.PartHeader"/>); the length in
    /// <see cref="ContentLength"/> was computed with it.</summary>
    public string? PartContentType { get; private init; }

    /// <summary>The multipart boundary when several ranges are sent; null otherwise.</summary>
    public string? Boundary { get; private init; }

    /// <summary>The ranges to send for 206 (one, or several framed with
    /// <see cref="MultipartByteRanges"/> and <see cref="Boundary"/>); empty otherwise, which for
    /// 200 means the whole representation.</summary>
    public ReadOnlySpan<ByteRange> Ranges => ranges;

    /// <summary>Whether the 206 body is multipart/byteranges.</summary>
    public bool IsMultipart => Boundary is not null;

    /// <summary>
    /// Decides the answer. <paramref name="rangeHeader"/> is the Range field value (null when
    /// absent); <paramref name="etag"/> the ETag field value the response will carry (null for
    /// none); <paramref name="lastModified"/> the modification time (null when unknown);
    /// <paramref name="length"/> the representation's length in bytes;
    /// <paramref name="contentType"/> its media type (null for none); <paramref name="maxRanges"/>
    /// the most ranges honoured (from settings); <paramref name="newBoundary"/> makes the multipart
    /// boundary (normally <see cref="MultipartByteRanges.NewBoundary"/>; a fixed one in tests).
    /// </summary>
    public static ContentPlan Decide(
        in ConditionalRequest request,
        string? rangeHeader,
        string? etag,
        DateTimeOffset? lastModified,
        long length,
        string? contentType,
        int maxRanges,
        Func<string> newBoundary)
    {
        ArgumentNullException.ThrowIfNull(newBoundary);
        var knownTime = Preconditions.IsKnownTime(lastModified);
        var pre = Preconditions.Evaluate(request, etag, lastModified);
        switch (pre.Outcome)
        {
            case PreconditionOutcome.NotModified:
                return new ContentPlan(304, [])
                {
                    SendValidators = true,
                    SendLastModified = knownTime && string.IsNullOrEmpty(etag),
                };
            case PreconditionOutcome.PreconditionFailed:
                return new ContentPlan(412, []) { SendValidators = true, SendLastModified = knownTime };
        }

        var range = pre.IgnoreRange ? RangeResult.NoRange : RangeHeader.Parse(rangeHeader, length, maxRanges);
        switch (range.Kind)
        {
            case RangeResultKind.Unsatisfiable:
                return new ContentPlan(416, []) { ContentRange = RangeHeader.FormatUnsatisfied(length) };

            case RangeResultKind.Satisfiable when range.Ranges.Length == 1:
                // RFC 9110 §14.6: a single range is never sent as multipart.
                var only = range.Ranges[0];
                return new ContentPlan(206, [only])
                {
                    ContentType = contentType,
                    ContentRange = only.ToContentRange(length),
                    ContentLength = only.Length,
                    AcceptRanges = true,
                    SendValidators = true,
                    SendLastModified = knownTime,
                };

            case RangeResultKind.Satisfiable:
                var boundary = newBoundary();
                return new ContentPlan(206, range.Ranges.ToArray())
                {
                    ContentType = MultipartByteRanges.ContentType(boundary),
                    ContentLength = MultipartByteRanges.ContentLength(range.Ranges, boundary, contentType, length),
                    Boundary = boundary,
                    PartContentType = contentType,
                    AcceptRanges = true,
                    SendValidators = true,
                    SendLastModified = knownTime,
                };

            default:
                return new ContentPlan(200, [])
                {
                    ContentType = contentType,
                    ContentLength = length,
                    AcceptRanges = true,
                    SendValidators = true,
                    SendLastModified = knownTime,
                };
        }
    }
}
