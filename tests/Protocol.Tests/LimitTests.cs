using System.Text;
using ActorHttp.Protocol.Tests.Support;

namespace ActorHttp.Protocol.Tests;

/// <summary>
/// Every limit at its boundary: exactly at the limit passes, one byte over is rejected with the
/// limit's reason, also when the over-long element has not ended yet (so a peer cannot make the
/// parser buffer without bound by never sending CRLF).
/// </summary>
public class LimitTests
{
    private static readonly string A16 = new('a', 16), A17 = new('a', 17), A48 = new('x', 48), A49 = new('x', 49);

    // TestLimits.Small: request line 32, header bytes 64, 3 fields, 8 extension bytes, 24 trailer bytes,
    // status line 24, response header bytes 64.
    public static readonly Dictionary<string, (string Raw, string Outcome)> RequestCases = new()
    {
        ["request line at limit"] = ($"GET /{A16} HTTP/1.1\r\nHost: a\r\n\r\n", "ok"),
        ["request line over limit"] = ($"GET /{A17} HTTP/1.1\r\nHost: a\r\n\r\n", "Rejected(RequestLineTooLong)"),
        ["unterminated request line over limit"] = ($"GET /{A48}", "Rejected(RequestLineTooLong)"),
        ["empty lines count against the request line"] = ($"\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n", "Rejected(RequestLineTooLong)"),
        ["header section at limit"] = ($"GET / HTTP/1.1\r\nHost: a\r\nX: {A48}\r\n\r\n", "ok"),
        ["header section over limit"] = ($"GET / HTTP/1.1\r\nHost: a\r\nX: {A49}\r\n\r\n", "Rejected(HeaderSectionTooLarge)"),
        ["unterminated header section over limit"] = ($"GET / HTTP/1.1\r\nHost: a\r\nX: {A48}{A48}", "Rejected(HeaderSectionTooLarge)"),
        ["field count at limit"] = ("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n", "ok"),
        ["field count over limit"] = ("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", "Rejected(TooManyHeaders)"),
        ["chunk extensions at limit"] = ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1;abc\r\nx\r\n0;d=e\r\n\r\n", "ok"),
        ["chunk extensions over limit across chunks"] = ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1;abc\r\nx\r\n0;d=ef\r\n\r\n", "Rejected(ChunkExtensionsTooLong)"),
        ["trailers at limit"] = ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: 0123456789012345678\r\n\r\n", "ok"),
        ["trailers over limit"] = ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: 01234567890123456789\r\n\r\n", "Rejected(TrailerSectionTooLarge)"),
        ["too many trailer fields"] = ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", "Rejected(TrailerSectionTooLarge)"),
    };

    public static readonly Dictionary<string, (string Raw, string Outcome)> ResponseCases = new()
    {
        ["status line at limit"] = ("HTTP/1.1 200 OKOKOKOKO\r\n\r\n", "ok"),
        ["status line over limit"] = ("HTTP/1.1 200 OKOKOKOKOK\r\n\r\n", "Rejected(StatusLineTooLong)"),
        ["response headers at limit"] = ($"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX: {A48[..38]}\r\n\r\n", "ok"),
        ["response headers over limit"] = ($"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX: {A48[..39]}\r\n\r\n", "Rejected(ResponseHeaderSectionTooLarge)"),
        // No count limit on responses by default (Go, SocketsHttpHandler): more fields than a request may have is fine.
        ["response fields beyond the request count limit"] = ("HTTP/1.1 200 OK\r\nA:1\r\nB:2\r\nC:3\r\nD:4\r\nContent-Length: 0\r\n\r\n", "ok"),
    };

    public static TheoryData<string> RequestNames => new(RequestCases.Keys);
    public static TheoryData<string> ResponseNames => new(ResponseCases.Keys);

    [Theory]
    [MemberData(nameof(RequestNames))]
    public void Request_limits_hold_at_the_boundary_under_every_segmentation(string name)
    {
        var (raw, outcome) = RequestCases[name];
        foreach (var (segmentation, pieces) in Segments.All(Encoding.ASCII.GetBytes(raw)))
        {
            var actual = MessageDriver.RunRequest(pieces, TestLimits.Small);
            Assert.True(outcome == "ok" ? !actual.StartsWith("Rejected") && actual != "Incomplete" : actual == outcome,
                $"{segmentation}: {actual}");
        }
    }

    [Theory]
    [MemberData(nameof(ResponseNames))]
    public void Response_limits_hold_at_the_boundary_under_every_segmentation(string name)
    {
        var (raw, outcome) = ResponseCases[name];
        foreach (var (segmentation, pieces) in Segments.All(Encoding.ASCII.GetBytes(raw)))
        {
            var actual = MessageDriver.RunResponse(pieces, TestLimits.Small, RequestMethod.Get);
            Assert.True(outcome == "ok" ? !actual.StartsWith("Rejected") && actual != "Incomplete" : actual == outcome,
                $"{segmentation}: {actual}");
        }
    }

    [Fact]
    public void Zero_extension_and_trailer_limits_refuse_any_extension_or_trailer_field()
    {
        var none = TestLimits.Small with { MaxChunkExtensionBytes = 0, MaxTrailerBytes = 0 };
        const string head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
        Assert.StartsWith("POST", MessageDriver.RunRequest([Encoding.ASCII.GetBytes(head + "1\r\nx\r\n0\r\n\r\n")], none));
        Assert.Equal("Rejected(ChunkExtensionsTooLong)", MessageDriver.RunRequest([Encoding.ASCII.GetBytes(head + "1;\r\nx\r\n0\r\n\r\n")], none));
        Assert.Equal("Rejected(TrailerSectionTooLarge)", MessageDriver.RunRequest([Encoding.ASCII.GetBytes(head + "0\r\nA: 1\r\n\r\n")], none));
    }

    [Fact]
    public void A_response_count_limit_when_set_applies_to_response_heads_and_trailers()
    {
        var limits = TestLimits.Small with { MaxResponseHeaderCount = 3, MaxHeaderBytes = 1024, MaxResponseHeaderBytes = 1024, MaxTrailerBytes = 256 };
        var head = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nA:1\r\nB:2\r\nC:3\r\nD:4\r\n\r\n");
        Assert.Equal("Rejected(TooManyHeaders)", MessageDriver.RunResponse([head], limits, RequestMethod.Get));
        var trailers = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nA:1\r\nB:2\r\nC:3\r\nD:4\r\n\r\n");
        Assert.StartsWith("Rejected", MessageDriver.RunResponse([trailers], limits, RequestMethod.Get));
        Assert.DoesNotContain("Rejected", MessageDriver.RunResponse([trailers], limits with { MaxResponseHeaderCount = 4 }, RequestMethod.Get));
    }

    [Fact]
    public void Limits_below_the_shortest_legal_element_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RequestHeadParser(TestLimits.Default with { MaxRequestLineLength = 10 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ResponseHeadParser(TestLimits.Default with { MaxHeaderCount = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ResponseHeadParser(TestLimits.Default with { MaxResponseHeaderCount = -1 }));
    }
}
