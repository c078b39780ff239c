using ActorHttp.Configuration;
using Akka.Configuration;

namespace ActorHttp.Cli.Bench;

/// <summary><c>actorhttp.cli.bench</c>: the defaults of <c>actorhttp bench</c> (documented in <c>hocon/cli.conf</c>).</summary>
internal sealed record BenchSettings(int Concurrency, TimeSpan Duration, TimeSpan Warmup, int ReadBufferSize, int HistogramRows, TimeSpan DrainTimeout)
{
    public const string Section = "actorhttp.cli.bench";

    public static BenchSettings FromConfig(Config config) => Read(new SettingsReader(config, Section));

    public static BenchSettings Read(SettingsReader c)
    {
        var settings = new BenchSettings(c.Int("concurrency"), c.Duration("duration"), c.Duration("warmup"),
            c.IntBytes("read-buffer-size"), c.Int("histogram-rows"), c.Duration("drain-timeout"));
        c.Check(settings.Concurrency >= 1, "concurrency", "must be at least 1");
        c.Check(settings.Duration > TimeSpan.Zero, "duration", "must be positive");
        c.Check(settings.Warmup >= TimeSpan.Zero, "warmup", "must not be negative");
        c.Check(settings.ReadBufferSize >= 1, "read-buffer-size", "must be positive");
        c.Check(settings.HistogramRows >= 1, "histogram-rows", "must be positive");
        c.Check(settings.DrainTimeout >= TimeSpan.Zero, "drain-timeout", "must not be negative");
        return settings;
    }
}
