using ActorHttp.Protocol.Semantics;

namespace ActorHttp.Protocol.Tests.Semantics;

public class PreconditionsTests
{
    private static readonly DateTimeOffset Modified = new(2014, 6, 25, 17, 12, 18, TimeSpan.Zero);
    private static readonly DateTimeOffset ModifiedWithNanos = Modified.AddTicks(1); // 100 ns past the second

    // One row: the request, the resource's ETag and Last-Modified, the expected outcome and
    // whether Range must be ignored. "P" proceed, "304", "412".
    public sealed record Case(string Name, ConditionalRequest Request, string? ETag, DateTimeOffset? LastModified, string Want, bool IgnoreRange = false)
    {
        public override string ToString() => Name;
    }

    private static ConditionalRequest Get => new("GET");

    // Go's TestServeContent cases that exercise checkPreconditions (net/http/fs_test.go).
    public static TheoryData<Case> GoServeContentTable => new()
    {
        new Case("no_last_modified", Get, null, null, "P"),
        new Case("not_modified_modtime", Get with { IfModifiedSince = Modified }, "\"foo\"", Modified, "304"),
        new Case("not_modified_etag", Get with { IfNoneMatch = "\"foo\"" }, "\"foo\"", null, "304"),
        new Case("not_modified_etag_no_seek", Get with { IfNoneMatch = "\"baz\", W/\"foo\"" }, "W/\"foo\"", null, "304"),
        new Case("if_none_match_mismatch", Get with { IfNoneMatch = "\"Foo\"" }, "\"foo\"", null, "P"),
        new Case("if_none_match_malformed", Get with { IfNoneMatch = "," }, "\"foo\"", null, "P"),
        new Case("range_good", Get, "\"A\"", null, "P"),
        new Case("range_match", Get with { IfRange = "\"A\"" }, "\"A\"", null, "P"),
        new Case("range_match_weak_etag", Get with { IfRange = "W/\"A\"" }, "W/\"A\"", null, "P", IgnoreRange: true),
        new Case("range_no_match", Get with { IfRange = "\"B\"" }, "\"A\"", null, "P", IgnoreRange: true),
        new Case("range_with_modtime", Get with { IfRange = "Wed, 25 Jun 2014 17:12:18 GMT", IfRangeDate = Modified }, null, Modified, "P"),
        new Case("range_with_modtime_mismatch", Get with { IfRange = "Wed, 25 Jun 2014 17:12:19 GMT", IfRangeDate = Modified.AddSeconds(1) }, null, Modified, "P", IgnoreRange: true),
        new Case("range_with_modtime_nanos", Get with { IfRange = "Wed, 25 Jun 2014 17:12:18 GMT", IfRangeDate = Modified }, null, ModifiedWithNanos, "P"),
        new Case("ifmatch_matches", Get with { IfMatch = "\"Z\", \"A\"" }, "\"A\"", null, "P"),
        new Case("ifmatch_star", Get with { IfMatch = "*" }, "\"A\"", null, "P"),
        new Case("ifmatch_failed", Get with { IfMatch = "\"B\"" }, "\"A\"", null, "412"),
        new Case("ifmatch_fails_on_weak_etag", Get with { IfMatch = "W/\"A\"" }, "W/\"A\"", null, "412"),
        new Case("if_unmodified_since_true", Get with { IfUnmodifiedSince = Modified }, null, Modified, "P"),
        new Case("if_unmodified_since_false", Get with { IfUnmodifiedSince = Modified.AddSeconds(-2) }, null, Modified, "412"),
    };

    // RFC 9110 §13.2.2's order and each field's rules, one row per rule.
    public static TheoryData<Case> RfcTable => new()
    {
        // Step 1/2: If-Match wins over If-Unmodified-Since.
        new Case("if-match true hides a failing if-unmodified-since", Get with { IfMatch = "\"A\"", IfUnmodifiedSince = Modified.AddDays(-1) }, "\"A\"", Modified, "P"),
        new Case("if-match false with a passing if-unmodified-since", Get with { IfMatch = "\"B\"", IfUnmodifiedSince = Modified.AddDays(1) }, "\"A\"", Modified, "412"),
        new Case("if-match * on a resource without tag", Get with { IfMatch = "*" }, null, null, "P"),
        new Case("if-match tag on a resource without tag", Get with { IfMatch = "\"A\"" }, null, null, "412"),
        new Case("if-match list stops at junk", Get with { IfMatch = "junk, \"A\"" }, "\"A\"", null, "412"),
        new Case("if-match list with empty elements", Get with { IfMatch = " , ,\"A\"" }, "\"A\"", null, "P"),
        new Case("if-match on PUT", new ConditionalRequest("PUT") { IfMatch = "\"A\"" }, "\"A\"", null, "P"),
        new Case("if-match fails on PUT", new ConditionalRequest("PUT") { IfMatch = "\"B\"" }, "\"A\"", null, "412"),
        new Case("if-unmodified-since equal to the second", Get with { IfUnmodifiedSince = Modified }, null, ModifiedWithNanos, "P"),
        new Case("if-unmodified-since with unknown time is ignored", Get with { IfUnmodifiedSince = Modified.AddDays(-1) }, null, null, "P"),
        new Case("if-unmodified-since with epoch time is ignored", Get with { IfUnmodifiedSince = Modified.AddDays(-1) }, null, DateTimeOffset.UnixEpoch, "P"),

        // Step 1 before step 3: 412 wins over 304.
        new Case("failed if-match beats matching if-none-match", Get with { IfMatch = "\"B\"", IfNoneMatch = "\"A\"" }, "\"A\"", null, "412"),

        // Step 3/4: If-None-Match wins over If-Modified-Since.
        new Case("if-none-match miss hides if-modified-since", Get with { IfNoneMatch = "\"B\"", IfModifiedSince = Modified }, "\"A\"", Modified, "P"),
        new Case("if-none-match hit", Get with { IfNoneMatch = "\"A\"", IfModifiedSince = Modified.AddDays(-1) }, "\"A\"", Modified, "304"),
        new Case("if-none-match weak comparison", Get with { IfNoneMatch = "W/\"A\"" }, "\"A\"", null, "304"),
        new Case("if-none-match * on GET", Get with { IfNoneMatch = "*" }, null, null, "304"),
        new Case("if-none-match * on PUT", new ConditionalRequest("PUT") { IfNoneMatch = "*" }, null, null, "412"),
        new Case("if-none-match hit on HEAD", new ConditionalRequest("HEAD") { IfNoneMatch = "\"A\"" }, "\"A\"", null, "304"),
        new Case("if-none-match hit on POST", new ConditionalRequest("POST") { IfNoneMatch = "\"A\"" }, "\"A\"", null, "412"),
        new Case("methods are case-sensitive", new ConditionalRequest("get") { IfNoneMatch = "\"A\"" }, "\"A\"", null, "412"),
        new Case("if-none-match list stops at junk", Get with { IfNoneMatch = "\"x\" junk, \"A\"" }, "\"A\"", null, "P"),
        new Case("if-none-match without resource tag", Get with { IfNoneMatch = "\"A\"" }, null, null, "P"),

        new Case("if-modified-since after modification", Get with { IfModifiedSince = Modified.AddSeconds(1) }, null, Modified, "304"),
        new Case("if-modified-since before modification", Get with { IfModifiedSince = Modified.AddSeconds(-1) }, null, Modified, "P"),
        new Case("if-modified-since equal after truncation", Get with { IfModifiedSince = Modified }, null, ModifiedWithNanos, "304"),
        new Case("if-modified-since in another offset", Get with { IfModifiedSince = Modified.ToOffset(TimeSpan.FromHours(-7)) }, null, Modified, "304"),
        new Case("if-modified-since on POST is ignored", new ConditionalRequest("POST") { IfModifiedSince = Modified }, null, Modified, "P"),
        new Case("if-modified-since with unknown time", Get with { IfModifiedSince = Modified }, null, null, "P"),
        new Case("if-modified-since with epoch time", Get with { IfModifiedSince = Modified }, null, DateTimeOffset.UnixEpoch, "P"),
        new Case("if-modified-since with zero time", Get with { IfModifiedSince = Modified }, null, default(DateTimeOffset), "P"),

        // Step 5: If-Range.
        new Case("if-range on POST is not evaluated", new ConditionalRequest("POST") { IfRange = "\"B\"" }, "\"A\"", null, "P"),
        new Case("if-range on HEAD", new ConditionalRequest("HEAD") { IfRange = "\"B\"" }, "\"A\"", null, "P", IgnoreRange: true),
        new Case("if-range weak request tag", Get with { IfRange = "W/\"A\"" }, "\"A\"", null, "P", IgnoreRange: true),
        new Case("if-range tag without resource tag", Get with { IfRange = "\"A\"" }, null, Modified, "P", IgnoreRange: true),
        new Case("if-range tag followed by junk uses the tag", Get with { IfRange = "\"A\" junk" }, "\"A\"", null, "P"),
        new Case("if-range date with unknown time", Get with { IfRange = "Wed, 25 Jun 2014 17:12:18 GMT", IfRangeDate = Modified }, null, null, "P", IgnoreRange: true),
        new Case("if-range that is neither tag nor date", Get with { IfRange = "yesterday" }, null, Modified, "P", IgnoreRange: true),
        new Case("if-range date in another offset", Get with { IfRange = "x", IfRangeDate = Modified.ToOffset(TimeSpan.FromHours(3)) }, null, Modified, "P"),
        new Case("if-range date earlier", Get with { IfRange = "x", IfRangeDate = Modified.AddSeconds(-1) }, null, Modified, "P", IgnoreRange: true),
        new Case("if-range with epoch time matches epoch (Go only treats zero as unknown)", Get with { IfRange = "x", IfRangeDate = DateTimeOffset.UnixEpoch }, null, DateTimeOffset.UnixEpoch, "P"),
        new Case("no range decision on 304", Get with { IfNoneMatch = "\"A\"", IfRange = "\"B\"" }, "\"A\"", null, "304"),
        new Case("if-range given only as a parsed date", Get with { IfRangeDate = Modified.AddSeconds(-1) }, null, Modified, "P", IgnoreRange: true),
        new Case("if-range given only as a matching parsed date", Get with { IfRangeDate = Modified }, null, Modified, "P"),
        new Case("empty fields are absent", Get with { IfMatch = "", IfNoneMatch = "", IfRange = "" }, "\"A\"", Modified, "P"),
    };

    [Theory]
    [MemberData(nameof(GoServeContentTable))]
    [MemberData(nameof(RfcTable))]
    public void Evaluates(Case c)
    {
        var result = Preconditions.Evaluate(c.Request, c.ETag, c.LastModified);
        var got = result.Outcome switch
        {
            PreconditionOutcome.Proceed => "P",
            PreconditionOutcome.NotModified => "304",
            _ => "412",
        };
        Assert.Equal(c.Want, got);
        Assert.Equal(c.IgnoreRange, result.IgnoreRange);
    }

    [Fact]
    public void Not_modified_drops_representation_fields_and_last_modified_only_with_an_etag()
    {
        Assert.Equal(["Content-Type", "Content-Length", "Content-Encoding"], Preconditions.FieldsToOmitOnNotModified(hasETag: false));
        Assert.Equal(["Content-Type", "Content-Length", "Content-Encoding", "Last-Modified"], Preconditions.FieldsToOmitOnNotModified(hasETag: true));
    }

    [Fact]
    public void Known_times_exclude_zero_and_the_epoch()
    {
        Assert.False(Preconditions.IsKnownTime(null));
        Assert.False(Preconditions.IsKnownTime(default(DateTimeOffset)));
        Assert.False(Preconditions.IsKnownTime(DateTimeOffset.UnixEpoch));
        Assert.False(Preconditions.IsKnownTime(DateTimeOffset.UnixEpoch.ToOffset(TimeSpan.FromHours(1))));
        Assert.True(Preconditions.IsKnownTime(Modified));
    }

    [Fact]
    public void Method_is_required()
    {
        Assert.Throws<ArgumentNullException>(() => new ConditionalRequest(null!));
    }
}
