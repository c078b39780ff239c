using System.Globalization;

namespace ActorHttp.Hocon;

/// <summary>
/// A string, number, boolean or null value. Numbers keep the text they were written as, so that a
/// number read as a string (or concatenated into one) looks exactly as in the source.
/// </summary>
public sealed class HoconLiteral : HoconValue
{
    internal HoconLiteral(HoconValueType type, string text, SourcePosition? position, bool isWhitespace = false)
        : base(position)
    {
        Type = type;
        Text = text;
        IsWhitespace = isWhitespace;
    }

    /// <inheritdoc />
    public override HoconValueType Type { get; }

    /// <summary>The value as text: the string itself, the number as written, <c>true</c>, <c>null</c>.</summary>
    public string Text { get; }

    /// <summary>
    /// Unquoted whitespace between the parts of a concatenation: kept between strings, ignored
    /// between arrays or objects.
    /// </summary>
    internal bool IsWhitespace { get; }

    internal override bool NeedsResolution => false;

    internal static HoconLiteral String(string text, SourcePosition? position) => new(HoconValueType.String, text, position);

    /// <summary>Classifies an unquoted token: <c>true</c>/<c>false</c>, <c>null</c>, a number, or a string.</summary>
    internal static HoconLiteral FromUnquoted(string text, SourcePosition position)
    {
        var type = text switch
        {
            "true" or "false" => HoconValueType.Boolean,
            "null" => HoconValueType.Null,
            _ when IsNumber(text) => HoconValueType.Number,
            _ => HoconValueType.String,
        };
        return new HoconLiteral(type, text, position);
    }

    /// <summary>JSON's number grammar, with leading zeros tolerated.</summary>
    internal static bool IsNumber(string text)
    {
        var i = 0;
        if (i < text.Length && text[i] == '-') i++;
        var digits = SkipDigits(text, ref i);
        if (digits == 0) return false;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            if (SkipDigits(text, ref i) == 0) return false;
        }
        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '+' or '-') i++;
            if (SkipDigits(text, ref i) == 0) return false;
        }
        return i == text.Length;
    }

    private static int SkipDigits(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
        return i - start;
    }

    internal bool TryGetDouble(out double value) =>
        double.TryParse(Text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
}
