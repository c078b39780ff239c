using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace ActorHttp.Protocol;

/// <summary>
/// Percent-decoding of URL paths, path segments and query components with Go's <c>net/url</c>
/// semantics (<c>PathUnescape</c>, <c>QueryUnescape</c>).
/// </summary>
/// <remarks>
/// <para>A '%' must be followed by two hex digits; anything else is an invalid escape, reported as
/// a failed <c>Try</c> (or <see cref="OperationStatus.InvalidData"/>), never as an exception,
/// because request targets are attacker-controlled and this runs on every request.</para>
/// <para>In paths '+' is an ordinary character; in query components it means a space
/// (the HTML form convention Go's <c>QueryUnescape</c> follows).</para>
/// <para>Decoded bytes are read as UTF-8; byte sequences that are not valid UTF-8 become U+FFFD,
/// since a .NET string cannot carry raw bytes the way a Go string does. Characters outside ASCII in
/// the input are taken as text and survive unchanged.</para>
/// </remarks>
public static class PercentEncoding
{
    // Longest input decoded on the stack; longer ones rent from the pool.
    private const int StackLimit = 256;

    /// <summary>Decodes a path or path segment ('+' stays '+'). Returns the same instance when there is nothing to decode.</summary>
    public static bool TryUnescapePath(string value, [NotNullWhen(true)] out string? result) =>
        TryUnescapeString(value, plusAsSpace: false, out result);

    /// <summary>Decodes a query name or value ('+' becomes a space). Returns the same instance when there is nothing to decode.</summary>
    public static bool TryUnescapeQueryComponent(string value, [NotNullWhen(true)] out string? result) =>
        TryUnescapeString(value, plusAsSpace: true, out result);

    /// <summary>
    /// Decodes <paramref name="source"/> into <paramref name="destination"/> without allocating.
    /// The decoded text is never longer than the source, so a destination as long as the source
    /// always suffices. Returns <see cref="OperationStatus.Done"/>, <see cref="OperationStatus.InvalidData"/>
    /// for a bad escape, or <see cref="OperationStatus.DestinationTooSmall"/>.
    /// </summary>
    public static OperationStatus Unescape(ReadOnlySpan<char> source, Span<char> destination, bool plusAsSpace, out int charsWritten)
    {
        charsWritten = 0;
        if (IndexOfInvalidEscape(source) >= 0)
        {
            return OperationStatus.InvalidData;
        }
        if (!NeedsDecoding(source, plusAsSpace))
        {
            if (!source.TryCopyTo(destination))
            {
                return OperationStatus.DestinationTooSmall;
            }
            charsWritten = source.Length;
            return OperationStatus.Done;
        }
        // Non-ASCII characters take up to 3 UTF-8 bytes each (a surrogate pair 4 for 2 chars).
        var maxBytes = source.Length * 3;
        byte[]? rented = null;
        var bytes = maxBytes <= StackLimit * 3 ? stackalloc byte[maxBytes] : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            var byteCount = DecodeToUtf8(source, bytes, plusAsSpace);
            var utf8 = bytes[..byteCount];
            if (Encoding.UTF8.GetCharCount(utf8) > destination.Length)
            {
                return OperationStatus.DestinationTooSmall;
            }
            charsWritten = Encoding.UTF8.GetChars(utf8, destination);
            return OperationStatus.Done;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Index of the first '%' not followed by two hex digits, or -1 when every escape is valid.</summary>
    public static int IndexOfInvalidEscape(ReadOnlySpan<char> value)
    {
        var i = value.IndexOf('%');
        while (i >= 0)
        {
            if (i + 2 >= value.Length || !char.IsAsciiHexDigit(value[i + 1]) || !char.IsAsciiHexDigit(value[i + 2]))
            {
                return i;
            }
            var next = value[(i + 3)..].IndexOf('%');
            i = next < 0 ? -1 : i + 3 + next;
        }
        return -1;
    }

    private static bool NeedsDecoding(ReadOnlySpan<char> value, bool plusAsSpace) =>
        plusAsSpace ? value.IndexOfAny('%', '+') >= 0 : value.Contains('%');

    private static bool TryUnescapeString(string value, bool plusAsSpace, [NotNullWhen(true)] out string? result)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (IndexOfInvalidEscape(value) >= 0)
        {
            result = null;
            return false;
        }
        if (!NeedsDecoding(value, plusAsSpace))
        {
            result = value;
            return true;
        }
        char[]? rented = null;
        var chars = value.Length <= StackLimit ? stackalloc char[value.Length] : (rented = ArrayPool<char>.Shared.Rent(value.Length));
        try
        {
            Unescape(value, chars, plusAsSpace, out var written);
            result = new string(chars[..written]);
            return true;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    // Escapes have been validated by the caller.
    private static int DecodeToUtf8(ReadOnlySpan<char> source, Span<byte> bytes, bool plusAsSpace)
    {
        var n = 0;
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            if (c == '%')
            {
                bytes[n++] = (byte)((HexValue(source[i + 1]) << 4) | HexValue(source[i + 2]));
                i += 2;
            }
            else if (c == '+' && plusAsSpace)
            {
                bytes[n++] = (byte)' ';
            }
            else if (c < 0x80)
            {
                bytes[n++] = (byte)c;
            }
            else
            {
                // Text outside ASCII: re-encode the run as UTF-8 so it decodes back to itself.
                var start = i;
                while (i + 1 < source.Length && source[i + 1] >= 0x80)
                {
                    i++;
                }
                n += Encoding.UTF8.GetBytes(source[start..(i + 1)], bytes[n..]);
            }
        }
        return n;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
