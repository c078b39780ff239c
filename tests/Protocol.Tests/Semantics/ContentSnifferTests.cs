using ActorHttp.Protocol.Semantics;

namespace ActorHttp.Protocol.Tests.Semantics;

public class ContentSnifferTests
{
    // Go's sniffTests (net/http/sniff_test.go), in its order, as Go literals.
    public static TheoryData<string, string, string> GoTable => new()
    {
        { "Empty", "", "text/plain; charset=utf-8" },
        { "Binary", @"\x01\x02\x03", "application/octet-stream" },

        { "HTML document #1", "<HtMl><bOdY>blah blah blah</body></html>", "text/html; charset=utf-8" },
        { "HTML document #2", "<HTML></HTML>", "text/html; charset=utf-8" },
        { "HTML document #3 (leading whitespace)", "   <!DOCTYPE HTML>...", "text/html; charset=utf-8" },
        { "HTML document #4 (leading CRLF)", @"\r\n<html>...", "text/html; charset=utf-8" },

        { "Plain text", "This is not HTML. It has ☃ though.", "text/plain; charset=utf-8" },

        { "XML", @"\n<?xml!", "text/xml; charset=utf-8" },

        { "Windows icon", @"\x00\x00\x01\x00", "image/x-icon" },
        { "Windows cursor", @"\x00\x00\x02\x00", "image/x-icon" },
        { "BMP image", "BM...", "image/bmp" },
        { "GIF 87a", "GIF87a", "image/gif" },
        { "GIF 89a", "GIF89a...", "image/gif" },
        { "WEBP image", @"RIFF\x00\x00\x00\x00WEBPVP", "image/webp" },
        { "PNG image", @"\x89PNG\x0D\x0A\x1A\x0A", "image/png" },
        { "JPEG image", @"\xFF\xD8\xFF", "image/jpeg" },

        { "MIDI audio", @"MThd\x00\x00\x00\x06\x00\x01", "audio/midi" },
        { "MP3 audio/MPEG audio", @"ID3\x03\x00\x00\x00\x00\x0f", "audio/mpeg" },
        { "WAV audio #1", @"RIFFb\xb8\x00\x00WAVEfmt \x12\x00\x00\x00\x06", "audio/wave" },
        { "WAV audio #2", @"RIFF,\x00\x00\x00WAVEfmt \x12\x00\x00\x00\x06", "audio/wave" },
        { "AIFF audio #1", @"FORM\x00\x00\x00\x00AIFFCOMM\x00\x00\x00\x12\x00\x01\x00\x00\x57\x55\x00\x10\x40\x0d\xf3\x34", "audio/aiff" },

        { "OGG audio", @"OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x7e\x46\x00\x00\x00\x00\x00\x00\x1f\xf6\xb4\xfc\x01\x1e\x01\x76\x6f\x72", "application/ogg" },
        { "Must not match OGG #1", @"owow\x00", "application/octet-stream" },
        { "Must not match OGG #2", @"oooS\x00", "application/octet-stream" },
        { "Must not match OGG #3", @"oggS\x00", "application/octet-stream" },

        { "MP4 video", @"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom<\x06t\xbfmdat", "video/mp4" },
        { "AVI video #1", @"RIFF,O\n\x00AVI LISTÀ", "video/avi" },
        { "AVI video #2", @"RIFF,\n\x00\x00AVI LISTÀ", "video/avi" },

        { "TTF sample  I", @"\x00\x01\x00\x00\x00\x17\x01\x00\x00\x04\x01\x60\x4f", "font/ttf" },
        { "TTF sample II", @"\x00\x01\x00\x00\x00\x0e\x00\x80\x00\x03\x00\x60\x46", "font/ttf" },
        { "OTTO sample  I", @"\x4f\x54\x54\x4f\x00\x0e\x00\x80\x00\x03\x00\x60\x42\x41\x53\x45", "font/otf" },
        { "woff sample  I", @"\x77\x4f\x46\x46\x00\x01\x00\x00\x00\x00\x30\x54\x00\x0d\x00\x00", "font/woff" },
        { "woff2 sample", @"\x77\x4f\x46\x32\x00\x01\x00\x00\x00", "font/woff2" },
        { "wasm sample", @"\x00\x61\x73\x6d\x01\x00", "application/wasm" },

        { "RAR v1.5-v4.0", @"Rar!\x1A\x07\x00", "application/x-rar-compressed" },
        { "RAR v5+", @"Rar!\x1A\x07\x01\x00", "application/x-rar-compressed" },
        { "Incorrect RAR v1.5-v4.0", @"Rar \x1A\x07\x00", "application/octet-stream" },
        { "Incorrect RAR v5+", @"Rar \x1A\x07\x01\x00", "application/octet-stream" },
    };

    // Every signature and boundary the Go table does not reach.
    public static TheoryData<string, string, string> EdgeTable => new()
    {
        // HTML: every tag, case folding only on letters, the terminator byte, whitespace kinds.
        { "each tag: doctype", "<!doctype html>", "text/html; charset=utf-8" },
        { "each tag: head", "<head>", "text/html; charset=utf-8" },
        { "each tag: script", "<script src=x>", "text/html; charset=utf-8" },
        { "each tag: iframe", "<iframe>", "text/html; charset=utf-8" },
        { "each tag: h1", "<h1>", "text/html; charset=utf-8" },
        { "each tag: div", "<div class=a>", "text/html; charset=utf-8" },
        { "each tag: font", "<font>", "text/html; charset=utf-8" },
        { "each tag: table", "<table>", "text/html; charset=utf-8" },
        { "each tag: a", "<a href=x>", "text/html; charset=utf-8" },
        { "each tag: style", "<style>", "text/html; charset=utf-8" },
        { "each tag: title", "<title>", "text/html; charset=utf-8" },
        { "each tag: b", "<b>", "text/html; charset=utf-8" },
        { "each tag: body", "<BODY>", "text/html; charset=utf-8" },
        { "each tag: br", "<br >", "text/html; charset=utf-8" },
        { "each tag: p", "<p>", "text/html; charset=utf-8" },
        { "comment", "<!-- x -->", "text/html; charset=utf-8" },
        { "tag needs a terminator byte", "<html", "text/plain; charset=utf-8" },
        { "tag followed by slash is not a signature", "<br/>", "text/plain; charset=utf-8" },
        { "tag followed by tab is not a signature", "<html\t>", "text/plain; charset=utf-8" },
        { "unknown tag", "<span>hi</span>", "text/plain; charset=utf-8" },
        { "form feed and tab are whitespace", @"\x0c\t <p>", "text/html; charset=utf-8" },
        { "vertical tab is not whitespace, and is binary", @"\x0b<p>", "application/octet-stream" },

        // XML skips whitespace; PDF and PostScript do not.
        { "xml at start", "<?xml version=\"1.0\"?>", "text/xml; charset=utf-8" },
        { "xml is case-sensitive", "<?XML ", "text/plain; charset=utf-8" },
        { "pdf", "%PDF-1.7", "application/pdf" },
        { "pdf after whitespace is text", " %PDF-1.7", "text/plain; charset=utf-8" },
        { "postscript", "%!PS-Adobe-3.0", "application/postscript" },

        // Byte order marks need four bytes (Go's masks are four long).
        { "utf-16be bom", @"\xFE\xFFab", "text/plain; charset=utf-16be" },
        { "utf-16le bom", @"\xFF\xFEab", "text/plain; charset=utf-16le" },
        { "utf-8 bom", @"\xEF\xBB\xBFa", "text/plain; charset=utf-8" },
        { "utf-16be bom too short", @"\xFE\xFF", "text/plain; charset=utf-8" },
        { "utf-16le bom with NULs", @"\xFF\xFE\x00\x00", "text/plain; charset=utf-16le" },

        // Images and media at their minimal lengths.
        { "riff without enough bytes", @"RIFF\x00\x00\x00\x00WEBP", "application/octet-stream" },
        { "webp needs VP", @"RIFF\x00\x00\x00\x00WEBPXX", "application/octet-stream" },
        { "webm", @"\x1A\x45\xDF\xA3\x01", "video/webm" },
        { "aiff too short", @"FORM\x00\x00\x00\x00AIF", "application/octet-stream" },
        { "midi wrong header length", @"MThd\x00\x00\x00\x07", "application/octet-stream" },

        // MP4: box size rules.
        { "mp4 brand in compatible list", @"\x00\x00\x00\x14ftypisom\x00\x00\x00\x01mp41", "video/mp4" },
        { "mp4 minor version is skipped", @"\x00\x00\x00\x10ftypisom\x00mp4", "application/octet-stream" },
        { "mp4 box size not a multiple of 4", @"\x00\x00\x00\x13ftypmp42\x00\x00\x00\x00mp42", "application/octet-stream" },
        { "mp4 box larger than data", @"\x00\x00\x01\x04ftypmp42\x00\x00\x00\x00mp42", "application/octet-stream" },
        { "mp4 huge box size is not negative", @"\xFF\xFF\xFF\xFCftypmp42\x00\x00\x00\x00", "application/octet-stream" },
        { "mp4 shorter than 12", @"\x00\x00\x00\x08ftyp", "application/octet-stream" },
        { "ftyp without mp4 brand", @"\x00\x00\x00\x10ftypqt  \x00\x00\x00\x00", "application/octet-stream" },

        // Fonts and archives.
        { "font collection", @"ttcf\x00\x01", "font/collection" },
        { "gzip", @"\x1F\x8B\x08\x00", "application/x-gzip" },
        { "gzip needs deflate method", @"\x1F\x8B\x09\x00", "application/octet-stream" },
        { "zip", @"PK\x03\x04\x14\x00", "application/zip" },

        // Text versus binary: the binary bytes are 00-08, 0B, 0E-1A, 1C-1F; ESC, DEL and high bytes are text.
        { "escape is text", @"a\x1Bb", "text/plain; charset=utf-8" },
        { "del and latin-1 are text", @"a\x7F\xE9", "text/plain; charset=utf-8" },
        { "nul is binary", @"a\x00b", "application/octet-stream" },
        { "0x1A is binary", @"a\x1A", "application/octet-stream" },
        { "0x1C is binary", @"a\x1C", "application/octet-stream" },
        { "only whitespace", @" \r\n\t", "text/plain; charset=utf-8" },
    };

    [Theory]
    [MemberData(nameof(GoTable))]
    public void Matches_go_table(string description, string goLiteral, string expected)
    {
        Assert.True(expected == ContentSniffer.Detect(GoBytes.Decode(goLiteral)), description);
    }

    [Theory]
    [MemberData(nameof(EdgeTable))]
    public void Matches_edge_table(string description, string goLiteral, string expected)
    {
        Assert.True(expected == ContentSniffer.Detect(GoBytes.Decode(goLiteral)), $"{description}: got {ContentSniffer.Detect(GoBytes.Decode(goLiteral))}");
    }

    [Fact]
    public void Embedded_opentype_matches_any_data_with_LP_at_offset_34_as_go_does()
    {
        // A quirk of the spec's pattern (34 ignored bytes then "LP"), kept for fidelity: even text
        // with "LP" at that offset is reported as a font object.
        var data = new byte[40];
        Array.Fill(data, (byte)'a');
        data[34] = (byte)'L';
        data[35] = (byte)'P';
        Assert.Equal("application/vnd.ms-fontobject", ContentSniffer.Detect(data));
        data[35] = (byte)'Q';
        Assert.Equal(ContentSniffer.TextPlainUtf8, ContentSniffer.Detect(data));
    }

    [Fact]
    public void Every_byte_value_is_classified_as_the_spec_says()
    {
        for (var b = 0; b < 256; b++)
        {
            // "a" first so no signature and no whitespace skipping interferes; then the byte.
            var binary = b <= 0x08 || b == 0x0B || (b >= 0x0E && b <= 0x1A) || (b >= 0x1C && b <= 0x1F);
            var expected = binary ? ContentSniffer.OctetStream : ContentSniffer.TextPlainUtf8;
            Assert.True(expected == ContentSniffer.Detect([(byte)'a', (byte)b]), $"byte 0x{b:X2}");
            // And at the far end of the sniffed window.
            var data = new byte[ContentSniffer.SniffLength];
            Array.Fill(data, (byte)'a');
            data[^1] = (byte)b;
            Assert.True(expected == ContentSniffer.Detect(data), $"byte 0x{b:X2} at offset 511");
        }
    }

    [Fact]
    public void Only_the_first_512_bytes_count()
    {
        var data = new byte[1024];
        Array.Fill(data, (byte)'a');
        data[SniffLengthMinus(1)] = 0x00;
        Assert.Equal(ContentSniffer.OctetStream, ContentSniffer.Detect(data));

        data[SniffLengthMinus(1)] = (byte)'a';
        data[ContentSniffer.SniffLength] = 0x00; // byte 513: ignored
        Assert.Equal(ContentSniffer.TextPlainUtf8, ContentSniffer.Detect(data));
    }

    [Fact]
    public void Whitespace_only_prefix_longer_than_512_is_text()
    {
        var data = new byte[600];
        Array.Fill(data, (byte)' ');
        data[590] = (byte)'<';
        Assert.Equal(ContentSniffer.TextPlainUtf8, ContentSniffer.Detect(data));
    }

    [Fact]
    public void Every_prefix_of_every_go_sample_is_answered_without_throwing()
    {
        foreach (var row in GoTable)
        {
            var bytes = GoBytes.Decode((string)row[1]);
            for (var n = 0; n <= bytes.Length; n++)
            {
                Assert.NotNull(ContentSniffer.Detect(bytes.AsSpan(0, n)));
            }
        }
    }

    [Fact]
    public void Detect_does_not_allocate()
    {
        var samples = GoTable.Select(r => GoBytes.Decode((string)r[1])).Concat(EdgeTable.Select(r => GoBytes.Decode((string)r[1]))).ToArray();
        foreach (var s in samples)
        {
            ContentSniffer.Detect(s); // warm up
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < 10; round++)
        {
            foreach (var s in samples)
            {
                ContentSniffer.Detect(s);
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static int SniffLengthMinus(int n) => ContentSniffer.SniffLength - n;
}
