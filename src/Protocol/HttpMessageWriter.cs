using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace ActorHttp.Protocol;

/// <summary>
/// Writes message heads into an <see cref="IBufferWriter{T}"/> without intermediate strings:
/// request and status lines, field lines, Content-Length, a cached Date, the empty line.
/// Names and values are validated as they are written, so a caller cannot inject CRLF.
/// Strings are written as Latin-1, the inverse of how the parser materialises them.
/// </summary>
public static class HttpMessageWriter
{
    private static ReadOnlySpan<byte> Crlf => "\r\n"u8;

    /// <summary>Writes <c>method SP target SP HTTP-version CRLF</c>.</summary>
    /// <exception cref="ArgumentException">The method is not a token or the target has bytes outside visible ASCII.</exception>
    public static void WriteRequestLine(IBufferWriter<byte> writer, string method, string target, HttpProtocolVersion version)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ValidateName(method);
        ValidateTarget(target);
        var span = writer.GetSpan(method.Length + target.Length + 12);
        int n = Encoding.ASCII.GetBytes(method, span);
        span[n++] = (byte)' ';
        n += Encoding.ASCII.GetBytes(target, span[n..]);
        span[n++] = (byte)' ';
        n += VersionText(version).CopyToReturningLength(span[n..]);
        span[n++] = (byte)'\r';
        span[n++] = (byte)'\n';
        writer.Advance(n);
    }

    /// <summary>
    /// Writes <c>HTTP-version SP status SP reason CRLF</c>; common HTTP/1.1 lines come from a
    /// cached table. A null <paramref name="reason"/> means the registered phrase.
    /// </summary>
    public static void WriteStatusLine(IBufferWriter<byte> writer, HttpProtocolVersion version, int statusCode, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 999);
        if (reason is null && version == HttpProtocolVersion.Http11 && StatusLines.Get(statusCode) is { } cached)
        {
            writer.Write(cached);
            return;
        }
        reason ??= ReasonPhrases.For(statusCode);
        ValidateValue(reason);
        var span = writer.GetSpan(reason.Length + 15);
        int n = VersionText(version).CopyToReturningLength(span);
        span[n++] = (byte)' ';
        Utf8Formatter.TryFormat(statusCode, span[n..], out int written);
        n += written;
        span[n++] = (byte)' ';
        n += Encoding.Latin1.GetBytes(reason, span[n..]);
        span[n++] = (byte)'\r';
        span[n++] = (byte)'\n';
        writer.Advance(n);
    }

    /// <summary>Writes <c>name: value CRLF</c>.</summary>
    /// <exception cref="ArgumentException">The name is not a token or the value has CR, LF, NUL, another CTL, or a character above U+00FF.</exception>
    public static void WriteHeader(IBufferWriter<byte> writer, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ValidateName(name);
        ValidateValue(value);
        var span = writer.GetSpan(name.Length + value.Length + 4);
        int n = Encoding.ASCII.GetBytes(name, span);
        span[n++] = (byte)':';
        span[n++] = (byte)' ';
        n += Encoding.Latin1.GetBytes(value, span[n..]);
        span[n++] = (byte)'\r';
        span[n++] = (byte)'\n';
        writer.Advance(n);
    }

    /// <summary>Writes <c>name: value CRLF</c> from bytes (pre-encoded names and values).</summary>
    public static void WriteHeader(IBufferWriter<byte> writer, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (name.IsEmpty || name.IndexOfAnyExcept(HttpCharacters.Token) >= 0)
            throw new ArgumentException("A field name must be a token.", nameof(name));
        if (value.IndexOfAny(HttpCharacters.FieldValueStop) >= 0)
            throw new ArgumentException("A field value must not contain control characters.", nameof(value));
        var span = writer.GetSpan(name.Length + value.Length + 4);
        name.CopyTo(span);
        int n = name.Length;
        span[n++] = (byte)':';
        span[n++] = (byte)' ';
        value.CopyTo(span[n..]);
        n += value.Length;
        span[n++] = (byte)'\r';
        span[n++] = (byte)'\n';
        writer.Advance(n);
    }

    /// <summary>Writes every field of <paramref name="headers"/> in order, byte for byte.</summary>
    public static void WriteHeaders(IBufferWriter<byte> writer, HeaderCollection headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        foreach (var field in headers) WriteHeader(writer, field.NameSpan, field.ValueSpan);
    }

    /// <summary>Writes <c>Content-Length: n CRLF</c>.</summary>
    public static void WriteContentLength(IBufferWriter<byte> writer, long length)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var span = writer.GetSpan(40);
        "Content-Length: "u8.CopyTo(span);
        int n = 16;
        Utf8Formatter.TryFormat(length, span[n..], out int written);
        n += written;
        span[n++] = (byte)'\r';
        span[n++] = (byte)'\n';
        writer.Advance(n);
    }

    /// <summary>Writes <c>Transfer-Encoding: chunked CRLF</c>.</summary>
    public static void WriteChunkedTransferEncoding(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write("Transfer-Encoding: chunked\r\n"u8);
    }

    /// <summary>
    /// Writes <c>Date: value CRLF</c> from the caller's cached IMF-fixdate bytes (see
    /// <see cref="HttpDate.Format"/>), refreshed by the caller once a second.
    /// </summary>
    public static void WriteDate(IBufferWriter<byte> writer, ReadOnlySpan<byte> imfFixdate)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var span = writer.GetSpan(imfFixdate.Length + 8);
        "Date: "u8.CopyTo(span);
        imfFixdate.CopyTo(span[6..]);
        int n = 6 + imfFixdate.Length;
        span[n++] = (byte)'\r';
        span[n++] = (byte)'\n';
        writer.Advance(n);
    }

    /// <summary>Writes the empty line that ends a head.</summary>
    public static void WriteEndOfHead(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Crlf);
    }

    /// <summary>Throws unless <paramref name="name"/> is a token (RFC 9110 §5.1).</summary>
    internal static void ValidateName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0) throw new ArgumentException("A field name or method must not be empty.", nameof(name));
        if (name.AsSpan().IndexOfAnyExcept(HttpCharacters.TokenChars) >= 0)
            throw new ArgumentException($"'{name}' is not a token.", nameof(name));
    }

    /// <summary>Throws unless <paramref name="value"/> is field-content: no CTL but HTAB, nothing above U+00FF.</summary>
    internal static void ValidateValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        // Vectorised fast path: printable ASCII throughout; only otherwise look at each character.
        int first = value.AsSpan().IndexOfAnyExceptInRange(' ', '~');
        if (first < 0) return;
        foreach (char c in value.AsSpan(first))
            if (c > 0xFF || (c < 0x20 && c != '\t') || c == 0x7F)
                throw new ArgumentException("A field value must not contain control characters or characters above U+00FF.", nameof(value));
    }

    private static void ValidateTarget(string target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.Length == 0) throw new ArgumentException("A request target must not be empty.", nameof(target));
        if (target.AsSpan().IndexOfAnyExcept(HttpCharacters.TargetChars) >= 0)
            throw new ArgumentException("A request target must be visible ASCII without '#' (percent-encode the rest).", nameof(target));
    }

    private static ReadOnlySpan<byte> VersionText(HttpProtocolVersion version) =>
        version == HttpProtocolVersion.Http10 ? "HTTP/1.0"u8 : "HTTP/1.1"u8;

    private static int CopyToReturningLength(this ReadOnlySpan<byte> source, Span<byte> destination)
    {
        source.CopyTo(destination);
        return source.Length;
    }
}
