using System.Globalization;

namespace ActorHttp.Hocon;

/// <summary>
/// Reads durations the way Typesafe config does: a number and an optional unit (<c>90s</c>,
/// <c>500 ms</c>, <c>2 minutes</c>, <c>1.5h</c>); a number without a unit is milliseconds.
/// <c>infinite</c> (Akka's spelling) is <see cref="Timeout.InfiniteTimeSpan"/>.
/// </summary>
internal static class HoconDuration
{
    // Ticks (100 ns) per unit; decimal so that "10 us" and "1.5 s" are exact.
    private static readonly Dictionary<string, decimal> TicksPerUnit = BuildUnits();

    private static Dictionary<string, decimal> BuildUnits()
    {
        var units = new Dictionary<string, decimal>(StringComparer.Ordinal);
        Add(0.01m, "ns", "nano", "nanos", "nanosecond", "nanoseconds");
        Add(10m, "us", "µs", "micro", "micros", "microsecond", "microseconds");
        Add(TimeSpan.TicksPerMillisecond, "", "ms", "milli", "millis", "millisecond", "milliseconds");
        Add(TimeSpan.TicksPerSecond, "s", "second", "seconds");
        Add(TimeSpan.TicksPerMinute, "m", "minute", "minutes");
        Add(TimeSpan.TicksPerHour, "h", "hour", "hours");
        Add(TimeSpan.TicksPerDay, "d", "day", "days");
        return units;

        void Add(decimal ticks, params string[] names)
        {
            foreach (var name in names) units[name] = ticks;
        }
    }

    /// <summary>True when the text is Akka's infinite duration.</summary>
    public static bool IsInfinite(string text) => text.Trim() == "infinite";

    /// <summary>
    /// Parses a duration; a part of a tick (below 100 ns) is dropped, truncating toward zero.
    /// Returns null with a reason when the text is not a duration.
    /// </summary>
    public static TimeSpan? TryParse(string text, out string? error)
    {
        if (!HoconNumberWithUnit.TrySplit(text, out var number, out var unit))
        {
            error = "expected a number followed by an optional time unit (ns, us, ms, s, m, h, d, or their long names)";
            return null;
        }
        if (!TicksPerUnit.TryGetValue(unit, out var ticksPerUnit))
        {
            error = $"unknown time unit '{unit}': expected ns, us, ms, s, m, h, d (or nanoseconds, microseconds, milliseconds, seconds, minutes, hours, days)";
            return null;
        }
        try
        {
            var ticks = decimal.Truncate(number * ticksPerUnit);
            if (ticks is > long.MaxValue or < long.MinValue) throw new OverflowException();
            error = null;
            return TimeSpan.FromTicks((long)ticks);
        }
        catch (OverflowException)
        {
            error = "the duration is too large for a TimeSpan";
            return null;
        }
    }
}
