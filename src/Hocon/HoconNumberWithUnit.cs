using System.Globalization;

namespace ActorHttp.Hocon;

/// <summary>Splits <c>"1.5 MiB"</c> or <c>"90s"</c> into the number and the unit after it.</summary>
internal static class HoconNumberWithUnit
{
    public static bool TrySplit(string text, out decimal number, out string unit)
    {
        var s = text.Trim();
        var end = 0;
        if (end < s.Length && s[end] is '-' or '+') end++;
        while (end < s.Length && (char.IsAsciiDigit(s[end]) || s[end] == '.')) end++;
        unit = s[end..].Trim();
        return decimal.TryParse(s[..end], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out number)
            || TryExponent(s, out number, out unit);
    }

    /// <summary>A number in exponent form (<c>1e3</c>) with no unit, as a bare number may be written.</summary>
    private static bool TryExponent(string s, out decimal number, out string unit)
    {
        unit = "";
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) && Math.Abs(d) < 7.9e28)
        {
            number = (decimal)d;
            return true;
        }
        number = 0;
        return false;
    }
}
