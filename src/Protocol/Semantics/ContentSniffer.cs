using System.Buffers;
using System.Buffers.Binary;

namespace ActorHttp.Protocol.Semantics;

/// <summary>
/// The content-type sniffer: guesses a MIME type from the first bytes of a body, exactly as Go's
/// <c>http.DetectContentType</c> does (a subset of the WHATWG MIME Sniffing Standard,
/// https://mimesniff.spec.whatwg.org/). The server uses it when a handler sets no Content-Type.
/// </summary>
/// <remarks>
/// <para><b>Algorithm.</b> Only the first <see cref="SniffLength"/> bytes count. The signatures are
/// tried in a fixed order and the first match wins: HTML tags (case-insensitive, after leading
/// whitespace, followed by a space or <c>&gt;</c>), XML, PDF, PostScript, the UTF-16/UTF-8 byte
/// order marks, images, audio and video, fonts, archives, WebAssembly; then
/// <c>text/plain; charset=utf-8</c> when no "binary" control byte follows the leading whitespace,
/// and <c>application/octet-stream</c> otherwise. The empty input is text, as in Go.</para>
/// <para><b>Allocation.</b> None: every answer is one of the string constants below, and the
/// signatures are UTF-8 literals compiled into the assembly's data.</para>
/// </remarks>
public static class ContentSniffer
{
    /// <summary>How many leading bytes the algorithm looks at (Go's <c>sniffLen</c>, the spec's resource header size).</summary>
    public const int SniffLength = 512;

    /// <summary>The answer for HTML.</summary>
    public const string TextHtml = "text/html; charset=utf-8";
    /// <summary>The answer for XML.</summary>
    public const string TextXml = "text/xml; charset=utf-8";
    /// <summary>The answer for text without binary bytes, and for a UTF-8 byte order mark.</summary>
    public const string TextPlainUtf8 = "text/plain; charset=utf-8";
    /// <summary>The answer for a UTF-16 big-endian byte order mark.</summary>
    public const string TextPlainUtf16BE = "text/plain; charset=utf-16be";
    /// <summary>The answer for a UTF-16 little-endian byte order mark.</summary>
    public const string TextPlainUtf16LE = "text/plain; charset=utf-16le";
    /// <summary>The fallback when nothing matched and the data has binary bytes.</summary>
    public const string OctetStream = "application/octet-stream";

    // The remaining answers are internal: callers compare against the public ones above only.
    private const string Pdf = "application/pdf";
    private const string PostScript = "application/postscript";
    private const string Icon = "image/x-icon";
    private const string Bmp = "image/bmp";
    private const string Gif = "image/gif";
    private const string Webp = "image/webp";
    private const string Png = "image/png";
    private const string Jpeg = "image/jpeg";
    private const string Aiff = "audio/aiff";
    private const string Mpeg = "audio/mpeg";
    private const string Ogg = "application/ogg";
    private const string Midi = "audio/midi";
    private const string Avi = "video/avi";
    private const string Wave = "audio/wave";
    private const string Mp4 = "video/mp4";
    private const string Webm = "video/webm";
    private const string FontObject = "application/vnd.ms-fontobject";
    private const string Ttf = "font/ttf";
    private const string Otf = "font/otf";
    private const string FontCollection = "font/collection";
    private const string Woff = "font/woff";
    private const string Woff2 = "font/woff2";
    private const string Gzip = "application/x-gzip";
    private const string Zip = "application/zip";
    private const string Rar = "application/x-rar-compressed";
    private const string Wasm = "application/wasm";

    // Careful with C# "\x" escapes: they take up to four hex digits, so a "\x00" followed by a hex
    // letter would swallow it; signatures that would need that are written as byte arrays.

    // Signatures with bytes >= 0x80 (which a u8 literal would encode as two bytes) or with a NUL
    // before a hex letter; a ReadOnlySpan<byte> property over a constant array does not allocate.
    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static ReadOnlySpan<byte> JpegSignature => [0xFF, 0xD8, 0xFF];
    private static ReadOnlySpan<byte> WebmSignature => [0x1A, 0x45, 0xDF, 0xA3];
    private static ReadOnlySpan<byte> GzipSignature => [0x1F, 0x8B, 0x08];
    private static ReadOnlySpan<byte> WasmSignature => [0x00, (byte)'a', (byte)'s', (byte)'m'];

    /// <summary>Returns the MIME type of <paramref name="data"/>; never null, never allocates.</summary>
    public static string Detect(ReadOnlySpan<byte> data)
    {
        if (data.Length > SniffLength)
        {
            data = data[..SniffLength];
        }

        var firstNonWS = 0;
        while (firstNonWS < data.Length && IsWhitespace(data[firstNonWS]))
        {
            firstNonWS++;
        }

        var afterWS = data[firstNonWS..];
        return MatchHtml(afterWS)
            ?? MatchOther(data, afterWS)
            ?? MatchText(afterWS)
            ?? OctetStream;
    }

    // The spec's 0xWS bytes: tab, line feed, form feed, carriage return, space.
    private static bool IsWhitespace(byte b) => b is (byte)'\t' or (byte)'\n' or 0x0C or (byte)'\r' or (byte)' ';

    // The spec's 0xTT bytes, which must end an HTML tag signature.
    private static bool IsTagTerminator(byte b) => b is (byte)' ' or (byte)'>';

    private static string? MatchHtml(ReadOnlySpan<byte> afterWS)
    {
        // The spec's (and Go's) order; every tag answers HTML, so the order only keeps the port
        // easy to check against the table.
        if (IsHtmlTag(afterWS, "<!DOCTYPE HTML"u8) || IsHtmlTag(afterWS, "<HTML"u8) || IsHtmlTag(afterWS, "<HEAD"u8)
            || IsHtmlTag(afterWS, "<SCRIPT"u8) || IsHtmlTag(afterWS, "<IFRAME"u8) || IsHtmlTag(afterWS, "<H1"u8)
            || IsHtmlTag(afterWS, "<DIV"u8) || IsHtmlTag(afterWS, "<FONT"u8) || IsHtmlTag(afterWS, "<TABLE"u8)
            || IsHtmlTag(afterWS, "<A"u8) || IsHtmlTag(afterWS, "<STYLE"u8) || IsHtmlTag(afterWS, "<TITLE"u8)
            || IsHtmlTag(afterWS, "<B"u8) || IsHtmlTag(afterWS, "<BODY"u8) || IsHtmlTag(afterWS, "<BR"u8)
            || IsHtmlTag(afterWS, "<P"u8) || IsHtmlTag(afterWS, "<!--"u8))
        {
            return TextHtml;
        }

        return null;
    }

    // The tag is written in upper case; data letters are folded to upper case by clearing bit 0x20,
    // which is only done where the pattern byte is a letter (so '!' and '-' compare exactly).
    private static bool IsHtmlTag(ReadOnlySpan<byte> data, ReadOnlySpan<byte> tag)
    {
        if (data.Length < tag.Length + 1)
        {
            return false;
        }

        for (var i = 0; i < tag.Length; i++)
        {
            var b = tag[i];
            var db = data[i];
            if (b is >= (byte)'A' and <= (byte)'Z')
            {
                db &= 0xDF;
            }

            if (b != db)
            {
                return false;
            }
        }

        return IsTagTerminator(data[tag.Length]);
    }

    private static string? MatchOther(ReadOnlySpan<byte> data, ReadOnlySpan<byte> afterWS)
    {
        // XML is the only non-HTML signature that skips leading whitespace.
        if (afterWS.StartsWith("<?xml"u8)) return TextXml;
        if (data.StartsWith("%PDF-"u8)) return Pdf;
        if (data.StartsWith("%!PS-Adobe-"u8)) return PostScript;

        // Byte order marks. Go's masks are four bytes long with the tail masked out, so a BOM
        // only counts when at least four bytes are present; kept for fidelity.
        if (data.Length >= 4)
        {
            if (data[0] == 0xFE && data[1] == 0xFF) return TextPlainUtf16BE;
            if (data[0] == 0xFF && data[1] == 0xFE) return TextPlainUtf16LE;
            if (data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF) return TextPlainUtf8;
        }

        // Images. "image/x-icon" is the current spec's name (Go changed from image/vnd.microsoft.icon).
        if (data.StartsWith("\x00\x00\x01\x00"u8)) return Icon;
        if (data.StartsWith("\x00\x00\x02\x00"u8)) return Icon;
        if (data.StartsWith("BM"u8)) return Bmp;
        if (data.StartsWith("GIF87a"u8) || data.StartsWith("GIF89a"u8)) return Gif;
        if (IsRiff(data, "WEBPVP"u8)) return Webp;
        if (data.StartsWith(PngSignature)) return Png;
        if (data.StartsWith(JpegSignature)) return Jpeg;

        // Audio and video, in the spec's order.
        if (data.Length >= 12 && data.StartsWith("FORM"u8) && data[8..12].SequenceEqual("AIFF"u8)) return Aiff;
        if (data.StartsWith("ID3"u8)) return Mpeg;
        if (data.StartsWith("OggS\x00"u8)) return Ogg;
        if (data.StartsWith("MThd\x00\x00\x00\x06"u8)) return Midi;
        if (IsRiff(data, "AVI "u8)) return Avi;
        if (IsRiff(data, "WAVE"u8)) return Wave;
        if (IsMp4(data)) return Mp4;
        if (data.StartsWith(WebmSignature)) return Webm;

        // Fonts. Embedded OpenType: 34 bytes of anything, then "LP".
        if (data.Length >= 36 && data[34] == (byte)'L' && data[35] == (byte)'P') return FontObject;
        if (data.StartsWith("\x00\x01\x00\x00"u8)) return Ttf;
        if (data.StartsWith("OTTO"u8)) return Otf;
        if (data.StartsWith("ttcf"u8)) return FontCollection;
        if (data.StartsWith("wOFF"u8)) return Woff;
        if (data.StartsWith("wOF2"u8)) return Woff2;

        // Archives. RAR follows RAR Labs' signatures, not the spec's (whatwg/mimesniff#63), as Go does.
        if (data.StartsWith(GzipSignature)) return Gzip;
        if (data.StartsWith("PK\x03\x04"u8)) return Zip;
        if (data.StartsWith("Rar!\x1A\x07\x00"u8) || data.StartsWith("Rar!\x1A\x07\x01\x00"u8)) return Rar;

        if (data.StartsWith(WasmSignature)) return Wasm;
        return null;
    }

    // "RIFF", four bytes of chunk size (ignored), then the form type.
    private static bool IsRiff(ReadOnlySpan<byte> data, ReadOnlySpan<byte> form) =>
        data.Length >= 8 + form.Length && data.StartsWith("RIFF"u8) && data.Slice(8, form.Length).SequenceEqual(form);

    // https://mimesniff.spec.whatwg.org/#signature-for-mp4: an "ftyp" box whose major brand or one of
    // whose compatible brands starts with "mp4"; the four bytes at offset 12 are the minor version.
    private static bool IsMp4(ReadOnlySpan<byte> data)
    {
        if (data.Length < 12)
        {
            return false;
        }

        // Unsigned, so a huge box size is simply "longer than the data" rather than negative.
        var boxSize = BinaryPrimitives.ReadUInt32BigEndian(data);
        if (data.Length < boxSize || boxSize % 4 != 0)
        {
            return false;
        }

        if (!data[4..8].SequenceEqual("ftyp"u8))
        {
            return false;
        }

        for (var st = 8; st < boxSize; st += 4)
        {
            if (st == 12)
            {
                continue;
            }

            if (data.Slice(st, 3).SequenceEqual("mp4"u8))
            {
                return true;
            }
        }

        return false;
    }

    // Section 5 step 4 of the spec: text unless a "binary data byte" appears after the leading
    // whitespace. Note that 0x0C, 0x0D, 0x1B (ESC) and bytes >= 0x7F are not binary. SearchValues
    // makes the scan vectorized: a 512-byte text body is the common case and the longest one.
    private static string? MatchText(ReadOnlySpan<byte> afterWS) =>
        afterWS.ContainsAny(BinaryBytes) ? null : TextPlainUtf8;

    private static readonly SearchValues<byte> BinaryBytes = SearchValues.Create(
    [
        0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x0B,
        0x0E, 0x0F, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A,
        0x1C, 0x1D, 0x1E, 0x1F,
    ]);
}
