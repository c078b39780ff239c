using ActorHttp.Actors.Tests.Support;
using ActorHttp.Configuration;
using Akka.Configuration;

namespace ActorHttp.Actors.Tests.Configuration;

/// <summary>hocon/http.conf and <see cref="HttpParserLimitsSettings"/> describe the same keys.</summary>
public class HttpParserLimitsSettingsTests
{
    [Fact]
    public void Every_parsing_key_in_the_reference_file_is_read_and_every_key_read_exists()
    {
        var declared = ReferenceKeys.Under(HttpParserLimitsSettings.Section);
        var read = new HashSet<string>();
        HttpParserLimitsSettings.Read(new SettingsReader(ReferenceConfig.Default, HttpParserLimitsSettings.Section, read));

        Assert.NotEmpty(declared);
        Assert.Equal(declared.Order(), read.Order());
        Assert.All(read, path => Assert.True(ReferenceConfig.Default.HasPath(path), path));
    }

    [Fact]
    public void Reference_values_are_the_documented_defaults()
    {
        var limits = HttpParserLimitsSettings.Reference;
        Assert.Equal(8 * 1024, limits.MaxRequestLineLength);
        Assert.Equal(32 * 1024, limits.MaxHeaderBytes);
        Assert.Equal(100, limits.MaxHeaderCount);
        Assert.Equal(64 * 1024, limits.MaxResponseHeaderBytes);
    }

    [Fact]
    public void Overrides_win_over_the_reference_and_are_validated()
    {
        var overrides = ConfigurationFactory.ParseString("actorhttp.http.parsing { max-header-count = 7, max-request-line-length = 1k }");
        var limits = HttpParserLimitsSettings.FromConfig(ReferenceConfig.Load(overrides));
        Assert.Equal(7, limits.MaxHeaderCount);
        Assert.Equal(1024, limits.MaxRequestLineLength);

        var tooSmall = ConfigurationFactory.ParseString("actorhttp.http.parsing.max-request-line-length = 0");
        Assert.Throws<ArgumentOutOfRangeException>(() => HttpParserLimitsSettings.FromConfig(ReferenceConfig.Load(tooSmall)));
    }

    [Fact]
    public void A_missing_key_is_an_error_not_a_silent_default()
    {
        var error = Assert.Throws<SettingsException>(() =>
            HttpParserLimitsSettings.FromConfig(ConfigurationFactory.ParseString("actorhttp.http.parsing { max-header-count = 7 }")));
        Assert.Equal("actorhttp.http.parsing.max-request-line-length", error.Path);
    }

    [Fact]
    public void A_mistyped_value_names_its_key()
    {
        var error = Assert.Throws<SettingsException>(() =>
            HttpParserLimitsSettings.FromConfig(ReferenceConfig.Load(ConfigurationFactory.ParseString("actorhttp.http.parsing.max-header-count = lots"))));
        Assert.Equal("actorhttp.http.parsing.max-header-count", error.Path);
    }
}
