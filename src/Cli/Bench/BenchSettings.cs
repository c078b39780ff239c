using ActorHttp.Hocon;

namespace ActorHttp.Cli.Bench;

/// <summary><c>actorhttp.cli.bench</c>: the defaults of <c>actorhttp bench</c> (documented in <c>hocon/cli.conf</c>).</summary>
internal sealed record BenchSettings(int Concurrency, TimeSpan Duration, TimeSpan Warmup, int ReadBufferSize, int HistogramRows, TimeSpan DrainTimeout,
    bool InlineCompletions)
{
    public static BenchSettings FromConfig(Config config)
    {
        const string section = "actorhttp.cli.bench";
        var c = config.GetConfig(section);
        var settings = new BenchSettings(c.GetInt("concurrency"), c.GetTimeSpan("duration"), c.GetTimeSpan("warmup"),
            checked((int)c.GetByteSize("read-buffer-size")), c.GetInt("histogram-rows"), c.GetTimeSpan("drain-timeout"),
            c.GetBoolean("inline-completions"));
        if (settings.Concurrency < 1) throw Bad("concurrency", "must be at least 1");
        if (settings.Duration <= TimeSpan.Zero) throw Bad("duration", "must be positive");
        if (settings.Warmup < TimeSpan.Zero) throw Bad("warmup", "must not be negative");
        if (settings.ReadBufferSize < 1) throw Bad("read-buffer-size", "must be positive");
        if (settings.HistogramRows < 1) throw Bad("histogram-rows", "must be positive");
        if (settings.DrainTimeout < TimeSpan.Zero) throw Bad("drain-timeout", "must not be negative");
        return settings;

        static ConfigException Bad(string key, string why) => new(ConfigErrorKind.BadValue, why, $"{section}.{key}");
    }
}
