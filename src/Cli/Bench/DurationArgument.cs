using System.Globalization;

namespace ActorHttp.Cli.Bench;

/// <summary>Parses the durations <c>actorhttp bench</c> takes, as hey and wrk write them.</summary>
internal static class DurationArgument
{
    private static readonly (string Suffix, double Seconds)[] Units =
    [
        ("ms", 1e-3), ("us", 1e-6), ("µs", 1e-6), ("ns", 1e-9), ("s", 1), ("m", 60), ("h", 3600),
    ];

    /// <summary>
    /// A non-negative number with a unit — <c>ns</c>, <c>us</c>, <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c> — such as
    /// <c>10s</c>, <c>500ms</c>, <c>1.5m</c>; a bare number is seconds (the benchmark driver's <c>{duration}</c>).
    /// </summary>
    /// <exception cref="FormatException">Not a number, an unknown unit, or negative.</exception>
    public static TimeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        double scale = 1;
        foreach (var (suffix, seconds) in Units)
        {
            if (t.EndsWith(suffix, StringComparison.Ordinal))
            {
                t = t[..^suffix.Length];
                scale = seconds;
                break;
            }
        }
        if (t.Length == 0 || !char.IsAsciiDigit(t[^1])
            || !double.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value))
            throw new FormatException($"'{text}' is not a duration such as 10s or 500ms.");
        return TimeSpan.FromTicks((long)Math.Round(value * scale * TimeSpan.TicksPerSecond));
    }
}
