using ActorHttp.Server.Routing;

namespace ActorHttp.Actors.Tests.Server.Routing;

/// <summary>Go's TestRoutingNodeMatch: the tree alone, without cleaning or redirects.</summary>
public class RoutingTreeTests
{
    private static RoutingTree<string> Tree(params string[] patterns) =>
        RoutingTree<string>.Build(patterns.Select(p => new RouteEntry<string>(RoutePattern.Parse(p), p)));

    private static readonly string[] Basic = ["/a", "/a/b", "/a/{x}", "/g/h/i", "/g/{x}/j", "/a/b/{x...}", "/a/b/{y}", "/a/b/{$}"];

    private static readonly string[] Items =
    [
        "/item/", "POST /item/{user}", "GET /item/{user}", "/item/{user}", "/item/{user}/{id}",
        "/item/{user}/new", "/item/{$}", "POST alt.com/item/{user}", "GET /headwins", "HEAD /headwins", "/path/{p...}",
    ];

    private const string P1 = "/a/b/{$}";
    private const string P2 = "/a/b/{w}";
    private const string P3 = "/a/b/{w...}";
    private const string P4 = "CONNECT /a//b";
    private const string P5 = "/a/{x}/b";
    private const string P6 = "/{x}/{y...}";
    private const string P7 = "CONNECT /a/{x}/b";

    // Tree, method, host, path, expected pattern ("" = none), expected values joined by '|'.
    public static TheoryData<string, string, string, string, string, string> Cases => new()
    {
        { "basic", "GET", "", "/a", "/a", "" },
        { "basic", "Get", "", "/b", "", "" },
        { "basic", "Get", "", "/a/b", "/a/b", "" },
        { "basic", "Get", "", "/a/c", "/a/{x}", "c" },
        { "basic", "Get", "", "/a/b/", "/a/b/{$}", "" },
        { "basic", "Get", "", "/a/b/c", "/a/b/{y}", "c" },
        { "basic", "Get", "", "/a/b/c/d", "/a/b/{x...}", "c/d" },
        { "basic", "Get", "", "/g/h/i", "/g/h/i", "" },
        { "basic", "Get", "", "/g/h/j", "/g/{x}/j", "h" },
        { "items", "GET", "", "/item/jba", "GET /item/{user}", "jba" },
        { "items", "POST", "", "/item/jba", "POST /item/{user}", "jba" },
        { "items", "HEAD", "", "/item/jba", "GET /item/{user}", "jba" },
        { "items", "get", "", "/item/jba", "/item/{user}", "jba" }, // methods are case-sensitive
        { "items", "POST", "", "/item/jba/17", "/item/{user}/{id}", "jba|17" },
        { "items", "GET", "", "/item/jba/new", "/item/{user}/new", "jba" },
        { "items", "GET", "", "/item/", "/item/{$}", "" },
        { "items", "GET", "", "/item/jba/17/line2", "/item/", "" },
        { "items", "POST", "alt.com", "/item/jba", "POST alt.com/item/{user}", "jba" },
        { "items", "GET", "alt.com", "/item/jba", "GET /item/{user}", "jba" },
        { "items", "GET", "", "/item", "", "" },
        { "items", "GET", "", "/headwins", "GET /headwins", "" },
        { "items", "HEAD", "", "/headwins", "HEAD /headwins", "" }, // HEAD is more specific than GET
        { "items", "GET", "", "/path/to/file", "/path/{p...}", "to/file" },
        { "items", "GET", "", "/path/*", "/path/{p...}", "*" },
        // {$} matches only with the trailing slash; {w} never matches it; {w...} matches both.
        { "p1", "GET", "", "/a/b", "", "" },
        { "p1", "GET", "", "/a/b/", P1, "" },
        { "p1", "GET", "", "/a/b/c", "", "" },
        { "p1", "GET", "", "/a/b/c/d", "", "" },
        { "p2", "GET", "", "/a/b", "", "" },
        { "p2", "GET", "", "/a/b/", "", "" },
        { "p2", "GET", "", "/a/b/c", P2, "c" },
        { "p2", "GET", "", "/a/b/c/d", "", "" },
        { "p3", "GET", "", "/a/b", "", "" },
        { "p3", "GET", "", "/a/b/", P3, "" },
        { "p3", "GET", "", "/a/b/c", P3, "c" },
        { "p3", "GET", "", "/a/b/c/d", P3, "c/d" },
        { "p123", "GET", "", "/a/b", "", "" },
        { "p123", "GET", "", "/a/b/", P1, "" },
        { "p123", "GET", "", "/a/b/c", P2, "c" },
        { "p123", "GET", "", "/a/b/c/d", P3, "c/d" },
        // CONNECT paths are not cleaned: a wildcard matches an empty segment, an empty literal only that.
        { "p456", "CONNECT", "", "/a//b", P4, "" },
        { "p456", "CONNECT", "", "/a/z/b", P5, "z" },
        { "p456", "CONNECT", "", "//c", P6, "|c" },
        { "p456", "CONNECT", "", "/a//c", P6, "a|/c" },
        { "p4", "CONNECT", "", "/a/z/b", "", "" },
        { "p47", "CONNECT", "", "/a//b", P4, "" },
        { "p47", "CONNECT", "", "/a/z/b", P7, "z" },
        { "p5xz", "CONNECT", "", "/a//b", P5, "" },
        { "p5xz", "CONNECT", "", "//", "/{x}/", "" },
        { "p5xz", "CONNECT", "", "///c", "/{x}/{y}/{z}", "||c" },
        // Segments are unescaped one at a time: %2F does not split, and values come out unescaped.
        { "escapes", "GET", "", "/a%2Fb/c", "/a%2Fb/{x}", "c" },
        { "escapes", "GET", "", "/a/b/c", "/a/{x}/c", "b" },
        { "escapes", "GET", "", "/a/b%2Fc/c", "/a/{x}/c", "b/c" },
        { "escapes", "GET", "", "/r/a%2Fb/%41", "/r/{rest...}", "a/b/A" },
        { "escapes", "GET", "", "/%61/%zz/c", "/a/{x}/c", "%zz" },
    };

    private static readonly Dictionary<string, string[]> Trees = new()
    {
        ["basic"] = Basic,
        ["items"] = Items,
        ["p1"] = [P1],
        ["p2"] = [P2],
        ["p3"] = [P3],
        ["p123"] = [P1, P2, P3],
        ["p456"] = [P4, P5, P6],
        ["p4"] = [P4],
        ["p47"] = [P4, P7],
        ["p5xz"] = [P5, "/{x}/", "/{x}/{y}/{z}"],
        ["escapes"] = ["/a%2Fb/{x}", "/a/{x}/c", "/r/{rest...}"],
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Match_matches_go(string tree, string method, string host, string path, string expected, string values)
    {
        var leaf = Tree(Trees[tree]).Match(host, method, path);
        Assert.Equal(expected, leaf?.Entry!.Pattern.Text ?? "");
        if (leaf is not null)
        {
            var read = PathValueReader.Read(leaf.Entry!.Pattern, path);
            Assert.Equal(values, string.Join("|", read.Select(v => v.Value)));
        }
    }
}
