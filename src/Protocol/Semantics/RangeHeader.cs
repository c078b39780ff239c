using System.Globalization;

namespace ActorHttp.Protocol.Semantics;

/// <summary>
/// The Range request header field (RFC 9110 §14.2) evaluated against a representation's length:
/// Go's <c>parseRange</c> together with the range decisions <c>http.ServeContent</c> makes around it.
/// </summary>
/// <remarks>
/// <para><b>Precedence.</b> Evaluate conditional headers first (<see cref="Preconditions"/>); when
/// they say the Range header must be ignored (a failed If-Range), do not call this at all.</para>
/// <para><b>Rules</b> (Go's unless marked <i>RFC</i>):</para>
/// <list type="bullet">
/// <item>Absent or empty header, or a range set with no range in it (<c>bytes=</c>,
/// <c>bytes= , ,</c>): <see cref="RangeResultKind.NoRange"/>.</item>
/// <item><i>RFC</i>: a unit other than <c>bytes</c> (compared case-insensitively) is ignored
/// (<see cref="RangeResultKind.NoRange"/>); Go answers 416, but RFC 9110 §14.2 says an origin server
/// MUST ignore a range unit it does not understand.</item>
/// <item>Whitespace around ranges and around the numbers is tolerated (Apache's laxity, as Go);
/// empty list elements are skipped.</item>
/// <item>A range whose first byte is at or past the end is dropped; if every range is dropped the
/// answer is <see cref="RangeResultKind.Unsatisfiable"/>. A last-pos past the end is clamped; a
/// suffix longer than the representation means all of it.</item>
/// <item><i>RFC</i>: <c>bytes=-0</c> (a zero-length suffix) is unsatisfiable, as RFC 9110 §14.1.1
/// says; Go serves it as an empty 206 whose Content-Range (<c>bytes 10-9/10</c>) is invalid.</item>
/// <item>Syntax errors — no <c>=</c>, no <c>-</c> in a range, non-digits (including signs, which
/// Go's integer parser would accept), last-pos before first-pos — make the whole header
/// <see cref="RangeResult.Malformed"/>, answered 416 as Go does.</item>
/// <item>An empty representation ignores any well-formed Range (<see cref="RangeResultKind.NoRange"/>):
/// Go does so for issue 54794 ("some clients add a Range header to all requests"), and no
/// Content-Range can describe a part of nothing.</item>
/// <item>When the ranges add up to more bytes than the representation has, the header is
/// ignored (<see cref="RangeResultKind.NoRange"/>): overlapping ranges such as
/// <c>bytes=0-,1-,2-</c> are a broken client or an amplification attack (ServeContent's
/// <c>sumRangesSize</c> check).</item>
/// <item>More ranges than a caller-given limit are ignored the same way (RFC 9110 §14.2 allows it
/// for "many small ranges"); Go has no such limit, hence the overload.</item>
/// <item>Ranges are kept in request order and never merged, as Go sends them.</item>
/// <item>Numbers too large for a long saturate rather than fail: they are valid syntax and can only
/// mean "past the end".</item>
/// </list>
/// </remarks>
public static class RangeHeader
{
    /// <summary>The only range unit this server understands.</summary>
    public const string BytesUnit = "bytes";

    /// <summary>
    /// Evaluates <paramref name="value"/> (the Range field value, or null when absent) against a
    /// representation of <paramref name="length"/> bytes, with no limit on the number of ranges
    /// beyond Go's total-size check.
    /// </summary>
    public static RangeResult Parse(string? value, long length) => Parse(value, length, int.MaxValue);

    /// <summary>
    /// As <see cref="Parse(string?, long)"/>, but a request for more than
    /// <paramref name="maxRanges"/> ranges is ignored (served whole). Read the limit from settings.
    /// </summary>
    public static RangeResult Parse(string? value, long length, int maxRanges)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRanges);
        if (value is null)
        {
            return RangeResult.NoRange;
        }

        var s = TrimOws(value.AsSpan());
        if (s.IsEmpty)
        {
            return RangeResult.NoRange;
        }

        var eq = s.IndexOf('=');
        if (eq < 0)
        {
            return RangeResult.Malformed;
        }

        var unit = s[..eq];
        if (!unit.Equals(BytesUnit, StringComparison.OrdinalIgnoreCase))
        {
            return IsToken(unit) ? RangeResult.NoRange : RangeResult.Malformed;
        }

        List<ByteRange>? ranges = null;
        var noOverlap = false;
        var rest = s[(eq + 1)..];
        while (true)
        {
            var comma = rest.IndexOf(',');
            var element = TrimOws(comma < 0 ? rest : rest[..comma]);
            if (!element.IsEmpty)
            {
                switch (ParseRangeSpec(element, length, out var range))
                {
                    case SpecOutcome.Malformed:
                        return RangeResult.Malformed;
                    case SpecOutcome.NoOverlap:
                        noOverlap = true;
                        break;
                    default:
                        ranges ??= new List<ByteRange>(4);
                        ranges.Add(range);
                        if (ranges.Count > maxRanges)
                        {
                            // Stop reading: the answer is "whole representation" whatever follows.
                            return RangeResult.NoRange;
                        }

                        break;
                }
            }

            if (comma < 0)
            {
                break;
            }

            rest = rest[(comma + 1)..];
        }

        if (length == 0)
        {
            return RangeResult.NoRange;
        }

        if (ranges is null)
        {
            return noOverlap ? RangeResult.Unsatisfiable : RangeResult.NoRange;
        }

        long total = 0;
        foreach (var r in ranges)
        {
            total += r.Length; // cannot overflow: each length <= length, and we stop once total > length
            if (total > length)
            {
                return RangeResult.NoRange;
            }
        }

        return RangeResult.Satisfiable([.. ranges]);
    }

    /// <summary>The Content-Range value of a 416 answer: <c>bytes */length</c> (RFC 9110 §14.4).</summary>
    public static string FormatUnsatisfied(long completeLength) =>
        string.Create(CultureInfo.InvariantCulture, $"bytes */{completeLength}");

    private enum SpecOutcome
    {
        Range,
        NoOverlap,
        Malformed,
    }

    // One range-spec: "first-last", "first-" or "-suffix", with optional whitespace around the numbers.
    private static SpecOutcome ParseRangeSpec(ReadOnlySpan<char> spec, long length, out ByteRange range)
    {
        range = default;
        var dash = spec.IndexOf('-');
        if (dash < 0)
        {
            return SpecOutcome.Malformed;
        }

        var firstText = TrimOws(spec[..dash]);
        var lastText = TrimOws(spec[(dash + 1)..]);
        if (firstText.IsEmpty)
        {
            if (!TryParseDigits(lastText, out var suffix))
            {
                return SpecOutcome.Malformed;
            }

            if (suffix == 0)
            {
                return SpecOutcome.NoOverlap;
            }

            if (length == 0)
            {
                return SpecOutcome.NoOverlap;
            }

            var take = Math.Min(suffix, length);
            range = new ByteRange(length - take, take);
            return SpecOutcome.Range;
        }

        if (!TryParseDigits(firstText, out var first))
        {
            return SpecOutcome.Malformed;
        }

        var last = long.MaxValue;
        if (!lastText.IsEmpty && (!TryParseDigits(lastText, out last) || last < first))
        {
            return SpecOutcome.Malformed;
        }

        if (first >= length)
        {
            return SpecOutcome.NoOverlap;
        }

        last = Math.Min(last, length - 1);
        range = new ByteRange(first, last - first + 1);
        return SpecOutcome.Range;
    }

    // 1*DIGIT, saturating at long.MaxValue.
    private static bool TryParseDigits(ReadOnlySpan<char> text, out long value)
    {
        value = 0;
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            var digit = c - '0';
            value = value > (long.MaxValue - digit) / 10 ? long.MaxValue : value * 10 + digit;
        }

        return true;
    }

    // Go trims with textproto.TrimString: space, tab, CR, LF.
    private static ReadOnlySpan<char> TrimOws(ReadOnlySpan<char> s) => s.Trim(" \t\r\n");

    // RFC 9110 §5.6.2 token.
    private static bool IsToken(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
        {
            return false;
        }

        foreach (var c in s)
        {
            var ok = c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9'
                || "!#$%&'*+-.^_`|~".Contains(c);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
