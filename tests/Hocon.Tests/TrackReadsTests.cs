using ActorHttp.Hocon;

namespace ActorHttp.Hocon.Tests;

public class TrackReadsTests
{
    private static readonly Config Reference = ConfigurationFactory.ParseString("""
        server {
          port = 80
          timeouts { read = 5s, idle = 1m }
          "a.b" = x
          tags = [a, b]
          proxy = null
        }
        """);

    [Fact]
    public void RecordsFullPathsThroughSubConfigs()
    {
        var read = new HashSet<string>();
        var config = Reference.TrackReads(read);
        var server = config.GetConfig("server");
        _ = server.GetInt("port");
        var timeouts = server.GetConfig("timeouts");
        _ = timeouts.GetTimeSpan("read");
        _ = timeouts.GetTimeSpan("idle");
        _ = server.GetString("\"a.b\"");
        _ = server.GetStringList("tags");
        _ = server.IsNull("proxy");
        _ = server.HasPath("absent");
        Assert.Throws<ConfigException>(() => server.GetInt("missing"));

        Assert.Equal(
            new[] { "server.\"a.b\"", "server.absent", "server.missing", "server.port", "server.proxy", "server.tags", "server.timeouts.idle", "server.timeouts.read" },
            read.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EveryReferenceKeyReadAndEveryReadKeyExists()
    {
        // The check each settings class's test makes.
        var read = new HashSet<string>();
        var server = Reference.TrackReads(read).GetConfig("server");
        _ = (server.GetInt("port"), server.GetTimeSpan("timeouts.read"), server.GetTimeSpan("timeouts.idle"),
            server.GetString("\"a.b\""), server.GetStringList("tags"), server.IsNull("proxy"));
        var keys = Reference.AsEnumerable().Select(kv => kv.Key).ToHashSet();
        Assert.Equal(keys.Order(), read.Order());
    }

    [Fact]
    public void UntrackedConfigRecordsNothingAndTrackingDoesNotLeak()
    {
        var read = new HashSet<string>();
        var tracked = Reference.TrackReads(read);
        _ = Reference.GetInt("server.port");
        Assert.Empty(read);
        _ = tracked.GetInt("server.port");
        Assert.Equal(["server.port"], read);
    }

    [Fact]
    public void AsEnumerableCountsAsReadingEveryLeaf()
    {
        var read = new HashSet<string>();
        _ = Reference.TrackReads(read).GetConfig("server.timeouts").AsEnumerable().ToList();
        Assert.Equal(["server.timeouts.idle", "server.timeouts.read"], read.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TrackingSurvivesWithFallbackAndSubViewTracking()
    {
        var read = new HashSet<string>();
        var sub = Reference.GetConfig("server").TrackReads(read);
        _ = sub.WithFallback(ConfigurationFactory.ParseString("extra = 1")).GetInt("extra");
        _ = sub.GetInt("port");
        Assert.Equal(["server.extra", "server.port"], read.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TrackingIsThreadSafe()
    {
        var read = new HashSet<string>();
        var config = ConfigurationFactory.ParseString(string.Join("\n", Enumerable.Range(0, 200).Select(i => $"k{i} = {i}"))).TrackReads(read);
        Parallel.For(0, 200, i => config.GetInt($"k{i}"));
        Assert.Equal(200, read.Count);
    }
}
