using System.Security.Cryptography;

namespace ActorHttp.Protocol.Semantics;

/// <summary>
/// The framing of a multipart/byteranges body (RFC 9110 §14.6), the 206 answer to a request for
/// several ranges, byte for byte as Go's <c>mime/multipart</c> writer frames it, and its exact
/// length (Go's <c>rangesMIMESize</c>) so the response can carry a Content-Length.
/// </summary>
/// <remarks>
/// <para><b>Layout.</b> For ranges r0..rn the body is: <c>PartHeader(0)</c>, bytes of r0,
/// <c>PartHeader(1)</c>, bytes of r1, ..., <c>Closing</c>. A part header is
/// <c>--boundary CRLF Content-Range: bytes a-b/len CRLF [Content-Type: t CRLF] CRLF</c>, preceded by
/// a CRLF for every part but the first (the CRLF belongs to the delimiter, RFC 2046 §5.1.1).
/// Content-Type is left out when the representation has none (Go writes an empty one).</para>
/// <para><b>Bytes.</b> All strings here are ASCII when the content type is; write them as ASCII or
/// Latin-1, one byte per char, which is what <see cref="ContentLength"/> counts.</para>
/// </remarks>
public static class MultipartByteRanges
{
    private const string Prefix = "multipart/byteranges; boundary=";
    private const string ContentRangeName = "Content-Range: ";
    private const string ContentTypeName = "Content-Type: ";
    private const int MaxBoundaryLength = 70; // RFC 2046 §5.1.1

    /// <summary>
    /// A fresh random boundary: 60 lowercase hex digits from 30 random bytes, as Go's multipart
    /// writer makes them. Random so that no body can contain it by accident or by design.
    /// </summary>
    public static string NewBoundary() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(30));

    /// <summary>The Content-Type field value of the 206 response: <c>multipart/byteranges; boundary=...</c>.</summary>
    public static string ContentType(string boundary)
    {
        ValidateBoundary(boundary);
        return Prefix + boundary;
    }

    /// <summary>
    /// The bytes that go before the data of part <paramref name="index"/> (zero-based):
    /// delimiter line and part headers, ending with the blank line.
    /// </summary>
    /// <param name="index">Position of the part; part 0 has no leading CRLF.</param>
    /// <param name="boundary">The boundary from <see cref="NewBoundary"/>.</param>
    /// <param name="range">The range this part carries.</param>
    /// <param name="contentType">The representation's content type, or null/empty for none.</param>
    /// <param name="completeLength">The representation's length, for Content-Range.</param>
    public static string PartHeader(int index, string boundary, ByteRange range, string? contentType, long completeLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ValidateBoundary(boundary);
        var typeLine = string.IsNullOrEmpty(contentType) ? "" : ContentTypeName + contentType + "\r\n";
        return (index == 0 ? "" : "\r\n") + "--" + boundary + "\r\n"
            + ContentRangeName + range.ToContentRange(completeLength) + "\r\n"
            + typeLine
            + "\r\n";
    }

    /// <summary>The bytes after the last part's data: the close delimiter <c>CRLF --boundary-- CRLF</c>.</summary>
    public static string Closing(string boundary)
    {
        ValidateBoundary(boundary);
        return "\r\n--" + boundary + "--\r\n";
    }

    /// <summary>
    /// The exact length of the whole multipart body for these ranges: every part header, every
    /// range's bytes, and the closing delimiter (Go's <c>rangesMIMESize</c>), computed without
    /// building the strings.
    /// </summary>
    public static long ContentLength(ReadOnlySpan<ByteRange> ranges, string boundary, string? contentType, long completeLength)
    {
        ValidateBoundary(boundary);
        var typeLineLength = string.IsNullOrEmpty(contentType) ? 0 : ContentTypeName.Length + contentType.Length + 2;
        var completeDigits = DigitCount(completeLength);
        long total = 0;
        for (var i = 0; i < ranges.Length; i++)
        {
            var r = ranges[i];
            // "bytes " + start + "-" + last + "/" + complete
            long contentRangeLength = 6 + DigitCount(r.Start) + 1 + DigitCount(r.Last) + 1 + completeDigits;
            total += (i == 0 ? 0 : 2) + 2 + boundary.Length + 2
                + ContentRangeName.Length + contentRangeLength + 2
                + typeLineLength
                + 2
                + r.Length;
        }

        return total + 2 + 2 + boundary.Length + 2 + 2;
    }

    private static int DigitCount(long value)
    {
        var digits = 1;
        while (value >= 10)
        {
            value /= 10;
            digits++;
        }

        return digits;
    }

    // The boundary goes into a Content-Type parameter unquoted, so it must be a token, and RFC 2046
    // caps it at 70 characters.
    private static void ValidateBoundary(string boundary)
    {
        ArgumentException.ThrowIfNullOrEmpty(boundary);
        if (boundary.Length > MaxBoundaryLength)
        {
            throw new ArgumentException($"A multipart boundary is at most {MaxBoundaryLength} characters.", nameof(boundary));
        }

        foreach (var c in boundary)
        {
            if (!(c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-' or '_' or '.'))
            {
                throw new ArgumentException("A multipart boundary here is made of letters, digits, '-', '_' and '.'.", nameof(boundary));
            }
        }
    }
}
