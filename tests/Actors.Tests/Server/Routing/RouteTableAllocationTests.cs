using ActorHttp.Server.Routing;

namespace ActorHttp.Actors.Tests.Server.Routing;

/// <summary>Matching runs on every request of every connection: it must not allocate beyond the path values.</summary>
public class RouteTableAllocationTests
{
    private const int Iterations = 1000;

    private static readonly RouteTable<string> Table = new[]
    {
        "/", "/healthz", "GET /plaintext", "POST /echo", "GET /api/v1/users", "GET /api/v1/users/{id}",
        "/static/", "/files/{path...}", "example.com/admin/", "/a%2Fb/c", "/docs/{$}",
    }.Aggregate(RouteTable<string>.Empty, (t, p) => t.Add(p, p));

    public static TheoryData<string, string, string, string> NoWildcards => new()
    {
        { "GET", "localhost:8080", "/plaintext", "GET /plaintext" },
        { "HEAD", "localhost", "/plaintext", "GET /plaintext" },
        { "POST", "localhost:8080", "/echo", "POST /echo" },
        { "GET", "localhost", "/api/v1/users", "GET /api/v1/users" },
        { "GET", "Example.com:443", "/admin/x", "example.com/admin/" },
        { "GET", "localhost", "/static/css/site.css", "/static/" },
        { "GET", "localhost", "/docs/", "/docs/{$}" },
        // Catch-all: the match is inexact, so the trailing-slash variant is tried too (on the stack).
        { "GET", "localhost", "/nothing/here", "/" },
        // Escaped literal segment: decoded on the stack for the lookup.
        { "GET", "localhost", "/a%2fb/c", "/a%2Fb/c" },
    };

    [Theory]
    [MemberData(nameof(NoWildcards))]
    public void Found_without_wildcards_allocates_nothing(string method, string host, string path, string pattern)
    {
        var match = Table.Match(method, host, path, null);
        Assert.Equal(RouteMatchKind.Found, match.Kind);
        Assert.Equal(pattern, match.Handler);

        var allocated = Measure(() => Table.Match(method, host, path, "q=1"));
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Found_with_a_wildcard_allocates_only_the_values()
    {
        var match = Table.Match("GET", "localhost", "/api/v1/users/42", null);
        Assert.Equal("42", match.PathValues.GetValue("id"));

        // One string[1] (32 bytes) and one two-character string (26 bytes, padded to 32) per match.
        var perMatch = Measure(() => Table.Match("GET", "localhost", "/api/v1/users/42", null)) / (double)Iterations;
        Assert.InRange(perMatch, 1, 64);
    }

    private static long Measure(Action match)
    {
        match(); // JIT and first-use costs are not per-request costs.
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Iterations; i++)
        {
            match();
        }
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
