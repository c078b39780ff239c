namespace ActorHttp.Protocol.Semantics;

/// <summary>
/// Conditional request evaluation (RFC 9110 §13.2.2) for a resource with an optional entity tag
/// and last-modification time, in the order and with the details of Go's <c>checkPreconditions</c>.
/// </summary>
/// <remarks>
/// <para><b>Order</b> (RFC 9110 §13.2.2):</para>
/// <list type="number">
/// <item>If-Match present: false (no listed tag strongly matches, and no <c>*</c>) → 412.
/// Otherwise, If-Unmodified-Since present and the resource has a known modification time: modified
/// after the date → 412.</item>
/// <item>If-None-Match present: a listed tag weakly matches, or <c>*</c> → 304 for GET/HEAD,
/// 412 for any other method. Otherwise, for GET/HEAD only, If-Modified-Since present and the
/// resource not modified after the date → 304.</item>
/// <item>If-Range (GET/HEAD only) that fails → proceed but ignore Range. An entity tag must match
/// strongly (a weak tag never does); a date must equal the modification time to the second; a value
/// that is neither, or a date when the modification time is unknown, fails.</item>
/// </list>
/// <para><b>Details kept from Go.</b> A list stops at the first element that is not an entity tag
/// (the rest is ignored; nothing after junk can match). Modification times are truncated to whole
/// seconds before comparing, because Last-Modified carries no fraction. A modification time equal to
/// the Unix epoch counts as unknown for the date conditions (a file system that has none reports
/// it), except in If-Range, where Go only treats the zero time as unknown.</para>
/// <para><b>Resource validators.</b> <c>etag</c> is the ETag field value the response carries (or
/// null for none), compared as text exactly as Go compares the header it finds on the writer;
/// <c>lastModified</c> is the modification time, or null when unknown.</para>
/// </remarks>
public static class Preconditions
{
    private static readonly string[] RepresentationFields = ["Content-Type", "Content-Length", "Content-Encoding"];
    private static readonly string[] RepresentationFieldsAndLastModified = ["Content-Type", "Content-Length", "Content-Encoding", "Last-Modified"];

    private enum Condition
    {
        None,
        True,
        False,
    }

    /// <summary>Evaluates the request's preconditions against the resource's validators.</summary>
    public static PreconditionResult Evaluate(in ConditionalRequest request, string? etag, DateTimeOffset? lastModified)
    {
        var ch = CheckIfMatch(request.IfMatch, etag);
        if (ch == Condition.None)
        {
            ch = CheckIfUnmodifiedSince(request.IfUnmodifiedSince, lastModified);
        }

        if (ch == Condition.False)
        {
            return new PreconditionResult(PreconditionOutcome.PreconditionFailed, false);
        }

        var isGetOrHead = IsGetOrHead(request.Method);
        switch (CheckIfNoneMatch(request.IfNoneMatch, etag))
        {
            case Condition.False:
                return new PreconditionResult(isGetOrHead ? PreconditionOutcome.NotModified : PreconditionOutcome.PreconditionFailed, false);
            case Condition.None:
                if (isGetOrHead && CheckIfModifiedSince(request.IfModifiedSince, lastModified) == Condition.False)
                {
                    return new PreconditionResult(PreconditionOutcome.NotModified, false);
                }

                break;
        }

        var ignoreRange = isGetOrHead && CheckIfRange(request.IfRange, request.IfRangeDate, etag, lastModified) == Condition.False;
        return new PreconditionResult(PreconditionOutcome.Proceed, ignoreRange);
    }

    /// <summary>
    /// The response fields a 304 must not carry when the handler had already set them (Go's
    /// <c>writeNotModified</c>, after RFC 9110 §15.4.5): the representation metadata, and
    /// Last-Modified too when an ETag is sent (a cache then validates with the tag).
    /// </summary>
    public static IReadOnlyList<string> FieldsToOmitOnNotModified(bool hasETag) =>
        hasETag ? RepresentationFieldsAndLastModified : RepresentationFields;

    /// <summary>
    /// Whether a modification time is worth sending as Last-Modified and comparing against dates:
    /// false for unknown (null), the zero time and the Unix epoch (Go's <c>isZeroTime</c>).
    /// </summary>
    public static bool IsKnownTime(DateTimeOffset? time) =>
        time is { } t && t.UtcTicks != 0 && t.UtcTicks != DateTimeOffset.UnixEpoch.UtcTicks;

    private static bool IsGetOrHead(string method) => method is "GET" or "HEAD";

    private static Condition CheckIfMatch(string? ifMatch, string? etag)
    {
        if (string.IsNullOrEmpty(ifMatch)) return Condition.None;
        return AnyTagMatches(ifMatch, etag, weak: false) ? Condition.True : Condition.False;
    }

    // True when the list is "*" or names a tag that matches etag (strongly or weakly, as the field
    // requires). Like Go's scanETag loops, scanning stops at the first element that is not a tag.
    private static bool AnyTagMatches(string list, string? etag, bool weak)
    {
        var rest = list.AsSpan();
        while (true)
        {
            rest = EntityTag.TrimOws(rest);
            if (rest.IsEmpty) return false;
            if (rest[0] == ',')
            {
                rest = rest[1..];
                continue;
            }

            if (rest[0] == '*') return true;
            if (!EntityTag.Scan(rest, out var tag, out rest)) return false;
            if (weak ? EntityTag.WeakMatch(tag, etag) : EntityTag.StrongMatch(tag, etag)) return true;
        }
    }

    private static Condition CheckIfUnmodifiedSince(DateTimeOffset? ifUnmodifiedSince, DateTimeOffset? lastModified)
    {
        if (ifUnmodifiedSince is not { } date || !IsKnownTime(lastModified))
        {
            return Condition.None;
        }

        return TruncatedUtcTicks(lastModified!.Value) <= date.UtcTicks ? Condition.True : Condition.False;
    }

    private static Condition CheckIfNoneMatch(string? ifNoneMatch, string? etag)
    {
        if (string.IsNullOrEmpty(ifNoneMatch)) return Condition.None;
        return AnyTagMatches(ifNoneMatch, etag, weak: true) ? Condition.False : Condition.True;
    }

    private static Condition CheckIfModifiedSince(DateTimeOffset? ifModifiedSince, DateTimeOffset? lastModified)
    {
        if (ifModifiedSince is not { } date || !IsKnownTime(lastModified))
        {
            return Condition.None;
        }

        return TruncatedUtcTicks(lastModified!.Value) <= date.UtcTicks ? Condition.False : Condition.True;
    }

    private static Condition CheckIfRange(string? ifRange, DateTimeOffset? ifRangeDate, string? etag, DateTimeOffset? lastModified)
    {
        if (string.IsNullOrEmpty(ifRange))
        {
            // A caller that only kept the parsed date still gets it evaluated.
            if (ifRangeDate is null)
            {
                return Condition.None;
            }
        }
        else if (EntityTag.Scan(ifRange, out var tag, out _))
        {
            return EntityTag.StrongMatch(tag, etag) ? Condition.True : Condition.False;
        }

        // Not a tag, so a date (golang.org/issue/8367); an unknown modification time cannot match it.
        if (lastModified is not { } modified || modified.UtcTicks == 0 || ifRangeDate is not { } date)
        {
            return Condition.False;
        }

        return UnixSeconds(modified) == UnixSeconds(date) ? Condition.True : Condition.False;
    }

    // Last-Modified has whole seconds, so the resource's time is cut to the second before comparing.
    private static long TruncatedUtcTicks(DateTimeOffset t) => t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerSecond);

    // Go's Time.Unix(): whole seconds since the epoch, rounded toward minus infinity.
    private static long UnixSeconds(DateTimeOffset t)
    {
        var ticks = t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var seconds = ticks / TimeSpan.TicksPerSecond;
        return ticks % TimeSpan.TicksPerSecond < 0 ? seconds - 1 : seconds;
    }
}
