using System.Text;
using ActorHttp.Protocol.Semantics;

namespace ActorHttp.Protocol.Tests.Semantics;

public class ContentPlanTests
{
    private const string Css = "a{b:c}\n\n"; // stands in for Go's 8-byte testdata/style.css
    private const string CssType = "text/css; charset=utf-8";
    private static readonly DateTimeOffset Modified = new(2014, 6, 25, 17, 12, 18, TimeSpan.Zero);

    private static ContentPlan Decide(ConditionalRequest request, string? range, string? etag, DateTimeOffset? modified, long length = 8, string? type = CssType) =>
        ContentPlan.Decide(request, range, etag, modified, length, type, maxRanges: 100, () => "BOUNDARY");

    // Go's TestServeContent rows with their full expectations: status, Content-Type,
    // Content-Range and whether Last-Modified is sent.
    [Fact]
    public void Matches_go_serve_content()
    {
        var get = new ConditionalRequest("GET");

        Check(Decide(get, null, null, null), 200, CssType, null, lastModified: false);
        Check(Decide(get, null, null, Modified), 200, CssType, null, lastModified: true);
        Check(Decide(get with { IfModifiedSince = Modified }, null, "\"foo\"", Modified), 304, null, null, lastModified: false);
        Check(Decide(get with { IfNoneMatch = "\"foo\"" }, null, "\"foo\"", null), 304, null, null, lastModified: false);
        Check(Decide(get with { IfNoneMatch = "\"Foo\"" }, null, "\"foo\"", null), 200, CssType, null, lastModified: false);
        Check(Decide(get, "bytes=0-4", "\"A\"", null), 206, CssType, "bytes 0-4/8", lastModified: false);
        Check(Decide(get with { IfRange = "\"A\"" }, "bytes=0-4", "\"A\"", null), 206, CssType, "bytes 0-4/8", lastModified: false);
        Check(Decide(get with { IfRange = "W/\"A\"" }, "bytes=0-4", "W/\"A\"", null), 200, CssType, null, lastModified: false);
        Check(Decide(get, "bytes=10-20", "\"A\"", null), 416, null, "bytes */8", lastModified: false);
        Check(Decide(get with { IfRange = "\"B\"" }, "bytes=0-4", "\"A\"", null), 200, CssType, null, lastModified: false);
        Check(Decide(get with { IfRange = "x", IfRangeDate = Modified }, "bytes=0-4", null, Modified), 206, CssType, "bytes 0-4/8", lastModified: true);
        Check(Decide(get with { IfRange = "x", IfRangeDate = Modified.AddSeconds(1) }, "bytes=0-4", null, Modified), 200, CssType, null, lastModified: true);
        Check(Decide(get with { IfRange = "x", IfRangeDate = Modified }, "bytes=0-4", null, Modified.AddTicks(1)), 206, CssType, "bytes 0-4/8", lastModified: true);
        Check(Decide(get, null, null, DateTimeOffset.UnixEpoch, 9, "text/html; charset=utf-8"), 200, "text/html; charset=utf-8", null, lastModified: false);
        Check(Decide(get with { IfMatch = "\"Z\", \"A\"" }, null, "\"A\"", null), 200, CssType, null, lastModified: false);
        Check(Decide(get with { IfMatch = "*" }, null, "\"A\"", null), 200, CssType, null, lastModified: false);
        Check(Decide(get with { IfMatch = "\"B\"" }, null, "\"A\"", null), 412, null, null, lastModified: false);
        Check(Decide(get with { IfMatch = "W/\"A\"" }, null, "W/\"A\"", null), 412, null, null, lastModified: false);
        Check(Decide(get with { IfUnmodifiedSince = Modified }, null, null, Modified), 200, CssType, null, lastModified: true);
        Check(Decide(get with { IfUnmodifiedSince = Modified.AddSeconds(-2) }, null, null, Modified), 412, null, null, lastModified: true);
    }

    [Fact]
    public void Not_modified_without_etag_keeps_last_modified()
    {
        var plan = Decide(new ConditionalRequest("GET") { IfModifiedSince = Modified }, null, null, Modified);
        Assert.Equal(304, plan.Status);
        Assert.True(plan.SendLastModified);
        Assert.Null(plan.ContentLength);
        Assert.False(plan.AcceptRanges);
    }

    [Fact]
    public void Unsatisfiable_strips_validators_and_range_support()
    {
        var plan = Decide(new ConditionalRequest("GET"), "bytes=100-", "\"A\"", Modified);
        Assert.Equal(416, plan.Status);
        Assert.False(plan.SendValidators);
        Assert.False(plan.SendLastModified);
        Assert.False(plan.AcceptRanges);
        Assert.Null(plan.ContentLength);
        Assert.True(plan.Ranges.IsEmpty);
    }

    [Theory]
    [InlineData("bytes=0-128")]
    [InlineData("bytes=1-")]
    public void Empty_content_ignores_ranges(string range) // Go's TestServeContentWithEmptyContentIgnoreRanges
    {
        var plan = Decide(new ConditionalRequest("GET"), range, null, Modified, length: 0);
        Assert.Equal(200, plan.Status);
        Assert.Equal(0, plan.ContentLength);
    }

    [Fact]
    public void Whole_representation_has_its_length_and_accepts_ranges()
    {
        var plan = Decide(new ConditionalRequest("HEAD"), null, "\"A\"", Modified, length: 12345, type: null);
        Assert.Equal(200, plan.Status);
        Assert.Null(plan.ContentType);
        Assert.Equal(12345, plan.ContentLength);
        Assert.True(plan.AcceptRanges);
        Assert.True(plan.SendValidators);
        Assert.False(plan.IsMultipart);
    }

    [Fact]
    public void Several_ranges_are_planned_as_multipart_with_an_exact_length()
    {
        var plan = Decide(new ConditionalRequest("GET"), "bytes=0-1,5-", null, Modified);
        Assert.Equal(206, plan.Status);
        Assert.True(plan.IsMultipart);
        Assert.Equal("BOUNDARY", plan.Boundary);
        Assert.Equal("multipart/byteranges; boundary=BOUNDARY", plan.ContentType);
        Assert.Equal(CssType, plan.PartContentType);
        Assert.Null(plan.ContentRange);
        Assert.Equal([new ByteRange(0, 2), new ByteRange(5, 3)], plan.Ranges.ToArray());

        var body = new StringBuilder();
        for (var i = 0; i < plan.Ranges.Length; i++)
        {
            var r = plan.Ranges[i];
            body.Append(MultipartByteRanges.PartHeader(i, plan.Boundary!, r, plan.PartContentType, Css.Length));
            body.Append(Css, (int)r.Start, (int)r.Length);
        }

        body.Append(MultipartByteRanges.Closing(plan.Boundary!));
        Assert.Equal(body.Length, plan.ContentLength);
    }

    [Fact]
    public void Range_limit_from_settings_applies()
    {
        var plan = ContentPlan.Decide(new ConditionalRequest("GET"), "bytes=0-0,2-2,4-4", null, null, 8, CssType, maxRanges: 2, () => "B");
        Assert.Equal(200, plan.Status);
    }

    [Fact]
    public void Boundary_is_made_only_for_multipart()
    {
        var calls = 0;
        ContentPlan.Decide(new ConditionalRequest("GET"), "bytes=0-1", null, null, 8, CssType, 10, () => { calls++; return "B"; });
        Assert.Equal(0, calls);
        ContentPlan.Decide(new ConditionalRequest("GET"), "bytes=0-1,3-4", null, null, 8, CssType, 10, () => { calls++; return "B"; });
        Assert.Equal(1, calls);
    }

    private static void Check(ContentPlan plan, int status, string? contentType, string? contentRange, bool lastModified)
    {
        Assert.Equal(status, plan.Status);
        Assert.Equal(contentType, plan.ContentType);
        Assert.Equal(contentRange, plan.ContentRange);
        Assert.Equal(lastModified, plan.SendLastModified);
        if (status is 200 or 206)
        {
            Assert.True(plan.AcceptRanges);
            Assert.NotNull(plan.ContentLength);
        }
    }
}
