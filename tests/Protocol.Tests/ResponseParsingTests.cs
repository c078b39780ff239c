using System.Text;
using ActorHttp.Protocol.Tests.Support;

namespace ActorHttp.Protocol.Tests;

/// <summary>
/// Raw response bytes (client role) → expected message or rejection, under every segmentation,
/// with the request method that shapes the framing.
/// </summary>
public class ResponseParsingTests
{
    public static readonly Dictionary<string, (string Raw, RequestMethod Method, string Expected)> Valid = new()
    {
        ["content-length"] = (
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello",
            RequestMethod.Get,
            "Http11 200 'OK'\n  Content-Type: text/plain\n  Content-Length: 5\n  framing=ContentLength:5 keep-alive=True\n  body=hello\n  left=0"),
        ["100 continue then more"] = (
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n",
            RequestMethod.Put,
            "Http11 100 'Continue'\n  framing=None:0 keep-alive=True\n  body=\n  left=17"),
        ["101 switching protocols"] = (
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\u0081\u0000",
            RequestMethod.Get,
            "Http11 101 'Switching Protocols'\n  Upgrade: websocket\n  Connection: Upgrade\n  framing=None:0 keep-alive=True\n  body=\n  left=2"),
        ["204 ignores content-length"] = (
            "HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n",
            RequestMethod.Delete,
            "Http11 204 'No Content'\n  Content-Length: 10\n  framing=None:0 keep-alive=True\n  body=\n  left=0"),
        ["304 ignores chunked"] = (
            "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\nETag: \"x\"\r\n\r\n",
            RequestMethod.Get,
            "Http11 304 'Not Modified'\n  Transfer-Encoding: chunked\n  ETag: \"x\"\n  framing=None:0 keep-alive=True\n  body=\n  left=0"),
        ["HEAD response has no body"] = (
            "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n",
            RequestMethod.Head,
            "Http11 200 'OK'\n  Content-Length: 1234\n  framing=None:0 keep-alive=True\n  body=\n  left=0"),
        ["2xx to CONNECT is a tunnel"] = (
            "HTTP/1.1 200 Connection Established\r\n\r\n\u0016\u0003\u0001",
            RequestMethod.Connect,
            "Http11 200 'Connection Established'\n  framing=None:0 keep-alive=True\n  body=\n  left=3"),
        ["read to close"] = (
            "HTTP/1.1 200 OK\r\nServer: old\r\n\r\nuntil the end",
            RequestMethod.Get,
            "Http11 200 'OK'\n  Server: old\n  framing=ReadToClose:0 keep-alive=False\n  body=until the end\n  left=0"),
        ["non-chunked TE reads to close"] = (
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nzzz",
            RequestMethod.Get,
            "Http11 200 'OK'\n  Transfer-Encoding: gzip\n  framing=ReadToClose:0 keep-alive=False\n  body=zzz\n  left=0"),
        ["TE wins over CL and closes"] = (
            "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
            RequestMethod.Get,
            "Http11 200 'OK'\n  Content-Length: 100\n  Transfer-Encoding: chunked\n  framing=Chunked:0 keep-alive=False\n  body=abc\n  left=0"),
        ["chunked with trailers"] = (
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\nTrailer: Digest\r\n\r\n2\r\nab\r\n0\r\nDigest: sha-256=x\r\nX-Fold: a\r\n b\r\n\r\n",
            RequestMethod.Post,
            "Http11 200 'OK'\n  Transfer-Encoding: gzip, chunked\n  Trailer: Digest\n  framing=Chunked:0 keep-alive=True\n  body=ab\n  trailer Digest: sha-256=x\n  trailer X-Fold: a   b\n  left=0"),
        ["obs-fold replaced by spaces"] = (
            "HTTP/1.1 200 OK\r\nX-Long: first\r\n\tsecond\r\n third\r\nContent-Length: 0\r\n\r\n",
            RequestMethod.Get,
            "Http11 200 'OK'\n  X-Long: first  \tsecond   third\n  Content-Length: 0\n  framing=ContentLength:0 keep-alive=True\n  body=\n  left=0"),
        ["http/1.0 keep-alive"] = (
            "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nhi",
            RequestMethod.Get,
            "Http10 200 'OK'\n  Connection: keep-alive\n  Content-Length: 2\n  framing=ContentLength:2 keep-alive=True\n  body=hi\n  left=0"),
        ["http/1.0 with TE is faulty framing"] = (
            "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\nraw",
            RequestMethod.Get,
            "Http10 200 'OK'\n  Transfer-Encoding: chunked\n  Content-Length: 3\n  framing=ReadToClose:0 keep-alive=False\n  body=raw\n  left=0"),
        ["empty reason, missing SP"] = (
            "HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n",
            RequestMethod.Get,
            "Http11 404 ''\n  Content-Length: 0\n  framing=ContentLength:0 keep-alive=True\n  body=\n  left=0"),
        ["http/1.2 treated as 1.1, connection close"] = (
            "HTTP/1.2 500 Oops\r\nConnection: close\r\nContent-Length: 1\r\n\r\n!",
            RequestMethod.Get,
            "Http11 500 'Oops'\n  Connection: close\n  Content-Length: 1\n  framing=ContentLength:1 keep-alive=False\n  body=!\n  left=0"),
    };

    public static readonly Dictionary<string, (string Raw, ProtocolError Error)> Invalid = new()
    {
        ["http/2 status line"] = ("HTTP/2 200 OK\r\n\r\n", ProtocolError.InvalidStatusLine),
        ["two-digit status"] = ("HTTP/1.1 20 OK\r\n\r\n", ProtocolError.InvalidStatusLine),
        ["status 099"] = ("HTTP/1.1 099 x\r\n\r\n", ProtocolError.InvalidStatusLine),
        ["letters in status"] = ("HTTP/1.1 2x0 OK\r\n\r\n", ProtocolError.InvalidStatusLine),
        ["no space after status"] = ("HTTP/1.1 200OK\r\n\r\n", ProtocolError.InvalidStatusLine),
        ["conflicting CL"] = ("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", ProtocolError.ConflictingContentLength),
        ["invalid CL"] = ("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", ProtocolError.InvalidContentLength),
        ["whitespace before colon"] = ("HTTP/1.1 200 OK\r\nContent-Length : 1\r\n\r\na", ProtocolError.WhitespaceBeforeColon),
        ["NUL in field"] = ("HTTP/1.1 200 OK\r\nX: \0\r\n\r\n", ProtocolError.NulInFieldValue),
        ["truncated chunked"] = ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", ProtocolError.TruncatedBody),
        ["truncated content-length"] = ("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab", ProtocolError.TruncatedBody),
    };

    public static TheoryData<string> ValidNames => new(Valid.Keys);
    public static TheoryData<string> InvalidNames => new(Invalid.Keys);

    [Theory]
    [MemberData(nameof(ValidNames))]
    public void Valid_response_parses_to_the_expected_message_under_every_segmentation(string name)
    {
        var (raw, method, expected) = Valid[name];
        foreach (var (segmentation, pieces) in Segments.All(Encoding.Latin1.GetBytes(raw)))
        {
            var actual = MessageDriver.RunResponse(pieces, TestLimits.Default, method);
            Assert.True(expected == actual, $"{segmentation}:\nexpected:\n{expected}\nactual:\n{actual}");
        }
    }

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public void Invalid_response_is_rejected_with_its_reason_under_every_segmentation(string name)
    {
        var (raw, error) = Invalid[name];
        foreach (var (segmentation, pieces) in Segments.All(Encoding.Latin1.GetBytes(raw)))
        {
            var actual = MessageDriver.RunResponse(pieces, TestLimits.Default, RequestMethod.Get);
            Assert.True($"Rejected({error})" == actual, $"{segmentation}: {actual}");
        }
    }

    [Theory]
    [MemberData(nameof(ValidNames))]
    public void Every_strict_prefix_of_a_valid_response_head_needs_more_data(string name)
    {
        var (raw, method, _) = Valid[name];
        var bytes = Encoding.Latin1.GetBytes(raw);
        var whole = new ResponseHeadParser(TestLimits.Default).Parse(Segments.Of(Segments.Whole(bytes)), method);
        Assert.Equal(ParseStatus.Complete, whole.Status);
        var incremental = new ResponseHeadParser(TestLimits.Default);
        for (int length = 0; length < whole.BytesConsumed; length++)
        {
            var prefix = Segments.Of(Segments.Whole(bytes[..length]));
            Assert.Equal(ParseStatus.NeedMoreData, new ResponseHeadParser(TestLimits.Default).Parse(prefix, method).Status);
            Assert.Equal(ParseStatus.NeedMoreData, incremental.Parse(prefix, method).Status);
        }
    }

    [Fact]
    public void Read_to_close_body_ends_only_when_the_peer_closes()
    {
        var decoder = new BodyDecoder(MessageFraming.ReadToClose, TestLimits.Default, isResponse: true);
        Assert.Equal(BodyDecodeStatus.NeedMoreData, decoder.Decode(Segments.Of([]), isFinalBlock: false).Status);
        Assert.False(decoder.IsComplete);
        Assert.Equal(BodyDecodeStatus.End, decoder.Decode(Segments.Of([]), isFinalBlock: true).Status);
        Assert.True(decoder.IsComplete);
    }

    [Fact]
    public void A_thousand_short_fields_within_the_byte_limit_are_accepted_as_go_and_sockets_http_handler_accept_them()
    {
        var head = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n");
        for (var i = 0; i < 1000; i++) head.Append($"X-{i}: v\r\n");
        head.Append("\r\n");
        Assert.True(head.Length < 64 * 1024);

        var parsed = MessageDriver.RunResponse([Encoding.ASCII.GetBytes(head.ToString())], TestLimits.Default, RequestMethod.Get);

        Assert.DoesNotContain("Rejected", parsed);
        Assert.Contains("X-999: v", parsed);
    }
}
