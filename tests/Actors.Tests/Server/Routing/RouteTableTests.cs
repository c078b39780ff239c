using ActorHttp.Server.Routing;

namespace ActorHttp.Actors.Tests.Server.Routing;

public class RouteTableTests
{
    // Handlers are the pattern texts, so a match says which registration won.
    private static RouteTable<string> Table(params string[] patterns) =>
        patterns.Aggregate(RouteTable<string>.Empty, (table, p) => table.Add(p, p));

    // Renders a match as one comparable string: "200 <pattern> [values]", "301 <location> (<pattern>)",
    // "405 <allow>", "404".
    private static string Route(RouteTable<string> table, string method, string host, string path, string? query = null)
    {
        var match = table.Match(method, host, path, query);
        return match.Kind switch
        {
            RouteMatchKind.Found => $"200 {match.Handler}" + (match.PathValues.Count == 0 ? "" : $" [{match.PathValues}]"),
            RouteMatchKind.Redirect => $"301 {match.RedirectLocation}" + (match.Pattern is null ? "" : $" ({match.Pattern})"),
            RouteMatchKind.MethodNotAllowed => $"405 {match.Allow}",
            _ => "404",
        };
    }

    // Go's serveMuxRegister / serveMuxTests (TestServeMuxHandler).
    private static readonly RouteTable<string> GoMux = Table(
        "/dir/", "/search", "codesearch.google.com/search", "codesearch.google.com/", "example.com/");

    public static TheoryData<string, string, string, string> GoMuxCases => new()
    {
        { "GET", "google.com", "/", "404" },
        { "GET", "google.com", "/dir", "301 /dir/ (/dir/)" },
        { "GET", "google.com", "/dir/", "200 /dir/" },
        { "GET", "google.com", "/dir/file", "200 /dir/" },
        { "GET", "google.com", "/search", "200 /search" },
        { "GET", "google.com", "/search/", "404" },
        { "GET", "google.com", "/search/foo", "404" },
        { "GET", "codesearch.google.com", "/search", "200 codesearch.google.com/search" },
        { "GET", "codesearch.google.com", "/search/", "200 codesearch.google.com/" },
        { "GET", "codesearch.google.com", "/search/foo", "200 codesearch.google.com/" },
        { "GET", "codesearch.google.com", "/", "200 codesearch.google.com/" },
        { "GET", "codesearch.google.com:443", "/", "200 codesearch.google.com/" },
        { "GET", "CodeSearch.Google.com:443", "/search", "200 codesearch.google.com/search" },
        { "GET", "images.google.com", "/search", "200 /search" },
        { "GET", "images.google.com", "/search/", "404" },
        { "GET", "images.google.com", "/search/foo", "404" },
        { "GET", "google.com", "/../search", "301 /search (/search)" },
        { "GET", "google.com", "/dir/..", "301 /" },
        { "GET", "google.com", "/dir/./file", "301 /dir/file (/dir/)" },
        // The /dir -> /dir/ redirect applies to CONNECT, path cleaning does not.
        { "CONNECT", "google.com", "/dir", "301 /dir/ (/dir/)" },
        { "CONNECT", "google.com", "/../search", "404" },
        { "CONNECT", "google.com", "/dir/..", "200 /dir/" },
        { "CONNECT", "google.com", "/dir/./file", "200 /dir/" },
    };

    [Theory]
    [MemberData(nameof(GoMuxCases))]
    public void Go_serve_mux_table(string method, string host, string path, string expected) =>
        Assert.Equal(expected, Route(GoMux, method, host, path));

    // The examples of Go's ServeMux documentation ("Patterns", "Precedence", "Trailing-slash redirection").
    private static readonly RouteTable<string> DocMux = Table(
        "/index.html", "GET /static/", "example.com/", "example.com/{$}", "/b/{bucket}/o/{objectname...}",
        "/images/", "/images/thumbnails/", "/a%2Fb/");

    public static TheoryData<string, string, string, string> DocCases => new()
    {
        { "POST", "h", "/index.html", "200 /index.html" },
        { "GET", "h", "/static/css/site.css", "200 GET /static/" },
        { "HEAD", "h", "/static/x", "200 GET /static/" },
        { "POST", "h", "/static/x", "405 GET, HEAD" },
        { "GET", "example.com", "/anything", "200 example.com/" },
        { "GET", "example.com", "/", "200 example.com/{$}" },
        { "GET", "example.com", "/index.html", "200 example.com/" }, // a host pattern wins over a more specific path
        { "GET", "h", "/b/mybucket/o/path/to/object", "200 /b/{bucket}/o/{objectname...} [bucket=mybucket, objectname=path/to/object]" },
        { "GET", "h", "/b/mybucket/o/", "200 /b/{bucket}/o/{objectname...} [bucket=mybucket, objectname=]" },
        { "GET", "h", "/b/mybucket/o", "301 /b/mybucket/o/ (/b/{bucket}/o/{objectname...})" },
        // "/images/thumbnails/" is more specific than "/images/", whatever the order.
        { "GET", "h", "/images/thumbnails/a.png", "200 /images/thumbnails/" },
        { "GET", "h", "/images/a.png", "200 /images/" },
        { "GET", "h", "/images", "301 /images/ (/images/)" },
        { "GET", "h", "/images/thumbnails", "301 /images/thumbnails/ (/images/thumbnails/)" },
        // "/a%2Fb/" is one segment "a/b": it matches "/a%2Fb/x" but not "/a/b/x".
        { "GET", "h", "/a%2Fb/x", "200 /a%2Fb/" },
        { "GET", "h", "/a%2fb/x", "200 /a%2Fb/" },
        { "GET", "h", "/a/b/x", "404" },
    };

    [Theory]
    [MemberData(nameof(DocCases))]
    public void Go_documentation_examples(string method, string host, string path, string expected) =>
        Assert.Equal(expected, Route(DocMux, method, host, path));

    [Fact]
    public void Precedence_does_not_depend_on_registration_order()
    {
        string[] patterns = ["/images/", "/images/thumbnails/", "/a/{x}", "GET /a/b", "GET /a/{x}", "example.com/a/b", "/{$}"];
        string[] paths = ["/images/x", "/images/thumbnails/x", "/a/b", "/a/c", "/"];
        var expected = paths.Select(p => Route(Table(patterns), "GET", "example.com", p)).ToArray();
        foreach (var order in new[] { patterns.Reverse().ToArray(), patterns.OrderBy(p => p.Length).ToArray(), patterns.OrderBy(p => p, StringComparer.Ordinal).ToArray() })
        {
            Assert.Equal(expected, paths.Select(p => Route(Table(order), "GET", "example.com", p)));
        }
        Assert.Equal(["200 /images/", "200 /images/thumbnails/", "200 example.com/a/b", "200 GET /a/{x} [x=c]", "200 /{$}"], expected);
    }

    // Redirects: Go's TestServeWithSlashRedirectKeepsQueryString, TestMuxRedirectLeadingSlashes and
    // TestServeWithSlashRedirectForHostPatterns.
    private static readonly RouteTable<string> RedirectMux = Table(
        "/testOne", "/testTwo/", "/testThree", "/testThree/",
        "example.com/pkg/foo/", "example.com/pkg/bar", "example.com/pkg/bar/",
        "example.com:3000/pkg/connect/", "example.com:9000/", "/pkg/baz/");

    public static TheoryData<string, string, string, string?, string> RedirectCases => new()
    {
        { "GET", "h", "/testOne", "this=that", "200 /testOne" },
        { "GET", "h", "/testTwo", "foo=bar", "301 /testTwo/?foo=bar (/testTwo/)" },
        { "GET", "h", "/testTwo", "a=1&b=2&a=3", "301 /testTwo/?a=1&b=2&a=3 (/testTwo/)" },
        { "GET", "h", "/testTwo", "", "301 /testTwo/ (/testTwo/)" },
        { "GET", "h", "/testThree", "foo", "200 /testThree" },
        { "GET", "h", "/testThree/", "foo", "200 /testThree/" },
        { "CONNECT", "h", "/testThree", "foo", "200 /testThree" },
        { "CONNECT", "h", "/testThree/", "foo", "200 /testThree/" },
        { "GET", "h", "/testOne/foo/..", "foo", "301 /testOne?foo (/testOne)" },
        { "CONNECT", "h", "/testOne/foo/..", "foo", "404" },
        { "GET", "h", "//foo.txt", null, "301 /foo.txt" },
        { "GET", "h", "///foo.txt", null, "301 /foo.txt" },
        { "GET", "h", "/../../foo.txt", null, "301 /foo.txt" },
        { "GET", "h", "", null, "301 /" },
        { "GET", "h", "test/", "example.com/test/", "301 /test/?example.com/test/" },
        { "GET", "example.com", "/", null, "404" },
        { "GET", "example.com", "/pkg/foo", null, "301 /pkg/foo/ (example.com/pkg/foo/)" },
        { "GET", "example.com", "/pkg/bar", null, "200 example.com/pkg/bar" },
        { "GET", "example.com", "/pkg/bar/", null, "200 example.com/pkg/bar/" },
        { "GET", "example.com", "/pkg/baz", null, "301 /pkg/baz/ (/pkg/baz/)" },
        { "GET", "example.com:3000", "/pkg/foo", null, "301 /pkg/foo/ (example.com/pkg/foo/)" },
        { "CONNECT", "example.com", "/", null, "404" },
        { "CONNECT", "example.com:3000", "/", null, "404" },
        { "CONNECT", "example.com:9000", "/", null, "200 example.com:9000/" },
        { "CONNECT", "example.com", "/pkg/foo", null, "301 /pkg/foo/ (example.com/pkg/foo/)" },
        { "CONNECT", "example.com:3000", "/pkg/foo", null, "404" },
        { "CONNECT", "example.com:3000", "/pkg/baz", null, "301 /pkg/baz/ (/pkg/baz/)" },
        { "CONNECT", "example.com:3000", "/pkg/connect", null, "301 /pkg/connect/ (example.com:3000/pkg/connect/)" },
        // An unclean path that also lacks its trailing slash goes straight to the final location.
        { "GET", "h", "/x/../testTwo", "q=1", "301 /testTwo/?q=1 (/testTwo/)" },
        // Escapes in the path survive both kinds of redirect.
        { "GET", "h", "/a/..//b%20c", null, "301 /b%20c" },
    };

    [Theory]
    [MemberData(nameof(RedirectCases))]
    public void Redirects_match_go(string method, string host, string path, string? query, string expected) =>
        Assert.Equal(expected, Route(RedirectMux, method, host, path, query));

    [Fact]
    public void No_slash_redirect_or_405_for_a_path_that_already_ends_in_slash()
    {
        // Go issues 65624 and 67657.
        Assert.Equal("404", Route(Table("/{x}/"), "GET", "h", "/"));
        Assert.Equal("404", Route(Table("GET /{x}/"), "GET", "h", "/"));
        // Go issue 73688: the redirect reports the pattern that will match.
        Assert.Equal("301 /foo/ (/{x}/)", Route(Table("/{x}/"), "POST", "h", "/foo"));
    }

    // Go's TestMatchingMethods, through the table: method, host, path, expected.
    public static TheoryData<string, string, string, string, string> MethodCases => new()
    {
        { "POST /", "GET", "", "/foo", "405 POST" },
        { "GET /", "POST", "", "/foo", "405 GET, HEAD" },
        { "GET a.com/|PUT b.com/|POST /foo/{x}", "GET", "", "/foo", "404" },
        { "GET a.com/|PUT b.com/|POST /foo/{x}", "GET", "", "/foo/bar", "405 POST" },
        { "GET a.com/|PUT b.com/|POST /foo/{x}", "DELETE", "a.com", "/foo/bar", "405 GET, HEAD, POST" },
        { "GET a.com/|PUT b.com/|POST /foo/{x}", "GET", "b.com:8080", "/bar", "405 PUT" },
        { "GET /a|PUT /a|DELETE /a|POST /b", "PATCH", "", "/a", "405 DELETE, GET, HEAD, PUT" },
        // The methods of the subtree the redirect would have tried count too.
        { "POST /x/", "GET", "", "/x", "405 POST" },
        { "GET /item/{id}|/item/{id}/edit", "POST", "", "/item/7", "405 GET, HEAD" },
        { "GET /item/{id}|/item/{id}/edit", "POST", "", "/item/7/edit", "200 /item/{id}/edit [id=7]" },
        { "HEAD /h", "GET", "", "/h", "405 HEAD" },
        { "GET /h", "HEAD", "", "/h", "200 GET /h" },
        { "GET /h|HEAD /h", "HEAD", "", "/h", "200 HEAD /h" },
    };

    [Theory]
    [MemberData(nameof(MethodCases))]
    public void Method_not_allowed_lists_allowed_methods(string patterns, string method, string host, string path, string expected) =>
        Assert.Equal(expected, Route(Table(patterns.Split('|')), method, host, path));

    [Theory]
    [InlineData("example.com", "example.com")]
    [InlineData("example.com:8080", "example.com")]
    [InlineData("example.com:", "example.com")]
    [InlineData("[::1]:8080", "::1")]
    [InlineData("[::1]", "[::1]")]
    [InlineData("::1", "::1")]
    [InlineData("a:b:c", "a:b:c")]
    [InlineData("[::1]x:80", "[::1]x:80")]
    [InlineData("", "")]
    public void Port_is_stripped_as_net_SplitHostPort_does(string host, string expected) =>
        Assert.Equal(expected, RouteTable<string>.StripPort(host).ToString());

    [Fact]
    public void Host_patterns_match_without_regard_to_case_or_port()
    {
        var table = Table("Example.COM/a", "/a");
        Assert.Equal("200 Example.COM/a", Route(table, "GET", "example.com:443", "/a"));
        Assert.Equal("200 Example.COM/a", Route(table, "GET", "EXAMPLE.com", "/a"));
        Assert.Equal("200 /a", Route(table, "GET", "other.com", "/a"));
        Assert.Equal("200 /a", Route(table, "GET", "", "/a"));
    }

    // Go's TestEscapedPathsAndPatterns.
    [Theory]
    [InlineData("/a", "/a")]
    [InlineData("/%61", "/a")]
    [InlineData("/b", "/%62")]
    [InlineData("/%62", "/%62")]
    [InlineData("/{/}", "/%7B/%7D")]
    [InlineData("/%7b/}", "/%7B/%7D")]
    [InlineData("/{/%7d", "/%7B/%7D")]
    [InlineData("/%7B/%7D", "/%7B/%7D")]
    [InlineData("/%25x", "/%x")]
    public void Escaped_paths_and_patterns(string path, string expected) =>
        Assert.Equal($"200 {expected}", Route(Table("/a", "/%62", "/%7B/%7D", "/%x"), "GET", "h", path));

    [Fact]
    public void Wildcard_values_are_unescaped_segments_and_remainders()
    {
        var table = Table("/users/{id}/files/{path...}", "/tag/{name}");
        var match = table.Match("GET", "h", "/users/j%C3%B6rg/files/a%2Fb/c%20d", null);
        Assert.Equal(RouteMatchKind.Found, match.Kind);
        Assert.Equal("jörg", match.PathValues.GetValue("id"));
        Assert.Equal("a/b/c d", match.PathValues.GetValue("path"));
        Assert.Null(match.PathValues.GetValue("nope"));
        Assert.Equal(2, match.PathValues.Count);
        Assert.Equal(new KeyValuePair<string, string>("id", "jörg"), match.PathValues[0]);
        Assert.Equal("200 /tag/{name} [name=a/b]", Route(table, "GET", "h", "/tag/a%2Fb"));
        Assert.Equal("404", Route(table, "GET", "h", "/tag/a/b"));
    }

    [Fact]
    public void Conflicting_registration_is_refused_naming_both_patterns_and_a_common_path()
    {
        var table = Table("/a/{x}", "GET /c/");
        var overlap = Assert.Throws<RouteConflictException>(() => table.Add("/{y}/b", "h"));
        Assert.Equal("/{y}/b", overlap.Pattern.Text);
        Assert.Equal("/a/{x}", overlap.ExistingPattern.Text);
        Assert.Equal("/a/b", overlap.ExamplePath);
        Assert.StartsWith("pattern \"/{y}/b\" conflicts with pattern \"/a/{x}\"", overlap.Message);
        Assert.Contains("both match some paths, like \"/a/b\"", overlap.Message);
        Assert.Contains("/{y}/b matches \"/y/b\", but /a/{x} doesn't", overlap.Message);
        Assert.Contains("/a/{x} matches \"/a/x\", but /{y}/b doesn't", overlap.Message);

        var same = Assert.Throws<RouteConflictException>(() => table.Add("/a/{z}", "h"));
        Assert.Contains("/a/{z} matches the same requests as /a/{x} (both match \"/a/x\")", same.Message);

        // The documentation's example: "GET /" and "/index.html" both match GET /index.html.
        var methods = Assert.Throws<RouteConflictException>(() => Table("GET /").Add("/index.html", "h"));
        Assert.Contains("/index.html matches more methods than GET /, but has a more specific path pattern", methods.Message);
        Assert.Equal("/index.html", methods.ExamplePath);

        // Go's TestRegisterConflict.
        var trailing = Assert.Throws<RouteConflictException>(() => Table("/a/{x}/").Add("/a/{y}/{z...}", "h"));
        Assert.Contains("matches the same requests as", trailing.Message);

        // The table that refused is unchanged.
        Assert.Equal(["/a/{x}", "GET /c/"], table.Patterns.Select(p => p.Text));
    }

    [Theory]
    [InlineData("/a", "/a")]
    [InlineData("GET /a", "GET   /a")]
    [InlineData("a.com/x/", "A.COM/x/")]
    [InlineData("/{x}", "/{x}")]
    public void Same_pattern_twice_conflicts(string first, string second) =>
        Assert.Throws<RouteConflictException>(() => Table(first).Add(second, "h"));

    [Fact]
    public void Invalid_pattern_is_refused_with_the_parse_error()
    {
        var error = Assert.Throws<RoutePatternException>(() => RouteTable<string>.Empty.Add("/{x", "h"));
        Assert.Equal("parsing \"/{x\": at offset 1: bad wildcard segment (must end with '}')", error.Message);
    }

    [Fact]
    public void Tables_are_immutable_values()
    {
        var empty = RouteTable<string>.Empty;
        var one = empty.Add("/a", "A");
        var two = one.Add("/b", "B");
        Assert.Empty(empty.Patterns);
        Assert.Equal(["/a"], one.Patterns.Select(p => p.Text));
        Assert.Equal(["/a", "/b"], two.Patterns.Select(p => p.Text));
        Assert.Equal("404", Route(one, "GET", "h", "/b"));
        Assert.Equal("200 B", Route(two, "GET", "h", "/b"));
    }

    [Fact]
    public void Remove_takes_the_normalised_pattern_and_frees_it_for_reregistration()
    {
        var table = Table("GET example.com/a/{x}", "/a/", "POST /b");
        var removed = table.Remove("GET \t EXAMPLE.com/a/{x}");
        Assert.Equal(["/a/", "POST /b"], removed.Patterns.Select(p => p.Text));
        Assert.Equal("200 /a/", Route(removed, "GET", "example.com", "/a/1"));
        Assert.Equal("200 GET example.com/a/{x} [x=1]", Route(table, "GET", "example.com", "/a/1"));
        Assert.Same(removed, removed.Remove("/not/registered"));
        Assert.Same(RouteTable<string>.Empty, Table("/x").Remove("/x"));
        // The freed pattern, or one equivalent to it, may be registered again.
        Assert.Equal("200 NEW [y=1]", Route(removed.Add("GET example.com/a/{y}", "NEW"), "GET", "example.com", "/a/1"));
        Assert.Equal("POST /b", table.Find("POST /b"));
        Assert.Null(table.Find("GET /b"));
    }

    [Fact]
    public void Asterisk_target_is_not_routed()
    {
        Assert.Equal("404", Route(Table("/"), "OPTIONS", "h", "*"));
    }

    [Fact]
    public async Task Tables_published_through_a_volatile_field_are_matched_in_parallel()
    {
        // The router actor's use: one writer swaps tables, many readers match concurrently.
        var current = Table("/stable/{id}");
        var errors = 0;
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                Volatile.Write(ref current, Volatile.Read(ref current).Add($"/gen{i}/{{x}}", $"g{i}"));
            }
        });
        Parallel.For(0, 20_000, i =>
        {
            var match = Volatile.Read(ref current).Match("GET", "h", "/stable/" + i, null);
            if (match.Kind != RouteMatchKind.Found || match.PathValues.GetValue("id") != i.ToString())
            {
                Interlocked.Increment(ref errors);
            }
        });
        await writer.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, errors);
        Assert.Equal(201, current.Count);
    }
}
