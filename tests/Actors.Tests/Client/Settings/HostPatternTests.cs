using ActorHttp.Client.Settings;

namespace ActorHttp.Actors.Tests.Client.Settings;

public sealed class HostPatternTests
{
    public static TheoryData<string, string, bool, int?> Parsed => new()
    {
        { "api.example.com", "api.example.com", false, null },
        { "API.Example.com.", "api.example.com", false, null },
        { "*.example.com", "example.com", true, null },
        { "*.example.com:8443", "example.com", true, 8443 },
        { "localhost:80", "localhost", false, 80 },
        { "[::1]:8080", "::1", false, 8080 },
        { "[::1]", "::1", false, null },
    };

    [Theory, MemberData(nameof(Parsed))]
    public void Patterns_parse(string text, string host, bool wildcard, int? port) =>
        Assert.Equal(new HostPattern(host, wildcard, port), HostPattern.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("*")]
    [InlineData("*.")]
    [InlineData("a.*.com")]
    [InlineData("x.com:")]
    [InlineData("x.com:0")]
    [InlineData("x.com:65536")]
    [InlineData("[::1")]
    [InlineData("[::1]8080")]
    public void Malformed_patterns_are_refused(string text) =>
        Assert.Throws<FormatException>(() => HostPattern.Parse(text));

    [Theory]
    [InlineData("*.example.com", "a.example.com", 1, true)]
    [InlineData("*.example.com", "a.b.example.com", 1, true)]
    [InlineData("*.example.com", "example.com", 1, false)]
    [InlineData("*.example.com", "badexample.com", 1, false)]
    [InlineData("*.example.com:2", "a.example.com", 1, false)]
    [InlineData("example.com", "EXAMPLE.com.", 1, true)]
    [InlineData("example.com", "www.example.com", 1, false)]
    public void Matching(string pattern, string host, int port, bool matches) =>
        Assert.Equal(matches, HostPattern.Parse(pattern).Matches(host, port));

    [Theory]
    [InlineData("*.example.com:2")]
    [InlineData("[::1]:8080")]
    [InlineData("api.example.com")]
    public void Patterns_print_as_written(string text) => Assert.Equal(text, HostPattern.Parse(text).ToString());
}
