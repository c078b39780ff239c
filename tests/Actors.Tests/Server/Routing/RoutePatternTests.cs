using ActorHttp.Server.Routing;

namespace ActorHttp.Actors.Tests.Server.Routing;

public class RoutePatternTests
{
    // Go's TestParsePattern. Segments are written L:lit, W:wild, R:remainder ("R:" anonymous), E ({$}).
    public static TheoryData<string, string, string, string> ParseCases => new()
    {
        { "/", "", "", "R:" },
        { "/a", "", "", "L:a" },
        { "/a/", "", "", "L:a R:" },
        { "/path/to/something", "", "", "L:path L:to L:something" },
        { "/{w1}/lit/{w2}", "", "", "W:w1 L:lit W:w2" },
        { "/{w1}/lit/{w2}/", "", "", "W:w1 L:lit W:w2 R:" },
        { "example.com/", "", "example.com", "R:" },
        { "GET /", "GET", "", "R:" },
        { "POST example.com/foo/{w}", "POST", "example.com", "L:foo W:w" },
        { "/{$}", "", "", "E" },
        { "DELETE example.com/a/{foo12}/{$}", "DELETE", "example.com", "L:a W:foo12 E" },
        { "/foo/{$}", "", "", "L:foo E" },
        { "/{a}/foo/{rest...}", "", "", "W:a L:foo R:rest" },
        { "//", "", "", "L: R:" },
        { "/foo///./../bar", "", "", "L:foo L: L: L:. L:.. L:bar" },
        { "a.com/foo//", "", "a.com", "L:foo L: R:" },
        { "/%61%62/%7b/%", "", "", "L:ab L:{ L:%" },
        { "GET\t  /", "GET", "", "R:" },
        { "POST \t  example.com/foo/{w}", "POST", "example.com", "L:foo W:w" },
        { "DELETE    \texample.com/a/{foo12}/{$}", "DELETE", "example.com", "L:a W:foo12 E" },
        { "CONNECT //x", "CONNECT", "", "L: L:x" },
        { "/{école}/{_x1}", "", "", "W:école W:_x1" },
        { "/a%2Fb/c", "", "", "L:a/b L:c" },
    };

    [Theory]
    [MemberData(nameof(ParseCases))]
    public void Parse_matches_go(string text, string method, string host, string segments)
    {
        var pattern = RoutePattern.Parse(text);
        Assert.Equal(text, pattern.Text);
        Assert.Equal(text, pattern.ToString());
        Assert.Equal(method, pattern.Method);
        Assert.Equal(host, pattern.Host);
        Assert.Equal(segments, Describe(pattern));
    }

    // Go's TestParsePatternError: the pattern, the kind, and the offset Go reports.
    public static TheoryData<string, RoutePatternErrorKind, int, string> ErrorCases => new()
    {
        { "", RoutePatternErrorKind.EmptyPattern, -1, "empty pattern" },
        { "A=B /", RoutePatternErrorKind.InvalidMethod, 0, "at offset 0: invalid method" },
        { " ", RoutePatternErrorKind.MissingSlash, 1, "at offset 1: host/path missing /" },
        { "GET", RoutePatternErrorKind.MissingSlash, 0, "host/path missing /" },
        { "/{w}x", RoutePatternErrorKind.BadWildcardSegment, 1, "at offset 1: bad wildcard segment" },
        { "/x{w}", RoutePatternErrorKind.BadWildcardSegment, 1, "at offset 1: bad wildcard segment" },
        { "/{wx", RoutePatternErrorKind.BadWildcardSegment, 1, "at offset 1: bad wildcard segment" },
        { "/{", RoutePatternErrorKind.BadWildcardSegment, 1, "bad wildcard segment" },
        { "/a/{/}/c", RoutePatternErrorKind.BadWildcardSegment, 3, "at offset 3: bad wildcard segment" },
        { "/a/{%61}/c", RoutePatternErrorKind.BadWildcardName, 3, "at offset 3: bad wildcard name" },
        { "/{a$}", RoutePatternErrorKind.BadWildcardName, 1, "at offset 1: bad wildcard name" },
        { "/{1a}", RoutePatternErrorKind.BadWildcardName, 1, "bad wildcard name \"1a\"" },
        { "/{}", RoutePatternErrorKind.EmptyWildcard, 1, "at offset 1: empty wildcard" },
        { "POST a.com/x/{}/y", RoutePatternErrorKind.EmptyWildcard, 13, "at offset 13: empty wildcard" },
        { "/{...}", RoutePatternErrorKind.EmptyWildcard, 1, "at offset 1: empty wildcard" },
        { "/{$...}", RoutePatternErrorKind.BadWildcardName, 1, "at offset 1: bad wildcard" },
        { "/{$}/", RoutePatternErrorKind.EndNotAtEnd, 1, "at offset 1: {$} not at end" },
        { "/{$}/x", RoutePatternErrorKind.EndNotAtEnd, 1, "at offset 1: {$} not at end" },
        { "/abc/{$}/x", RoutePatternErrorKind.EndNotAtEnd, 5, "at offset 5: {$} not at end" },
        { "/{a...}/", RoutePatternErrorKind.RemainderNotAtEnd, 1, "at offset 1: {...} wildcard not at end" },
        { "/{a...}/x", RoutePatternErrorKind.RemainderNotAtEnd, 1, "at offset 1: {...} wildcard not at end" },
        { "{a}/b", RoutePatternErrorKind.HostContainsBrace, 0, "at offset 0: host contains '{' (missing initial '/'?)" },
        { "/a/{x}/b/{x...}", RoutePatternErrorKind.DuplicateWildcardName, 9, "at offset 9: duplicate wildcard name \"x\"" },
        { "GET //", RoutePatternErrorKind.UncleanPath, 4, "at offset 4: non-CONNECT pattern with unclean path" },
        { "GET /a/../b", RoutePatternErrorKind.UncleanPath, 4, "unclean path can never match" },
    };

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public void Parse_errors_match_go(string text, RoutePatternErrorKind kind, int offset, string message)
    {
        var error = Assert.Throws<RoutePatternException>(() => RoutePattern.Parse(text));
        Assert.Equal(kind, error.Kind);
        Assert.Equal(offset, error.Offset);
        Assert.Equal(text, error.Pattern);
        Assert.Contains(message, error.Message);
        Assert.StartsWith($"parsing \"{text}\": ", error.Message);
    }

    [Theory]
    [InlineData("GET /a", "GET /a")]
    [InlineData("GET \t /a", "GET /a")]
    [InlineData("Example.COM/a", "example.com/a")]
    [InlineData("POST Example.com/{x}/", "POST example.com/{x}/")]
    public void Normalized_form_ignores_spacing_and_host_case(string text, string normalized) =>
        Assert.Equal(normalized, RoutePattern.Parse(text).Normalized);

    [Fact]
    public void Wildcard_names_are_listed_in_path_order_without_anonymous_remainders()
    {
        Assert.Equal(["bucket", "objectname"], RoutePattern.Parse("/b/{bucket}/o/{objectname...}").WildcardNames);
        Assert.Equal(["x"], RoutePattern.Parse("/{x}/").WildcardNames);
        Assert.Empty(RoutePattern.Parse("/a/{$}").WildcardNames);
    }

    internal static string Describe(RoutePattern pattern) =>
        string.Join(" ", pattern.Segments.Select(s => s.Kind switch
        {
            RouteSegmentKind.Literal => "L:" + s.Value,
            RouteSegmentKind.Wildcard => "W:" + s.Value,
            RouteSegmentKind.Remainder => "R:" + s.Value,
            _ => "E",
        }));
}
