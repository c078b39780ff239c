using System.Text;
using ActorHttp.Protocol.Semantics;

namespace ActorHttp.Protocol.Tests.Semantics;

public class MultipartByteRangesTests
{
    private const string File = "0123456789\n"; // Go's testdata/file, 11 bytes

    [Fact]
    public void Frames_two_ranges_byte_for_byte_as_go()
    {
        var result = RangeHeader.Parse("bytes=0-0,-2", File.Length);
        var body = Build(File, result, "B", "text/plain; charset=utf-8");
        const string expected =
            "--B\r\nContent-Range: bytes 0-0/11\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n0" +
            "\r\n--B\r\nContent-Range: bytes 9-10/11\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n9\n" +
            "\r\n--B--\r\n";
        Assert.Equal(expected, body);
        Assert.Equal(expected.Length, MultipartByteRanges.ContentLength(result.Ranges, "B", "text/plain; charset=utf-8", File.Length));
    }

    [Fact]
    public void Leaves_out_content_type_when_there_is_none()
    {
        var ranges = new[] { new ByteRange(0, 2), new ByteRange(5, 1) };
        foreach (var none in new[] { null, "" })
        {
            Assert.Equal("--b\r\nContent-Range: bytes 0-1/11\r\n\r\n", MultipartByteRanges.PartHeader(0, "b", ranges[0], none, 11));
            Assert.Equal("\r\n--b\r\nContent-Range: bytes 5-5/11\r\n\r\n", MultipartByteRanges.PartHeader(1, "b", ranges[1], none, 11));
            Assert.Equal(
                MultipartByteRanges.PartHeader(0, "b", ranges[0], none, 11).Length + 2
                + MultipartByteRanges.PartHeader(1, "b", ranges[1], none, 11).Length + 1
                + MultipartByteRanges.Closing("b").Length,
                MultipartByteRanges.ContentLength(ranges, "b", none, 11));
        }
    }

    // Go's multi-range rows of ServeFileRangeTests: the body parses back into the right parts and
    // the computed Content-Length equals the bytes produced.
    [Theory]
    [InlineData("bytes=0-0,-2")]
    [InlineData("bytes=0-1,5-8")]
    [InlineData("bytes=0-1,5-")]
    [InlineData("bytes=1-2,4-4,6-")]
    public void Multipart_body_round_trips(string header)
    {
        var result = RangeHeader.Parse(header, File.Length);
        var boundary = MultipartByteRanges.NewBoundary();
        var body = Build(File, result, boundary, "text/plain; charset=utf-8");
        Assert.Equal(body.Length, MultipartByteRanges.ContentLength(result.Ranges, boundary, "text/plain; charset=utf-8", File.Length));

        var parts = Parse(body, boundary);
        Assert.Equal(result.Ranges.Length, parts.Count);
        for (var i = 0; i < parts.Count; i++)
        {
            var r = result.Ranges[i];
            Assert.Equal($"bytes {r.Start}-{r.Last}/11", parts[i].ContentRange);
            Assert.Equal(File.Substring((int)r.Start, (int)r.Length), parts[i].Data);
        }
    }

    [Fact]
    public void Content_length_matches_the_built_body_across_digit_widths()
    {
        var random = new Random(12345);
        foreach (var complete in new long[] { 1, 9, 10, 11, 99, 100, 12345, 9_999_999_999, long.MaxValue })
        {
            for (var trial = 0; trial < 20; trial++)
            {
                var count = random.Next(1, 6);
                var ranges = new ByteRange[count];
                for (var i = 0; i < count; i++)
                {
                    var start = random.NextInt64(0, complete);
                    ranges[i] = new ByteRange(start, random.NextInt64(1, Math.Min(complete - start, 1000) + 1));
                }

                var contentType = trial % 3 == 0 ? null : "application/octet-stream";
                var boundary = trial % 2 == 0 ? "x" : MultipartByteRanges.NewBoundary();
                long expected = MultipartByteRanges.Closing(boundary).Length;
                for (var i = 0; i < count; i++)
                {
                    expected += MultipartByteRanges.PartHeader(i, boundary, ranges[i], contentType, complete).Length + ranges[i].Length;
                }

                Assert.Equal(expected, MultipartByteRanges.ContentLength(ranges, boundary, contentType, complete));
            }
        }
    }

    [Fact]
    public void New_boundaries_are_60_hex_digits_and_differ()
    {
        var a = MultipartByteRanges.NewBoundary();
        var b = MultipartByteRanges.NewBoundary();
        Assert.Equal(60, a.Length);
        Assert.Matches("^[0-9a-f]{60}$", a);
        Assert.NotEqual(a, b);
        Assert.Equal("multipart/byteranges; boundary=" + a, MultipartByteRanges.ContentType(a));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("quote\"")]
    [InlineData("semi;colon")]
    public void Rejects_boundaries_that_would_need_quoting(string boundary)
    {
        Assert.ThrowsAny<ArgumentException>(() => MultipartByteRanges.ContentType(boundary));
        Assert.ThrowsAny<ArgumentException>(() => MultipartByteRanges.Closing(boundary));
    }

    [Fact]
    public void Rejects_boundaries_longer_than_70()
    {
        MultipartByteRanges.Closing(new string('a', 70));
        Assert.Throws<ArgumentException>(() => MultipartByteRanges.Closing(new string('a', 71)));
    }

    private static string Build(string content, RangeResult result, string boundary, string? contentType)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < result.Ranges.Length; i++)
        {
            var r = result.Ranges[i];
            sb.Append(MultipartByteRanges.PartHeader(i, boundary, r, contentType, content.Length));
            sb.Append(content, (int)r.Start, (int)r.Length);
        }

        return sb.Append(MultipartByteRanges.Closing(boundary)).ToString();
    }

    // A minimal multipart reader (RFC 2046 §5.1.1), written independently of the framing code.
    private static List<(string ContentRange, string Data)> Parse(string body, string boundary)
    {
        var delimiter = "\r\n--" + boundary;
        Assert.StartsWith("--" + boundary + "\r\n", body);
        Assert.EndsWith(delimiter + "--\r\n", body);
        var inner = ("\r\n" + body)[..^("--\r\n".Length)];
        var chunks = inner.Split(delimiter);
        // "" before the first delimiter and "" after the close delimiter (its "--" was cut off).
        Assert.Equal("", chunks[0]);
        Assert.Equal("", chunks[^1]);
        var parts = new List<(string, string)>();
        foreach (var chunk in chunks[1..^1])
        {
            Assert.StartsWith("\r\n", chunk);
            var headerEnd = chunk.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var headers = chunk[2..headerEnd].Split("\r\n");
            var contentRange = headers.Single(h => h.StartsWith("Content-Range: ", StringComparison.Ordinal))["Content-Range: ".Length..];
            parts.Add((contentRange, chunk[(headerEnd + 4)..]));
        }

        return parts;
    }
}
