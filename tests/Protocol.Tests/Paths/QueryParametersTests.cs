using ActorHttp.Protocol;

namespace ActorHttp.Protocol.Tests.Paths;

public class QueryParametersTests
{
    // Go's url.ParseQuery table (Go ≥ 1.17: ';' is not a separator): raw query, the pairs kept as
    // "name=value" joined by '|', and the kind of the first error (null when none).
    public static TheoryData<string, string, QueryParseErrorKind?> Cases => new()
    {
        { "a=1", "a=1", null },
        { "a=1&b=2", "a=1|b=2", null },
        { "a=1&a=2&a=banana", "a=1|a=2|a=banana", null },
        { "ascii=%3Coption%20value=%22NZ%22%20selected%3E", "ascii=<option value=\"NZ\" selected>", null },
        { "a=1;b=2", "", QueryParseErrorKind.InvalidSemicolonSeparator },
        { "a;b=1", "", QueryParseErrorKind.InvalidSemicolonSeparator },
        { "a=%3B", "a=;", null },
        { "a%3Bb=1", "a;b=1", null },
        { "a=1&a=2;a=banana", "a=1", QueryParseErrorKind.InvalidSemicolonSeparator },
        { "a;b&c=1", "c=1", QueryParseErrorKind.InvalidSemicolonSeparator },
        { "a=1&b=2;a=3&c=4", "a=1|c=4", QueryParseErrorKind.InvalidSemicolonSeparator },
        { "a=1&b=2;c=3", "a=1", QueryParseErrorKind.InvalidSemicolonSeparator },
        { ";", "", QueryParseErrorKind.InvalidSemicolonSeparator },
        { "a=1;", "", QueryParseErrorKind.InvalidSemicolonSeparator },
        { "a=1&;", "a=1", QueryParseErrorKind.InvalidSemicolonSeparator },
        { ";a=1&b=2", "b=2", QueryParseErrorKind.InvalidSemicolonSeparator },
        { "a=1&b=2;", "a=1", QueryParseErrorKind.InvalidSemicolonSeparator },
        { "", "", null },
        { "&&a=1&&", "a=1", null },
        { "flag", "flag=", null },
        { "a=&b", "a=|b=", null },
        { "=x", "=x", null },
        { "q=a+b%2Bc&x=1=2", "q=a b+c|x=1=2", null },
        { "bad=%zz&ok=1", "ok=1", QueryParseErrorKind.InvalidEscape },
        { "%g=1&ok=1", "ok=1", QueryParseErrorKind.InvalidEscape },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parse_matches_go(string raw, string expected, QueryParseErrorKind? error)
    {
        var query = QueryParameters.Parse(raw, out var firstError);
        Assert.Equal(expected, string.Join("|", query.Select(p => $"{p.Name}={p.Value}")));
        Assert.Equal(error, firstError?.Kind);
    }

    [Fact]
    public void Lookup_by_name_keeps_order_and_repeats()
    {
        var query = QueryParameters.Parse("a=1&b=2&a=3&A=4");
        Assert.Equal("1", query.Get("a"));
        Assert.Equal(["1", "3"], query.GetAll("a"));
        Assert.Equal("4", query.Get("A"));
        Assert.Null(query.Get("c"));
        Assert.Empty(query.GetAll("c"));
        Assert.True(query.Contains("b"));
        Assert.False(query.Contains("B"));
        Assert.Equal(4, query.Count);
        Assert.Equal(new QueryParameter("b", "2"), query[1]);
    }

    [Fact]
    public void Error_reports_the_first_bad_pair()
    {
        QueryParameters.Parse("x=%4&y;z", out var error);
        Assert.Equal(new QueryParseError(QueryParseErrorKind.InvalidEscape, "x=%4"), error);
    }

    [Fact]
    public void Null_and_empty_give_the_shared_empty_collection()
    {
        Assert.Same(QueryParameters.Empty, QueryParameters.Parse(null));
        Assert.Same(QueryParameters.Empty, QueryParameters.Parse(""));
    }
}
