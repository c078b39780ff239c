namespace ActorHttp.Hocon;

/// <summary>
/// Reads byte sizes the way Typesafe config does: a number and an optional unit. Powers of two
/// for the single letters and the IEC names (<c>k</c>, <c>K</c>, <c>Ki</c>, <c>KiB</c>,
/// <c>kibibyte</c> = 1024); powers of ten for the SI names (<c>kB</c>, <c>kilobyte</c> = 1000,
/// <c>MB</c> = 10^6). A number without a unit is bytes.
/// </summary>
internal static class HoconByteSize
{
    private static readonly Dictionary<string, decimal> BytesPerUnit = BuildUnits();

    private static Dictionary<string, decimal> BuildUnits()
    {
        var units = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var name in new[] { "", "B", "b", "byte", "bytes" }) units[name] = 1;
        var powers = new (char Letter, string Si, string Iec)[]
        {
            ('k', "kilo", "kibi"), ('m', "mega", "mebi"), ('g', "giga", "gibi"),
            ('t', "tera", "tebi"), ('p', "peta", "pebi"), ('e', "exa", "exbi"),
        };
        decimal binary = 1, decimalPower = 1;
        foreach (var (letter, si, iec) in powers)
        {
            binary *= 1024;
            decimalPower *= 1000;
            var upper = char.ToUpperInvariant(letter);
            foreach (var name in new[] { $"{letter}", $"{upper}", $"{upper}i", $"{upper}iB", $"{iec}byte", $"{iec}bytes" }) units[name] = binary;
            // The SI prefix for kilo is a lower-case k; "KB" is refused as ambiguous.
            var siSymbol = letter == 'k' ? "kB" : $"{upper}B";
            foreach (var name in new[] { siSymbol, $"{si}byte", $"{si}bytes" }) units[name] = decimalPower;
        }
        return units;
    }

    /// <summary>Parses a size in bytes (a fraction of a byte is dropped); null with a reason when it is not one.</summary>
    public static long? TryParse(string text, out string? error)
    {
        if (!HoconNumberWithUnit.TrySplit(text, out var number, out var unit))
        {
            error = "expected a number followed by an optional size unit (B, k, K, KiB, kB, M, MiB, MB, G, ...)";
            return null;
        }
        if (!BytesPerUnit.TryGetValue(unit, out var perUnit))
        {
            error = $"unknown size unit '{unit}': expected B, k/K/Ki/KiB (1024), kB (1000), M/Mi/MiB, MB, G/Gi/GiB, GB, T, P, E (or their long names)";
            return null;
        }
        try
        {
            var bytes = decimal.Truncate(number * perUnit);
            if (bytes is > long.MaxValue or < long.MinValue) throw new OverflowException();
            error = null;
            return (long)bytes;
        }
        catch (OverflowException)
        {
            error = "the size does not fit in 64 bits";
            return null;
        }
    }
}
