using ActorHttp.Server.Routing;
using static ActorHttp.Server.Routing.RouteRelationship;

namespace ActorHttp.Actors.Tests.Server.Routing;

public class PatternComparisonTests
{
    private static RoutePattern P(string text) => RoutePattern.Parse(text);

    // Go's TestCompareMethods.
    public static TheoryData<string, string, string> MethodCases => new()
    {
        { "/", "/", nameof(Equivalent) },
        { "GET /", "GET /", nameof(Equivalent) },
        { "HEAD /", "HEAD /", nameof(Equivalent) },
        { "POST /", "POST /", nameof(Equivalent) },
        { "GET /", "POST /", nameof(Disjoint) },
        { "GET /", "/", nameof(MoreSpecific) },
        { "HEAD /", "/", nameof(MoreSpecific) },
        { "GET /", "HEAD /", nameof(MoreGeneral) },
    };

    [Theory]
    [MemberData(nameof(MethodCases))]
    public void Compare_methods(string p1, string p2, string relationship)
    {
        var expected = Enum.Parse<RouteRelationship>(relationship);
        Assert.Equal(expected, PatternComparison.CompareMethods(P(p1), P(p2)));
        Assert.Equal(PatternComparison.Inverse(expected), PatternComparison.CompareMethods(P(p2), P(p1)));
    }

    // Go's TestComparePaths: every kind of final segment against every other.
    public static TheoryData<string, string, string> PathCases => new()
    {
        // A literal is more specific than anything it overlaps, except itself.
        { "/a", "/a", nameof(Equivalent) },
        { "/a", "/b", nameof(Disjoint) },
        { "/a", "/", nameof(MoreSpecific) },
        { "/a", "/{$}", nameof(Disjoint) },
        { "/a", "/{x}", nameof(MoreSpecific) },
        { "/a", "/{x...}", nameof(MoreSpecific) },
        { "/b/a", "/b/a", nameof(Equivalent) },
        { "/b/a", "/b/b", nameof(Disjoint) },
        { "/b/a", "/b/", nameof(MoreSpecific) },
        { "/b/a", "/b/{$}", nameof(Disjoint) },
        { "/b/a", "/b/{x}", nameof(MoreSpecific) },
        { "/b/a", "/b/{x...}", nameof(MoreSpecific) },
        { "/{z}/a", "/{z}/a", nameof(Equivalent) },
        { "/{z}/a", "/{z}/b", nameof(Disjoint) },
        { "/{z}/a", "/{z}/", nameof(MoreSpecific) },
        { "/{z}/a", "/{z}/{$}", nameof(Disjoint) },
        { "/{z}/a", "/{z}/{x}", nameof(MoreSpecific) },
        { "/{z}/a", "/{z}/{x...}", nameof(MoreSpecific) },
        // Single wildcard on the left.
        { "/{z}", "/a", nameof(MoreGeneral) },
        { "/{z}", "/a/b", nameof(Disjoint) },
        { "/{z}", "/{$}", nameof(Disjoint) },
        { "/{z}", "/{x}", nameof(Equivalent) },
        { "/{z}", "/", nameof(MoreSpecific) },
        { "/{z}", "/{x...}", nameof(MoreSpecific) },
        { "/b/{z}", "/b/a", nameof(MoreGeneral) },
        { "/b/{z}", "/b/a/b", nameof(Disjoint) },
        { "/b/{z}", "/b/{$}", nameof(Disjoint) },
        { "/b/{z}", "/b/{x}", nameof(Equivalent) },
        { "/b/{z}", "/b/", nameof(MoreSpecific) },
        { "/b/{z}", "/b/{x...}", nameof(MoreSpecific) },
        // Trailing slash on the left.
        { "/", "/a", nameof(MoreGeneral) },
        { "/", "/a/b", nameof(MoreGeneral) },
        { "/", "/{$}", nameof(MoreGeneral) },
        { "/", "/{x}", nameof(MoreGeneral) },
        { "/", "/", nameof(Equivalent) },
        { "/", "/{x...}", nameof(Equivalent) },
        { "/b/", "/b/a", nameof(MoreGeneral) },
        { "/b/", "/b/a/b", nameof(MoreGeneral) },
        { "/b/", "/b/{$}", nameof(MoreGeneral) },
        { "/b/", "/b/{x}", nameof(MoreGeneral) },
        { "/b/", "/b/", nameof(Equivalent) },
        { "/b/", "/b/{x...}", nameof(Equivalent) },
        { "/{z}/", "/{z}/a", nameof(MoreGeneral) },
        { "/{z}/", "/{z}/a/b", nameof(MoreGeneral) },
        { "/{z}/", "/{z}/{$}", nameof(MoreGeneral) },
        { "/{z}/", "/{z}/{x}", nameof(MoreGeneral) },
        { "/{z}/", "/{z}/", nameof(Equivalent) },
        { "/{z}/", "/a/", nameof(MoreGeneral) },
        { "/{z}/", "/{z}/{x...}", nameof(Equivalent) },
        { "/{z}/", "/a/{x...}", nameof(MoreGeneral) },
        { "/a/{z}/", "/{z}/a/", nameof(Overlaps) },
        { "/a/{z}/b/", "/{x}/c/{y...}", nameof(Overlaps) },
        // Remainder on the left.
        { "/{m...}", "/a", nameof(MoreGeneral) },
        { "/{m...}", "/a/b", nameof(MoreGeneral) },
        { "/{m...}", "/{$}", nameof(MoreGeneral) },
        { "/{m...}", "/{x}", nameof(MoreGeneral) },
        { "/{m...}", "/", nameof(Equivalent) },
        { "/{m...}", "/{x...}", nameof(Equivalent) },
        { "/b/{m...}", "/b/a", nameof(MoreGeneral) },
        { "/b/{m...}", "/b/a/b", nameof(MoreGeneral) },
        { "/b/{m...}", "/b/{$}", nameof(MoreGeneral) },
        { "/b/{m...}", "/b/{x}", nameof(MoreGeneral) },
        { "/b/{m...}", "/b/", nameof(Equivalent) },
        { "/b/{m...}", "/b/{x...}", nameof(Equivalent) },
        { "/b/{m...}", "/a/{x...}", nameof(Disjoint) },
        { "/{z}/{m...}", "/{z}/a", nameof(MoreGeneral) },
        { "/{z}/{m...}", "/{z}/a/b", nameof(MoreGeneral) },
        { "/{z}/{m...}", "/{z}/{$}", nameof(MoreGeneral) },
        { "/{z}/{m...}", "/{z}/{x}", nameof(MoreGeneral) },
        { "/{z}/{m...}", "/{w}/", nameof(Equivalent) },
        { "/{z}/{m...}", "/a/", nameof(MoreGeneral) },
        { "/{z}/{m...}", "/{z}/{x...}", nameof(Equivalent) },
        { "/{z}/{m...}", "/a/{x...}", nameof(MoreGeneral) },
        { "/a/{m...}", "/a/b/{y...}", nameof(MoreGeneral) },
        { "/a/{m...}", "/a/{x}/{y...}", nameof(MoreGeneral) },
        { "/a/{z}/{m...}", "/a/b/{y...}", nameof(MoreGeneral) },
        { "/a/{z}/{m...}", "/{z}/a/", nameof(Overlaps) },
        { "/a/{z}/{m...}", "/{z}/b/{y...}", nameof(Overlaps) },
        { "/a/{z}/b/{m...}", "/{x}/c/{y...}", nameof(Overlaps) },
        { "/a/{z}/a/{m...}", "/{x}/b", nameof(Disjoint) },
        // {$} on the left.
        { "/{$}", "/a", nameof(Disjoint) },
        { "/{$}", "/a/b", nameof(Disjoint) },
        { "/{$}", "/{$}", nameof(Equivalent) },
        { "/{$}", "/{x}", nameof(Disjoint) },
        { "/{$}", "/", nameof(MoreSpecific) },
        { "/{$}", "/{x...}", nameof(MoreSpecific) },
        { "/b/{$}", "/b", nameof(Disjoint) },
        { "/b/{$}", "/b/a", nameof(Disjoint) },
        { "/b/{$}", "/b/a/b", nameof(Disjoint) },
        { "/b/{$}", "/b/{$}", nameof(Equivalent) },
        { "/b/{$}", "/b/{x}", nameof(Disjoint) },
        { "/b/{$}", "/b/", nameof(MoreSpecific) },
        { "/b/{$}", "/b/{x...}", nameof(MoreSpecific) },
        { "/b/{$}", "/b/c/{x...}", nameof(Disjoint) },
        { "/b/{x}/a/{$}", "/{x}/c/{y...}", nameof(Overlaps) },
        { "/{x}/b/{$}", "/a/{x}/{y}", nameof(Disjoint) },
        { "/{x}/b/{$}", "/a/{x}/c", nameof(Disjoint) },
        { "/{z}/{$}", "/{z}/a", nameof(Disjoint) },
        { "/{z}/{$}", "/{z}/a/b", nameof(Disjoint) },
        { "/{z}/{$}", "/{z}/{$}", nameof(Equivalent) },
        { "/{z}/{$}", "/{z}/{x}", nameof(Disjoint) },
        { "/{z}/{$}", "/{z}/", nameof(MoreSpecific) },
        { "/{z}/{$}", "/a/", nameof(Overlaps) },
        { "/{z}/{$}", "/a/{x...}", nameof(Overlaps) },
        { "/{z}/{$}", "/{z}/{x...}", nameof(MoreSpecific) },
        { "/a/{z}/{$}", "/{z}/a/", nameof(Overlaps) },
        // Not in Go's table: an escaped slash is a literal, not the {$} anchor.
        { "/a/%2F", "/a/{$}", nameof(Disjoint) },
        { "/a/%2F", "/a/{x}", nameof(MoreSpecific) },
    };

    [Theory]
    [MemberData(nameof(PathCases))]
    public void Compare_paths(string p1, string p2, string relationship)
    {
        var expected = Enum.Parse<RouteRelationship>(relationship);
        Assert.Equal(Equivalent, PatternComparison.ComparePaths(P(p1), P(p1)));
        Assert.Equal(expected, PatternComparison.ComparePaths(P(p1), P(p2)));
        Assert.Equal(PatternComparison.Inverse(expected), PatternComparison.ComparePaths(P(p2), P(p1)));
    }

    // Go's TestConflictsWith, plus host cases.
    public static TheoryData<string, string, bool> ConflictCases => new()
    {
        { "/a", "/a", true },
        { "/a", "/ab", false },
        { "/a/b/cd", "/a/b/cd", true },
        { "/a/b/cd", "/a/b/c", false },
        { "/a/b/c", "/a/c/c", false },
        { "/{x}", "/{y}", true },
        { "/{x}", "/a", false },
        { "/{x}/{y}", "/{x}/a", false },
        { "/{x}/{y}", "/{x}/a/b", false },
        { "/{x}", "/a/{y}", false },
        { "/{x}/{y}", "/{x}/a/", false },
        { "/{x}", "/a/{y...}", false },
        { "/{x}/a/{y}", "/{x}/a/{y...}", false },
        { "/{x}/{y}", "/{x}/a/{$}", false },
        { "/{x}/{y}/{$}", "/{x}/a/{$}", false },
        { "/a/{x}", "/{x}/b", true },
        { "/", "GET /", false },
        { "/", "GET /foo", false },
        { "GET /", "GET /foo", false },
        { "GET /", "/foo", true },
        { "GET /foo", "HEAD /", true },
        { "example.com/a", "/a", false },
        { "example.com/a", "EXAMPLE.com/a", true },
        { "a.com/a", "b.com/a", false },
        { "a.com/{x}", "a.com/{y}", true },
    };

    [Theory]
    [MemberData(nameof(ConflictCases))]
    public void Conflicts_are_symmetric_and_match_go(string p1, string p2, bool expected)
    {
        Assert.Equal(expected, P(p1).ConflictsWith(P(p2)));
        Assert.Equal(expected, P(p2).ConflictsWith(P(p1)));
    }

    // Go's TestDescribeConflict.
    [Theory]
    [InlineData("/a/{x}", "/a/{y}", "the same requests")]
    [InlineData("/", "/{m...}", "the same requests")]
    [InlineData("/a/{x}", "/{y}/b", "both match some paths")]
    [InlineData("/a", "GET /{x}", "matches more methods than GET /{x}, but has a more specific path pattern")]
    [InlineData("GET /a", "HEAD /", "matches more methods than HEAD /, but has a more specific path pattern")]
    [InlineData("POST /", "/a", "matches fewer methods than /a, but has a more general path pattern")]
    public void Describe_conflict(string p1, string p2, string expected) =>
        Assert.Contains(expected, PatternComparison.DescribeConflict(P(p1), P(p2)));

    // Go's TestCommonPath.
    [Theory]
    [InlineData("/a/{x}", "/{x}/a", "/a/a")]
    [InlineData("/a/{z}/", "/{z}/a/", "/a/a/")]
    [InlineData("/a/{z}/{m...}", "/{z}/a/", "/a/a/")]
    [InlineData("/{z}/{$}", "/a/", "/a/")]
    [InlineData("/{z}/{$}", "/a/{x...}", "/a/")]
    [InlineData("/a/{z}/{$}", "/{z}/a/", "/a/a/")]
    [InlineData("/a/{x}/b/{y...}", "/{x}/c/{y...}", "/a/c/b/")]
    [InlineData("/a/{x}/b/", "/{x}/c/{y...}", "/a/c/b/")]
    [InlineData("/a/{x}/b/{$}", "/{x}/c/{y...}", "/a/c/b/")]
    [InlineData("/a/{z}/{x...}", "/{z}/b/{y...}", "/a/b/")]
    public void Common_path(string p1, string p2, string expected)
    {
        Assert.Equal(Overlaps, PatternComparison.ComparePaths(P(p1), P(p2)));
        Assert.Equal(expected, PatternComparison.CommonPath(P(p1), P(p2)));
    }

    // Go's TestDifferencePath.
    [Theory]
    [InlineData("/a/{x}", "/{x}/a", "/a/x")]
    [InlineData("/{x}/a", "/a/{x}", "/x/a")]
    [InlineData("/a/{z}/", "/{z}/a/", "/a/z/")]
    [InlineData("/{z}/a/", "/a/{z}/", "/z/a/")]
    [InlineData("/{a}/a/", "/a/{z}/", "/ax/a/")]
    [InlineData("/a/{z}/{x...}", "/{z}/b/{y...}", "/a/z/")]
    [InlineData("/{z}/b/{y...}", "/a/{z}/{x...}", "/z/b/")]
    [InlineData("/a/b/", "/a/b/c", "/a/b/")]
    [InlineData("/a/b/{x...}", "/a/b/c", "/a/b/")]
    [InlineData("/a/b/{x...}", "/a/b/c/d", "/a/b/")]
    [InlineData("/a/b/{x...}", "/a/b/c/d/", "/a/b/")]
    [InlineData("/a/{z}/{m...}", "/{z}/a/", "/a/z/")]
    [InlineData("/{z}/a/", "/a/{z}/{m...}", "/z/a/")]
    [InlineData("/{z}/{$}", "/a/", "/z/")]
    [InlineData("/a/", "/{z}/{$}", "/a/x")]
    [InlineData("/{z}/{$}", "/a/{x...}", "/z/")]
    [InlineData("/a/{foo...}", "/{z}/{$}", "/a/foo")]
    [InlineData("/a/{z}/{$}", "/{z}/a/", "/a/z/")]
    [InlineData("/{z}/a/", "/a/{z}/{$}", "/z/a/x")]
    [InlineData("/a/{x}/b/{y...}", "/{x}/c/{y...}", "/a/x/b/")]
    [InlineData("/{x}/c/{y...}", "/a/{x}/b/{y...}", "/x/c/")]
    [InlineData("/a/{c}/b/", "/{x}/c/{y...}", "/a/cx/b/")]
    [InlineData("/{x}/c/{y...}", "/a/{c}/b/", "/x/c/")]
    [InlineData("/a/{x}/b/{$}", "/{x}/c/{y...}", "/a/x/b/")]
    [InlineData("/{x}/c/{y...}", "/a/{x}/b/{$}", "/x/c/")]
    public void Difference_path(string p1, string p2, string expected)
    {
        Assert.Contains(PatternComparison.ComparePaths(P(p1), P(p2)), new[] { Overlaps, MoreGeneral });
        Assert.Equal(expected, PatternComparison.DifferencePath(P(p1), P(p2)));
    }
}
