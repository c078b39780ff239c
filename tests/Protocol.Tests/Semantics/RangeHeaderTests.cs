using ActorHttp.Protocol.Semantics;

namespace ActorHttp.Protocol.Tests.Semantics;

public class RangeHeaderTests
{
    // Go's ParseRangeTests (net/http/range_test.go). Where Go returns no ranges, the expected
    // kind says why: "N" NoRange (200), "U" unsatisfiable (416), "M" malformed (416).
    // Ranges are written "start+length;start+length".
    public static TheoryData<string?, long, string> GoParseRangeTable => new()
    {
        { "", 0, "N" },
        { "", 1000, "N" },
        { "foo", 0, "M" },
        { "bytes=", 0, "N" },
        { "bytes=7", 10, "M" },
        { "bytes= 7 ", 10, "M" },
        { "bytes=1-", 0, "N" },
        { "bytes=5-4", 10, "M" },
        { "bytes=0-2,5-4", 10, "M" },
        { "bytes=2-5,4-3", 10, "M" },
        { "bytes=--5,4--3", 10, "M" },
        { "bytes=A-", 10, "M" },
        { "bytes=A- ", 10, "M" },
        { "bytes=A-Z", 10, "M" },
        { "bytes= -Z", 10, "M" },
        { "bytes=5-Z", 10, "M" },
        { "bytes=Ran-dom, garbage", 10, "M" },
        { "bytes=0x01-0x02", 10, "M" },
        { "bytes=         ", 10, "N" },
        { "bytes= , , ,   ", 10, "N" },

        { "bytes=0-9", 10, "0+10" },
        { "Bytes=0-9", 10, "0+10" },
        { "BYTES=0-9", 10, "0+10" },
        { "bYtEs=0-9", 10, "0+10" },
        { "bytes=0-", 10, "0+10" },
        { "bytes=5-", 10, "5+5" },
        { "bytes=0-20", 10, "0+10" },
        { "bytes=15-,0-5", 10, "0+6" },
        { "bytes=1-2,5-", 10, "1+2;5+5" },
        { "bytes=-2 , 7-", 11, "9+2;7+4" },
        { "bytes=0-0 ,2-2, 7-", 11, "0+1;2+1;7+4" },
        { "bytes=-5", 10, "5+5" },
        { "bytes=-15", 10, "0+10" },
        { "bytes=0-499", 10000, "0+500" },
        { "bytes=500-999", 10000, "500+500" },
        { "bytes=-500", 10000, "9500+500" },
        { "bytes=9500-", 10000, "9500+500" },
        { "bytes=0-0,-1", 10000, "0+1;9999+1" },
        { "bytes=500-600,601-999", 10000, "500+101;601+399" },
        { "bytes=500-700,601-999", 10000, "500+201;601+399" },
        { "bytes=   1 -2   ,  4- 5, 7 - 8 , ,,", 11, "1+2;4+2;7+2" },
    };

    // Go's ServeFileRangeTests (net/http/fs_test.go) against its 11-byte testdata/file, with
    // ServeContent's decisions: 200 ignores the header, 206 serves the ranges, 416 refuses.
    public static TheoryData<string, int, string> GoServeFileRangeTable => new()
    {
        { "", 200, "" },
        { "bytes=0-4", 206, "0+5" },
        { "bytes=2-", 206, "2+9" },
        { "bytes=-5", 206, "6+5" },
        { "Bytes=0-4", 206, "0+5" },
        { "BYTES=2-", 206, "2+9" },
        { "bYtEs=-5", 206, "6+5" },
        { "bytes=3-7", 206, "3+5" },
        { "bytes=0-0,-2", 206, "0+1;9+2" },
        { "bytes=0-1,5-8", 206, "0+2;5+4" },
        { "bytes=0-1,5-", 206, "0+2;5+6" },
        { "bytes=5-1000", 206, "5+6" },
        { "bytes=0-,1-,2-,3-,4-", 200, "" }, // ignore wasteful range request
        { "bytes=0-9", 206, "0+10" },
        { "bytes=0-10", 206, "0+11" },
        { "bytes=0-11", 206, "0+11" },
        { "bytes=10-11", 206, "10+1" },
        { "bytes=10-", 206, "10+1" },
        { "bytes=11-", 416, "" },
        { "bytes=11-12", 416, "" },
        { "bytes=12-12", 416, "" },
        { "bytes=11-100", 416, "" },
        { "bytes=12-100", 416, "" },
        { "bytes=100-", 416, "" },
        { "bytes=100-1000", 416, "" },
    };

    // Go's TestServeFileRejectsInvalidSuffixLengths (issue 40940) on a 22-byte file, plus the
    // edges the brief lists. "bytes=-0" is where this deviates from Go (see RangeHeader's remarks).
    public static TheoryData<string?, long, string> EdgeTable => new()
    {
        { "bytes=--6", 22, "M" },
        { "bytes=--0", 22, "M" },
        { "bytes=---0", 22, "M" },
        { "bytes=-6", 22, "16+6" },
        { "bytes=6-", 22, "6+16" },
        { "bytes=-6-", 22, "M" },
        { "bytes=-0", 22, "U" },        // Go: 206 with an empty body; RFC 9110 §14.1.1: not satisfiable
        { "bytes=-0,0-1", 22, "0+2" },  // the unsatisfiable suffix is dropped like any non-overlapping range
        { "bytes=", 22, "N" },

        { null, 10, "N" },
        { "   ", 10, "N" },
        { " bytes=0-1 ", 10, "0+2" },
        { "bytes=\t0-1\t", 10, "0+2" },
        { "bytes=0-", 0, "N" },          // Go issue 54794: empty content ignores ranges
        { "bytes=0-128", 0, "N" },
        { "bytes=-5", 0, "N" },          // Go would send "bytes 0--1/0"
        { "bytes=-0", 0, "N" },
        { "bytes=x", 0, "M" },           // malformed stays malformed even when empty
        { "bytes=0-0", 1, "0+1" },
        { "bytes=-1", 1, "0+1" },
        { "bytes=1-", 1, "U" },
        { "bytes=-100", 10, "0+10" },    // suffix longer than the file: all of it
        { "bytes=0-99999999999999999999999", 10, "0+10" },   // saturates, then clamps
        { "bytes=99999999999999999999999-", 10, "U" },
        { "bytes=-99999999999999999999999", 10, "0+10" },
        { "bytes=0-9223372036854775807", 9223372036854775807, "0+9223372036854775807" },
        { "bytes=+1-2", 10, "M" },       // Go's ParseInt would take the sign; 1*DIGIT does not
        { "bytes=1-+2", 10, "M" },
        { "bytes=1 2-3", 10, "M" },
        { "bytes=1-2-3", 10, "M" },
        { "bytes=,", 10, "N" },
        { "bytes=0-1,", 10, "0+2" },
        { "bytes=15-Z", 10, "M" },       // Go skips a past-the-end range before reading its end
        { "items=0-5", 10, "N" },        // unknown unit: ignored (RFC 9110 §14.2); Go answers 416
        { "none", 10, "M" },
        { "bytes =0-1", 10, "M" },
        { "=0-1", 10, "M" },
        { "b y=0-1", 10, "M" },
        { "bytes=0-5,3-9", 10, "N" },    // 6 + 7 bytes > 10: overlapping abuse, serve whole
        { "bytes=0-4,5-9", 10, "0+5;5+5" },
        { "bytes=0-4,0-4", 10, "0+5;0+5" }, // duplicates within the size budget are kept, as in Go
    };

    [Theory]
    [MemberData(nameof(GoParseRangeTable))]
    [MemberData(nameof(EdgeTable))]
    public void Parses(string? header, long length, string expected)
    {
        Assert.Equal(expected, Describe(RangeHeader.Parse(header, length)));
    }

    [Theory]
    [MemberData(nameof(GoServeFileRangeTable))]
    public void Decides_like_ServeContent(string header, int status, string ranges)
    {
        var result = RangeHeader.Parse(header, 11);
        var got = result.Kind switch
        {
            RangeResultKind.NoRange => 200,
            RangeResultKind.Satisfiable => 206,
            _ => 416,
        };
        Assert.Equal(status, got);
        Assert.False(result.IsMalformed);
        if (status == 206)
        {
            Assert.Equal(ranges, Describe(result));
        }
    }

    [Fact]
    public void Limits_the_number_of_ranges_when_asked()
    {
        Assert.Equal("0+1;2+1;4+1", Describe(RangeHeader.Parse("bytes=0-0,2-2,4-4", 10, maxRanges: 3)));
        Assert.Equal("N", Describe(RangeHeader.Parse("bytes=0-0,2-2,4-4", 10, maxRanges: 2)));
        // Dropped (non-overlapping) ranges do not count against the limit.
        Assert.Equal("0+1;2+1", Describe(RangeHeader.Parse("bytes=50-,0-0,60-,2-2", 10, maxRanges: 2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => RangeHeader.Parse("bytes=0-0", 10, maxRanges: 0));
    }

    [Fact]
    public void Many_single_byte_ranges_are_kept_while_they_fit_and_ignored_when_they_do_not()
    {
        var thousand = "bytes=" + string.Join(",", Enumerable.Range(0, 1000).Select(i => $"{i}-{i}"));
        var fits = RangeHeader.Parse(thousand, 1000);
        Assert.Equal(RangeResultKind.Satisfiable, fits.Kind);
        Assert.Equal(1000, fits.Ranges.Length);
        Assert.Equal(1000, fits.TotalLength);
        Assert.Equal(new ByteRange(999, 1), fits.Ranges[999]);

        var repeated = "bytes=" + string.Join(",", Enumerable.Repeat("0-0", 11));
        Assert.Equal(RangeResultKind.NoRange, RangeHeader.Parse(repeated, 10).Kind);
    }

    [Fact]
    public void Negative_length_is_a_caller_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RangeHeader.Parse("bytes=0-1", -1));
    }

    [Theory]
    [InlineData(0, 1, 11, "bytes 0-0/11")]
    [InlineData(0, 500, 1234, "bytes 0-499/1234")]
    [InlineData(500, 500, 1234, "bytes 500-999/1234")]
    [InlineData(734, 500, 1234, "bytes 734-1233/1234")] // RFC 9110 §14.4 examples
    public void Formats_content_range(long start, long length, long complete, string expected)
    {
        Assert.Equal(expected, new ByteRange(start, length).ToContentRange(complete));
        Assert.Equal(start + length - 1, new ByteRange(start, length).Last);
    }

    [Fact]
    public void Formats_unsatisfied_content_range()
    {
        Assert.Equal("bytes */1234", RangeHeader.FormatUnsatisfied(1234));
        Assert.Equal("bytes */0", RangeHeader.FormatUnsatisfied(0));
    }

    [Fact]
    public void Non_satisfiable_results_have_no_ranges()
    {
        Assert.True(RangeHeader.Parse("bytes=50-", 10).Ranges.IsEmpty);
        Assert.True(RangeHeader.Parse(null, 10).Ranges.IsEmpty);
        Assert.True(RangeHeader.Parse("bytes=x", 10).Ranges.IsEmpty);
        Assert.Equal(0, RangeHeader.Parse("bytes=x", 10).TotalLength);
    }

    internal static string Describe(RangeResult result) => result.Kind switch
    {
        RangeResultKind.NoRange => "N",
        RangeResultKind.Unsatisfiable => result.IsMalformed ? "M" : "U",
        _ => string.Join(";", result.Ranges.ToArray().Select(r => $"{r.Start}+{r.Length}")),
    };
}
