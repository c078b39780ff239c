using ActorHttp.Hocon;

namespace ActorHttp.Protocol.Tests;

/// <summary>hocon/http.conf and <see cref="HttpParserLimits.FromConfig"/> describe the same keys.</summary>
public class ParserSettingsTests
{
    private static Config Reference() => ConfigurationFactory.Load(null, typeof(HttpParserLimits).Assembly);

    [Fact]
    public void Every_parsing_key_in_the_reference_file_is_read_and_every_key_read_exists()
    {
        var reference = Reference();
        var declared = reference.GetConfig(HttpParserLimits.ConfigPath).AsEnumerable()
            .Select(kv => $"{HttpParserLimits.ConfigPath}.{kv.Key}").ToHashSet();
        var read = new HashSet<string>();
        HttpParserLimits.FromConfig(reference.TrackReads(read));

        Assert.NotEmpty(declared);
        Assert.Equal(declared.Order(), read.Order());
        Assert.All(read, path => Assert.True(reference.HasPath(path), path));
    }

    [Fact]
    public void Reference_values_are_the_documented_defaults()
    {
        var limits = HttpParserLimits.Reference();
        Assert.Equal(8 * 1024, limits.MaxRequestLineLength);
        Assert.Equal(32 * 1024, limits.MaxHeaderBytes);
        Assert.Equal(100, limits.MaxHeaderCount);
        Assert.Equal(64 * 1024, limits.MaxResponseHeaderBytes);
    }

    [Fact]
    public void Overrides_win_over_the_reference_and_are_validated()
    {
        var overrides = ConfigurationFactory.ParseString("actorhttp.http.parsing { max-header-count = 7, max-request-line-length = 1k }");
        var limits = HttpParserLimits.FromConfig(overrides.WithFallback(Reference()));
        Assert.Equal(7, limits.MaxHeaderCount);
        Assert.Equal(1024, limits.MaxRequestLineLength);

        var tooSmall = ConfigurationFactory.ParseString("actorhttp.http.parsing.max-request-line-length = 0");
        Assert.Throws<ArgumentOutOfRangeException>(() => HttpParserLimits.FromConfig(tooSmall.WithFallback(Reference())));
    }

    [Fact]
    public void A_missing_key_is_an_error_not_a_silent_default() =>
        Assert.Throws<ConfigException>(() => HttpParserLimits.FromConfig(ConfigurationFactory.ParseString("actorhttp.http.parsing { max-header-count = 7 }")));
}
