using System.Globalization;

namespace ActorHttp.Protocol;

/// <summary>
/// HTTP dates (RFC 9110 §5.6.7): formatting as IMF-fixdate into bytes without allocating, and
/// parsing of all three formats a recipient must accept (IMF-fixdate, RFC 850, asctime).
/// No clock here: the caller passes the instant (the server formats once a second and caches).
/// </summary>
public static class HttpDate
{
    /// <summary>Length of an IMF-fixdate, e.g. <c>Sun, 06 Nov 1994 08:49:37 GMT</c>.</summary>
    public const int Length = 29;

    private static ReadOnlySpan<byte> DayNames => "SunMonTueWedThuFriSat"u8;
    private static ReadOnlySpan<byte> MonthNames => "JanFebMarAprMayJunJulAugSepOctNovDec"u8;

    private static readonly string[] Formats =
    [
        "ddd, dd MMM yyyy HH:mm:ss 'GMT'",   // IMF-fixdate
        "dddd, dd-MMM-yy HH:mm:ss 'GMT'",    // obsolete RFC 850
        "ddd MMM d HH:mm:ss yyyy",           // obsolete asctime (day space-padded)
    ];

    /// <summary>Writes <paramref name="value"/> (converted to UTC) as an IMF-fixdate; returns <see cref="Length"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="Length"/>.</exception>
    public static int Format(DateTimeOffset value, Span<byte> destination)
    {
        if (destination.Length < Length) throw new ArgumentException($"Need {Length} bytes.", nameof(destination));
        var utc = value.UtcDateTime;
        DayNames.Slice((int)utc.DayOfWeek * 3, 3).CopyTo(destination);
        destination[3] = (byte)',';
        destination[4] = (byte)' ';
        TwoDigits(utc.Day, destination[5..]);
        destination[7] = (byte)' ';
        MonthNames.Slice((utc.Month - 1) * 3, 3).CopyTo(destination[8..]);
        destination[11] = (byte)' ';
        TwoDigits(utc.Year / 100, destination[12..]);
        TwoDigits(utc.Year % 100, destination[14..]);
        destination[16] = (byte)' ';
        TwoDigits(utc.Hour, destination[17..]);
        destination[19] = (byte)':';
        TwoDigits(utc.Minute, destination[20..]);
        destination[22] = (byte)':';
        TwoDigits(utc.Second, destination[23..]);
        " GMT"u8.CopyTo(destination[25..]);
        return Length;
    }

    /// <summary>
    /// Parses an HTTP date in any of the three formats. RFC 850's two-digit years follow the
    /// invariant calendar's window (00-49 → 20xx); RFC 9110's "50 years in the future" rule
    /// would need a clock, which this layer does not have.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        text = text.Trim(" \t");
        if (DateTimeOffset.TryParseExact(text, Formats, CultureInfo.InvariantCulture,
                DateTimeStyles.AllowInnerWhite | DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value))
            return true;
        value = default;
        return false;
    }

    private static void TwoDigits(int value, Span<byte> destination)
    {
        destination[0] = (byte)('0' + value / 10);
        destination[1] = (byte)('0' + value % 10);
    }
}
