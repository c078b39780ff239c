using System.Buffers;

namespace ActorHttp.Protocol;

/// <summary>
/// Byte classes of the HTTP grammar (RFC 9110 §5.6, RFC 3986) as vectorised search sets.
/// </summary>
internal static class HttpCharacters
{
    /// <summary>tchar: the bytes of a token (RFC 9110 §5.6.2).</summary>
    public static readonly SearchValues<byte> Token =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>
    /// Bytes that end or poison a field value: every CTL except HTAB, and DEL. CR is in the set
    /// because it is how a value ends; the caller then decides between CRLF, obs-fold and bare CR.
    /// </summary>
    public static readonly SearchValues<byte> FieldValueStop = SearchValues.Create(
        "\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000A\u000B\u000C\u000D\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\u007F"u8);

    /// <summary>
    /// Bytes allowed in a request target: the visible US-ASCII characters except '#' (a fragment is never sent). Stricter than what
    /// some servers take (raw UTF-8); clients percent-encode, and refusing the rest closes off
    /// targets that proxies would rewrite differently.
    /// </summary>
    public static readonly SearchValues<byte> Target = SearchValues.Create(
        "!\"$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"u8);

    /// <summary>Bytes of <c>uri-host [ ":" port ]</c>: reg-name, IP literals and the port separator.</summary>
    public static readonly SearchValues<byte> Authority = SearchValues.Create(
        "!$&'()*+,-.0123456789:;=ABCDEFGHIJKLMNOPQRSTUVWXYZ[]_abcdefghijklmnopqrstuvwxyz~%"u8);

    /// <summary>Bytes of a URI scheme after its first letter (RFC 3986 §3.1).</summary>
    public static readonly SearchValues<byte> SchemeTail = SearchValues.Create(
        "+-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary><see cref="Token"/> as characters, for validating strings before they are written.</summary>
    public static readonly SearchValues<char> TokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    /// <summary><see cref="Target"/> as characters.</summary>
    public static readonly SearchValues<char> TargetChars = SearchValues.Create(
        "!\"$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    /// <summary>True for SP and HTAB, the whitespace of OWS and BWS.</summary>
    public static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t';

    /// <summary>True for a tchar.</summary>
    public static bool IsToken(byte b) => Token.Contains(b);

    /// <summary>The value of a hexadecimal digit, or -1.</summary>
    public static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    /// <summary>Trims OWS from both ends of <paramref name="span"/>.</summary>
    public static ReadOnlySpan<byte> TrimWhitespace(ReadOnlySpan<byte> span)
    {
        int start = 0, end = span.Length;
        while (start < end && IsWhitespace(span[start])) start++;
        while (end > start && IsWhitespace(span[end - 1])) end--;
        return span[start..end];
    }
}
