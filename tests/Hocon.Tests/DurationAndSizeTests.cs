using ActorHttp.Hocon;

namespace ActorHttp.Hocon.Tests;

public class DurationAndSizeTests
{
    public static TheoryData<string, long> Durations()
    {
        var data = new TheoryData<string, long>(); // text, expected ticks
        void Units(long ticksPerUnit, params string[] names)
        {
            foreach (var name in names)
            {
                data.Add($"\"3{name}\"", 3 * ticksPerUnit);
                data.Add($"\"3 {name}\"", 3 * ticksPerUnit);
            }
        }
        Units(TimeSpan.TicksPerMicrosecond, "us", "micro", "micros", "microsecond", "microseconds");
        Units(TimeSpan.TicksPerMillisecond, "ms", "milli", "millis", "millisecond", "milliseconds");
        Units(TimeSpan.TicksPerSecond, "s", "second", "seconds");
        Units(TimeSpan.TicksPerMinute, "m", "minute", "minutes");
        Units(TimeSpan.TicksPerHour, "h", "hour", "hours");
        Units(TimeSpan.TicksPerDay, "d", "day", "days");
        data.Add("\"300ns\"", 3);
        data.Add("\"300 nanos\"", 3);
        data.Add("\"300 nano\"", 3);
        data.Add("\"300 nanosecond\"", 3);
        data.Add("\"300 nanoseconds\"", 3);
        data.Add("\"5 ns\"", 0); // below one 100 ns tick: truncated
        data.Add("\"10 us\"", 100);
        data.Add("90s", 90 * TimeSpan.TicksPerSecond);
        data.Add("500ms", 500 * TimeSpan.TicksPerMillisecond);
        data.Add("500 ms", 500 * TimeSpan.TicksPerMillisecond);
        data.Add("2 minutes", 2 * TimeSpan.TicksPerMinute);
        data.Add("1h", TimeSpan.TicksPerHour);
        data.Add("1.5s", 15 * TimeSpan.TicksPerSecond / 10);
        data.Add("0.5 ms", TimeSpan.TicksPerMillisecond / 2);
        data.Add("0s", 0);
        data.Add("-1s", -TimeSpan.TicksPerSecond);
        data.Add("250", 250 * TimeSpan.TicksPerMillisecond); // a bare number is milliseconds
        data.Add("\"250\"", 250 * TimeSpan.TicksPerMillisecond);
        data.Add("1.5", 15 * TimeSpan.TicksPerMillisecond / 10);
        return data;
    }

    [Theory]
    [MemberData(nameof(Durations))]
    public void ReadsDurations(string value, long ticks)
    {
        var config = ConfigurationFactory.ParseString($"d = {value}");
        Assert.Equal(TimeSpan.FromTicks(ticks), config.GetTimeSpan("d"));
    }

    [Fact]
    public void InfiniteIsInfiniteTimeSpanUnlessRefused()
    {
        var config = ConfigurationFactory.ParseString("d = infinite");
        Assert.Equal(Timeout.InfiniteTimeSpan, config.GetTimeSpan("d"));
        var e = Assert.Throws<ConfigException>(() => config.GetTimeSpan("d", allowInfinite: false));
        Assert.Equal(ConfigErrorKind.BadValue, e.Kind);
        Assert.Equal("d", e.Path);
    }

    [Theory]
    [InlineData("5 fortnights")]
    [InlineData("s")]
    [InlineData("1.2.3s")]
    [InlineData("5 S")]
    [InlineData("99999999999999 days")]
    public void RefusesBadDurations(string value)
    {
        var config = ConfigurationFactory.ParseString($"d = \"{value}\"");
        var e = Assert.Throws<ConfigException>(() => config.GetTimeSpan("d"));
        Assert.Equal(ConfigErrorKind.BadValue, e.Kind);
        Assert.Equal(new SourcePosition("string", 1, 5), e.Position);
    }

    public static TheoryData<string, long> Sizes()
    {
        var data = new TheoryData<string, long>();
        void Units(long bytes, params string[] names)
        {
            foreach (var name in names)
            {
                data.Add($"\"2{name}\"", 2 * bytes);
                data.Add($"\"2 {name}\"", 2 * bytes);
            }
        }
        Units(1, "B", "b", "byte", "bytes");
        Units(1L << 10, "k", "K", "Ki", "KiB", "kibibyte", "kibibytes");
        Units(1000, "kB", "kilobyte", "kilobytes");
        Units(1L << 20, "m", "M", "Mi", "MiB", "mebibyte", "mebibytes");
        Units(1_000_000, "MB", "megabyte", "megabytes");
        Units(1L << 30, "g", "G", "Gi", "GiB", "gibibyte", "gibibytes");
        Units(1_000_000_000, "GB", "gigabyte", "gigabytes");
        Units(1L << 40, "t", "T", "Ti", "TiB", "tebibyte", "tebibytes");
        Units(1_000_000_000_000, "TB", "terabyte", "terabytes");
        Units(1L << 50, "p", "P", "Pi", "PiB", "pebibyte", "pebibytes");
        Units(1_000_000_000_000_000, "PB", "petabyte", "petabytes");
        data.Add("\"1e\"", 1L << 60);
        data.Add("\"1 EiB\"", 1L << 60);
        data.Add("\"1 exbibyte\"", 1L << 60);
        data.Add("\"1 EB\"", 1_000_000_000_000_000_000);
        data.Add("\"1 exabyte\"", 1_000_000_000_000_000_000);
        data.Add("32k", 32768);
        data.Add("32K", 32768);
        data.Add("1m", 1L << 20);
        data.Add("1 MiB", 1L << 20);
        data.Add("1MB", 1_000_000);
        data.Add("1.5K", 1536);
        data.Add("0", 0);
        data.Add("4096", 4096);
        data.Add("\"4096\"", 4096);
        return data;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void ReadsByteSizes(string value, long bytes)
    {
        var config = ConfigurationFactory.ParseString($"s = {value}");
        Assert.Equal(bytes, config.GetByteSize("s"));
    }

    [Theory]
    [InlineData("5 KB")] // ambiguous: refused rather than guessed
    [InlineData("5 Z")]
    [InlineData("5 ZiB")]
    [InlineData("16 EiB")]
    [InlineData("lots")]
    [InlineData("5 bits")]
    public void RefusesBadSizes(string value)
    {
        var config = ConfigurationFactory.ParseString($"s = \"{value}\"");
        Assert.Equal(ConfigErrorKind.BadValue, Assert.Throws<ConfigException>(() => config.GetByteSize("s")).Kind);
    }
}
