using ActorHttp.Hocon;

namespace ActorHttp.Hocon.Tests;

/// <summary>The reference-configuration convention: defaults embedded as actorhttp/reference/*.conf.</summary>
public class ReferenceTests
{
    private static readonly System.Reflection.Assembly Tests = typeof(ReferenceTests).Assembly;

    [Fact]
    public void MergesEveryReferenceFileOfTheAssemblies()
    {
        var config = ConfigurationFactory.Reference(Tests, Tests, typeof(Config).Assembly);
        Assert.Equal(80, config.GetInt("hocon-tests.a.port"));
        Assert.Equal(["1", "2"], config.GetStringList("hocon-tests.b.limits"));
        Assert.Equal("bee says hi", config.GetString("hocon-tests.a.greeting")); // substitution across files
        Assert.False(config.HasPath("from-resource")); // other resources are not reference files
    }

    [Fact]
    public void LoadPutsOverridesOverTheReferenceAndResolvesAfterMerging()
    {
        var overrides = ConfigurationFactory.ParseString("hocon-tests { a.port = 8080, b.name = wasp, b.limits += 3 }");
        var config = ConfigurationFactory.Load(overrides, Tests);
        Assert.Equal(8080, config.GetInt("hocon-tests.a.port"));
        Assert.Equal(TimeSpan.FromSeconds(5), config.GetTimeSpan("hocon-tests.a.timeout"));
        Assert.Equal("wasp says hi", config.GetString("hocon-tests.a.greeting"));
        Assert.Equal(["1", "2", "3"], config.GetStringList("hocon-tests.b.limits"));
        Assert.Equal(80, ConfigurationFactory.Load(null, Tests).GetInt("hocon-tests.a.port"));
    }

    [Fact]
    public void LoadFailsAtOnceOnABadSubstitution()
    {
        var overrides = ConfigurationFactory.ParseString("hocon-tests.a.port = ${no.such.path}");
        Assert.Equal(ConfigErrorKind.UnresolvedSubstitution, Assert.Throws<ConfigException>(() => ConfigurationFactory.Load(overrides, Tests)).Kind);
    }

    [Fact]
    public void TheSameKeyInTwoReferenceFilesIsAnError()
    {
        var files = new[]
        {
            (HoconSource.ForString("one.conf"), "shared { x = 1 }\none.y = 1"),
            (HoconSource.ForString("two.conf"), "shared {\n  z = 1\n  x = 2\n}"),
        };
        var e = Assert.Throws<ConfigException>(() => ConfigurationFactory.MergeReferenceFiles(files));
        Assert.Equal(ConfigErrorKind.DuplicateReferenceKey, e.Kind);
        Assert.Equal("shared.x", e.Path);
        Assert.Equal(new SourcePosition("two.conf", 3, 7), e.Position);
        Assert.Contains("one.conf", e.Message);
    }

    [Fact]
    public void SectionsSharedBetweenReferenceFilesAreFine()
    {
        var files = new[]
        {
            (HoconSource.ForString("one.conf"), "actorhttp.server { port = 80 }"),
            (HoconSource.ForString("two.conf"), "actorhttp.client { retries = 1 }"),
        };
        var config = ConfigurationFactory.MergeReferenceFiles(files);
        Assert.Equal(81, config.GetInt("actorhttp.server.port") + config.GetInt("actorhttp.client.retries"));
    }

    [Fact]
    public void ReferenceKeysAreAllReadByTheirReader()
    {
        // What each settings class's test does, shown on the test reference files.
        var reference = ConfigurationFactory.Reference(Tests);
        var read = new HashSet<string>();
        var tracked = ConfigurationFactory.Load(null, Tests).TrackReads(read);
        var a = tracked.GetConfig("hocon-tests.a");
        _ = (a.GetInt("port"), a.GetTimeSpan("timeout"), a.GetString("greeting"));
        var b = tracked.GetConfig("hocon-tests.b");
        _ = (b.GetString("name"), b.GetStringList("limits"));
        Assert.Equal(reference.AsEnumerable().Select(kv => kv.Key).Order(), read.Order());
    }
}
