using System.Text;
using ActorHttp.Protocol.Tests.Support;

namespace ActorHttp.Protocol.Tests;

/// <summary>
/// Raw request bytes → expected message or rejection, each case run whole, split at every byte
/// offset and one byte per segment, plus every strict prefix of each valid head.
/// </summary>
public class RequestParsingTests
{
    private const string Crlf = "\r\n";

    /// <summary>Valid requests: raw bytes → the message the server sees.</summary>
    public static readonly Dictionary<string, (string Raw, string Expected)> Valid = new()
    {
        ["rfc9112 origin-form GET"] = (
            "GET /where?q=now HTTP/1.1\r\nHost: www.example.org\r\n\r\n",
            "GET /where?q=now Http11 form=Origin path=/where query=q=now host=www.example.org\n  Host: www.example.org\n  framing=None:0 keep-alive=True continue=False\n  body=\n  left=0"),
        ["rfc9112 absolute-form replaces Host"] = (
            "GET http://www.example.org/pub/WWW/TheProject.html HTTP/1.1\r\nHost: other.example\r\n\r\n",
            "GET http://www.example.org/pub/WWW/TheProject.html Http11 form=Absolute path=/pub/WWW/TheProject.html query=<none> host=www.example.org\n  Host: other.example\n  framing=None:0 keep-alive=True continue=False\n  body=\n  left=0"),
        ["absolute-form without path"] = (
            "GET http://example.com?x HTTP/1.1\r\nHost: example.com\r\n\r\n",
            "GET http://example.com?x Http11 form=Absolute path=/ query=x host=example.com\n  Host: example.com\n  framing=None:0 keep-alive=True continue=False\n  body=\n  left=0"),
        ["rfc9112 authority-form CONNECT"] = (
            "CONNECT www.example.com:80 HTTP/1.1\r\nHost: www.example.com:80\r\n\r\n",
            "CONNECT www.example.com:80 Http11 form=Authority path= query=<none> host=www.example.com:80\n  Host: www.example.com:80\n  framing=None:0 keep-alive=True continue=False\n  body=\n  left=0"),
        ["rfc9112 asterisk-form OPTIONS"] = (
            "OPTIONS * HTTP/1.1\r\nHost: www.example.org:8001\r\n\r\n",
            "OPTIONS * Http11 form=Asterisk path=* query=<none> host=www.example.org:8001\n  Host: www.example.org:8001\n  framing=None:0 keep-alive=True continue=False\n  body=\n  left=0"),
        ["browser-like GET"] = (
            "GET /index.html?lang=en&x=1 HTTP/1.1\r\nHost: localhost:8080\r\nConnection: keep-alive\r\nCache-Control: max-age=0\r\n" +
            "sec-ch-ua: \"Chromium\";v=\"120\"\r\nUpgrade-Insecure-Requests: 1\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64)\r\n" +
            "Accept: text/html,application/xhtml+xml;q=0.9,*/*;q=0.8\r\nSec-Fetch-Site: none\r\nAccept-Encoding: gzip, deflate, br\r\n" +
            "Accept-Language: en-US,en;q=0.9\r\nCookie: a=1; b=2\r\nCookie: c=3\r\n\r\n",
            "GET /index.html?lang=en&x=1 Http11 form=Origin path=/index.html query=lang=en&x=1 host=localhost:8080\n  Host: localhost:8080\n  Connection: keep-alive\n  Cache-Control: max-age=0\n  sec-ch-ua: \"Chromium\";v=\"120\"\n  Upgrade-Insecure-Requests: 1\n  User-Agent: Mozilla/5.0 (X11; Linux x86_64)\n  Accept: text/html,application/xhtml+xml;q=0.9,*/*;q=0.8\n  Sec-Fetch-Site: none\n  Accept-Encoding: gzip, deflate, br\n  Accept-Language: en-US,en;q=0.9\n  Cookie: a=1; b=2\n  Cookie: c=3\n  framing=None:0 keep-alive=True continue=False\n  body=\n  left=0"),
        ["OWS trimmed, empty value, obs-text kept"] = (
            "GET / HTTP/1.1\r\nHost:example.com \t\r\nX-Empty:\r\nX-Space:   \r\nX-Latin: caf\u00e9 au lait\r\n\r\n",
            "GET / Http11 form=Origin path=/ query=<none> host=example.com\n  Host: example.com\n  X-Empty: \n  X-Space: \n  X-Latin: caf\u00e9 au lait\n  framing=None:0 keep-alive=True continue=False\n  body=\n  left=0"),
        ["leading empty line ignored"] = (
            "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET / Http11 form=Origin path=/ query=<none> host=a\n  Host: a\n  framing=None:0 keep-alive=True continue=False\n  body=\n  left=0"),
        ["content-length body and pipelined rest"] = (
            "POST /submit HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello worldGET / HTTP/1.1\r\n",
            "POST /submit Http11 form=Origin path=/submit query=<none> host=a\n  Host: a\n  Content-Length: 11\n  framing=ContentLength:11 keep-alive=True continue=False\n  body=hello world\n  left=16"),
        ["repeated identical content-length"] = (
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\nContent-Length: 5\r\n\r\nabcde",
            "POST / Http11 form=Origin path=/ query=<none> host=a\n  Host: a\n  Content-Length: 5, 5\n  Content-Length: 5\n  framing=ContentLength:5 keep-alive=True continue=False\n  body=abcde\n  left=0"),
        ["chunked with extensions and trailers"] = (
            "POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTrailer: Expires\r\n\r\n" +
            "4;name=value\r\nWiki\r\n5 ; a = \"q\\\"x\" ;b\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nExpires: never\r\nX-Sum:  abc \r\n\r\n",
            "POST /up Http11 form=Origin path=/up query=<none> host=a\n  Host: a\n  Transfer-Encoding: chunked\n  Trailer: Expires\n  framing=Chunked:0 keep-alive=True continue=False\n  body=Wikipedia in\r\n\r\nchunks.\n  trailer Expires: never\n  trailer X-Sum: abc\n  left=0"),
        ["chunked without trailers, upper-case hex, leading zeros"] = (
            "PUT /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n00A\r\n0123456789\r\n000\r\n\r\n",
            "PUT /x Http11 form=Origin path=/x query=<none> host=a\n  Host: a\n  Transfer-Encoding: Chunked\n  framing=Chunked:0 keep-alive=True continue=False\n  body=0123456789\n  left=0"),
        // RFC 9110 §2.5: a higher minor version is processed as the highest one implemented (Go does the same).
        ["http/1.2 is processed as http/1.1"] = (
            "GET / HTTP/1.2\r\nHost: a\r\n\r\n",
            "GET / Http11 form=Origin path=/ query=<none> host=a\n  Host: a\n  framing=None:0 keep-alive=True continue=False\n  body=\n  left=0"),
        ["http/1.9 is processed as http/1.1, Connection: close honoured"] = (
            "GET / HTTP/1.9\r\nHost: b\r\nConnection: close\r\n\r\n",
            "GET / Http11 form=Origin path=/ query=<none> host=b\n  Host: b\n  Connection: close\n  framing=None:0 keep-alive=False continue=False\n  body=\n  left=0"),
        ["http/1.0 closes by default"] = (
            "GET / HTTP/1.0\r\n\r\n",
            "GET / Http10 form=Origin path=/ query=<none> host=\n  framing=None:0 keep-alive=False continue=False\n  body=\n  left=0"),
        ["http/1.0 keep-alive"] = (
            "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n",
            "GET / Http10 form=Origin path=/ query=<none> host=\n  Connection: Keep-Alive\n  framing=None:0 keep-alive=True continue=False\n  body=\n  left=0"),
        ["connection close in a token list"] = (
            "GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade, CLOSE\r\n\r\n",
            "GET / Http11 form=Origin path=/ query=<none> host=a\n  Host: a\n  Connection: upgrade, CLOSE\n  framing=None:0 keep-alive=False continue=False\n  body=\n  left=0"),
        ["expect 100-continue"] = (
            "PUT /f HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n\r\nok",
            "PUT /f Http11 form=Origin path=/f query=<none> host=a\n  Host: a\n  Expect: 100-Continue\n  Content-Length: 2\n  framing=ContentLength:2 keep-alive=True continue=True\n  body=ok\n  left=0"),
        ["expect 100-continue ignored on http/1.0"] = (
            "PUT /f HTTP/1.0\r\nExpect: 100-continue\r\n\r\n",
            "PUT /f Http10 form=Origin path=/f query=<none> host=\n  Expect: 100-continue\n  framing=None:0 keep-alive=False continue=False\n  body=\n  left=0"),
        ["IPv6 literals in Host and CONNECT"] = (
            "CONNECT [2001:db8::1]:443 HTTP/1.1\r\nHost: [2001:db8::1]:443\r\n\r\n",
            "CONNECT [2001:db8::1]:443 Http11 form=Authority path= query=<none> host=[2001:db8::1]:443\n  Host: [2001:db8::1]:443\n  framing=None:0 keep-alive=True continue=False\n  body=\n  left=0"),
        ["empty Host"] = (
            "GET / HTTP/1.1\r\nHost:\r\n\r\n",
            "GET / Http11 form=Origin path=/ query=<none> host=\n  Host: \n  framing=None:0 keep-alive=True continue=False\n  body=\n  left=0"),
        ["extension method"] = (
            "PROPFIND /dav HTTP/1.1\r\nHost: a\r\n\r\n",
            "PROPFIND /dav Http11 form=Origin path=/dav query=<none> host=a\n  Host: a\n  framing=None:0 keep-alive=True continue=False\n  body=\n  left=0"),
    };

    /// <summary>Invalid requests: raw bytes → the rejection reason.</summary>
    public static readonly Dictionary<string, (string Raw, ProtocolError Error)> Invalid = new()
    {
        // Request smuggling vectors.
        ["CL + TE"] = ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", ProtocolError.ContentLengthWithTransferEncoding),
        ["TE + CL"] = ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n0\r\n\r\n", ProtocolError.ContentLengthWithTransferEncoding),
        ["differing duplicate CL"] = ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nabcdef", ProtocolError.ConflictingContentLength),
        ["differing CL list"] = ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 6\r\n\r\nabcdef", ProtocolError.ConflictingContentLength),
        ["CL with sign"] = ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\nabcde", ProtocolError.InvalidContentLength),
        ["CL empty list element"] = ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5,\r\n\r\nabcde", ProtocolError.InvalidContentLength),
        ["CL empty"] = ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n", ProtocolError.InvalidContentLength),
        ["CL overflow"] = ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9223372036854775808\r\n\r\n", ProtocolError.ContentLengthOverflow),
        ["TE not chunked"] = ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", ProtocolError.UnsupportedTransferEncoding),
        ["TE gzip then chunked"] = ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", ProtocolError.UnsupportedTransferEncoding),
        ["TE chunked not final"] = ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", ProtocolError.InvalidTransferEncoding),
        ["TE chunked twice"] = ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", ProtocolError.InvalidTransferEncoding),
        ["TE chunked with parameter"] = ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked;x=1\r\n\r\n", ProtocolError.UnsupportedTransferEncoding),
        ["TE empty"] = ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ,\r\n\r\n", ProtocolError.InvalidTransferEncoding),
        ["TE with vertical tab"] = ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \vchunked\r\n\r\n0\r\n\r\n", ProtocolError.ControlCharacterInFieldValue),
        ["http/1.0 + TE"] = ("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", ProtocolError.TransferEncodingInHttp10),
        ["bad chunk size"] = ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", ProtocolError.InvalidChunkSize),
        ["chunk size 0x prefix"] = ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n", ProtocolError.InvalidChunkSize),
        ["chunk size with trailing space"] = ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n", ProtocolError.InvalidChunkSize),
        ["chunk size bare LF"] = ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n", ProtocolError.InvalidChunkSize),
        ["empty chunk size"] = ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n\r\n", ProtocolError.InvalidChunkSize),
        ["chunk size overflow"] = ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\n", ProtocolError.ChunkSizeOverflow),
        ["chunk data too long"] = ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n", ProtocolError.InvalidChunkTerminator),
        ["chunk extension bad"] = ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;=x\r\nabc\r\n0\r\n\r\n", ProtocolError.InvalidChunkExtension),
        ["chunk extension with CTL"] = ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;a=\"\u0001\"\r\nabc\r\n0\r\n\r\n", ProtocolError.InvalidChunkExtension),
        ["trailer obs-fold"] = ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: a\r\n b\r\n\r\n", ProtocolError.ObsoleteLineFolding),
        ["truncated content-length body"] = ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc", ProtocolError.TruncatedBody),
        ["truncated chunked body"] = ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", ProtocolError.TruncatedBody),
        // Field syntax.
        ["whitespace before colon"] = ("GET / HTTP/1.1\r\nHost : a\r\n\r\n", ProtocolError.WhitespaceBeforeColon),
        ["tab before colon"] = ("GET / HTTP/1.1\r\nHost: a\r\nContent-Length\t: 0\r\n\r\n", ProtocolError.WhitespaceBeforeColon),
        ["bare CR in value"] = ("GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", ProtocolError.BareCarriageReturn),
        ["bare LF in value"] = ("GET / HTTP/1.1\r\nHost: a\r\nX: a\nY: b\r\n\r\n", ProtocolError.BareLineFeed),
        ["bare LF request line"] = ("GET / HTTP/1.1\nHost: a\r\n\r\n", ProtocolError.BareLineFeed),
        ["obs-fold"] = ("GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n  b\r\n\r\n", ProtocolError.ObsoleteLineFolding),
        ["whitespace after start line"] = ("GET / HTTP/1.1\r\n Host: a\r\n\r\n", ProtocolError.WhitespaceAfterStartLine),
        ["NUL in value"] = ("GET / HTTP/1.1\r\nHost: a\r\nX: a\0b\r\n\r\n", ProtocolError.NulInFieldValue),
        ["CTL in value"] = ("GET / HTTP/1.1\r\nHost: a\r\nX: a\u001bb\r\n\r\n", ProtocolError.ControlCharacterInFieldValue),
        ["DEL in value"] = ("GET / HTTP/1.1\r\nHost: a\r\nX: a\u007f\r\n\r\n", ProtocolError.ControlCharacterInFieldValue),
        ["no colon"] = ("GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", ProtocolError.InvalidHeaderName),
        ["bad name"] = ("GET / HTTP/1.1\r\nHost: a\r\nX(y): 1\r\n\r\n", ProtocolError.InvalidHeaderName),
        ["empty name"] = ("GET / HTTP/1.1\r\nHost: a\r\n: 1\r\n\r\n", ProtocolError.InvalidHeaderName),
        // Host.
        ["missing Host"] = ("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", ProtocolError.MissingHost),
        ["duplicate Host"] = ("GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", ProtocolError.DuplicateHost),
        ["duplicate Host http/1.0"] = ("GET / HTTP/1.0\r\nHost: a\r\nhost: b\r\n\r\n", ProtocolError.DuplicateHost),
        ["invalid Host"] = ("GET / HTTP/1.1\r\nHost: a b\r\n\r\n", ProtocolError.InvalidHost),
        ["Host with userinfo"] = ("GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", ProtocolError.InvalidHost),
        ["Host with bad port"] = ("GET / HTTP/1.1\r\nHost: a:b\r\n\r\n", ProtocolError.InvalidHost),
        ["Host with two colons"] = ("GET / HTTP/1.1\r\nHost: a:1:2\r\n\r\n", ProtocolError.InvalidHost),
        ["Host with unclosed IP literal"] = ("GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", ProtocolError.InvalidHost),
        ["absolute-form with userinfo"] = ("GET http://u@a/ HTTP/1.1\r\nHost: a\r\n\r\n", ProtocolError.InvalidRequestTarget),
        ["absolute-form with port only"] = ("GET http://:80/ HTTP/1.1\r\nHost: a\r\n\r\n", ProtocolError.InvalidRequestTarget),
        ["CONNECT with empty port"] = ("CONNECT a: HTTP/1.1\r\nHost: a\r\n\r\n", ProtocolError.InvalidRequestTarget),
        // Request line.
        ["http/2.0 is 505"] = ("GET / HTTP/2.0\r\nHost: a\r\n\r\n", ProtocolError.UnsupportedVersion),
        ["http/0.9 is 505"] = ("GET / HTTP/0.9\r\nHost: a\r\n\r\n", ProtocolError.UnsupportedVersion),
        ["http/1.9 is held to http/1.1's rules: Host required"] = ("GET / HTTP/1.9\r\n\r\n", ProtocolError.MissingHost),
        ["http/3.0 is 505"] = ("GET / HTTP/3.0\r\nHost: a\r\n\r\n", ProtocolError.UnsupportedVersion),
        ["lower-case version"] = ("GET / http/1.1\r\nHost: a\r\n\r\n", ProtocolError.InvalidVersion),
        ["garbage version"] = ("GET / HTTP/1.1x\r\nHost: a\r\n\r\n", ProtocolError.InvalidVersion),
        ["missing version"] = ("GET /\r\nHost: a\r\n\r\n", ProtocolError.InvalidRequestLine),
        ["double space"] = ("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", ProtocolError.InvalidRequestLine),
        ["tab separator"] = ("GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", ProtocolError.InvalidRequestLine),
        ["bad method"] = ("G(T / HTTP/1.1\r\nHost: a\r\n\r\n", ProtocolError.InvalidMethod),
        ["empty method"] = (" / HTTP/1.1\r\nHost: a\r\n\r\n", ProtocolError.InvalidMethod),
        ["binary garbage"] = ("\u0016\u0003\u0001\u0002\u0000\u0001\r\n\r\n", ProtocolError.InvalidMethod),
        ["non-ascii target"] = ("GET /caf\u00e9 HTTP/1.1\r\nHost: a\r\n\r\n", ProtocolError.InvalidRequestTarget),
        ["fragment in target"] = ("GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n", ProtocolError.InvalidRequestTarget),
        ["asterisk with GET"] = ("GET * HTTP/1.1\r\nHost: a\r\n\r\n", ProtocolError.RequestTargetFormMismatch),
        ["CONNECT origin-form"] = ("CONNECT / HTTP/1.1\r\nHost: a\r\n\r\n", ProtocolError.RequestTargetFormMismatch),
        ["CONNECT without port"] = ("CONNECT example.com HTTP/1.1\r\nHost: a\r\n\r\n", ProtocolError.InvalidRequestTarget),
        ["absolute-form without authority"] = ("GET http:/x HTTP/1.1\r\nHost: a\r\n\r\n", ProtocolError.InvalidRequestTarget),
        ["relative target"] = ("GET index.html HTTP/1.1\r\nHost: a\r\n\r\n", ProtocolError.InvalidRequestTarget),
        // Expect.
        ["unknown expectation"] = ("PUT / HTTP/1.1\r\nHost: a\r\nExpect: 200-ok\r\n\r\n", ProtocolError.ExpectationFailed),
    };

    public static TheoryData<string> ValidNames => new(Valid.Keys);
    public static TheoryData<string> InvalidNames => new(Invalid.Keys);

    [Theory]
    [MemberData(nameof(ValidNames))]
    public void Valid_request_parses_to_the_expected_message_under_every_segmentation(string name)
    {
        var (raw, expected) = Valid[name];
        var bytes = Encoding.Latin1.GetBytes(raw);
        foreach (var (segmentation, pieces) in Segments.All(bytes))
        {
            var actual = MessageDriver.RunRequest(pieces, TestLimits.Default);
            Assert.True(expected == actual, $"{segmentation}:\nexpected:\n{expected}\nactual:\n{actual}");
        }
    }

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public void Invalid_request_is_rejected_with_its_reason_under_every_segmentation(string name)
    {
        var (raw, error) = Invalid[name];
        var bytes = Encoding.Latin1.GetBytes(raw);
        foreach (var (segmentation, pieces) in Segments.All(bytes))
            Assert.True($"Rejected({error})" == MessageDriver.RunRequest(pieces, TestLimits.Default),
                $"{segmentation}: {MessageDriver.RunRequest(pieces, TestLimits.Default)}");
    }

    [Theory]
    [MemberData(nameof(ValidNames))]
    public void Every_strict_prefix_of_a_valid_head_needs_more_data_and_consumes_nothing(string name)
    {
        var bytes = Encoding.Latin1.GetBytes(Valid[name].Raw);
        var whole = new RequestHeadParser(TestLimits.Default).Parse(Segments.Of(Segments.Whole(bytes)));
        Assert.Equal(ParseStatus.Complete, whole.Status);
        int headLength = (int)whole.BytesConsumed;

        var incremental = new RequestHeadParser(TestLimits.Default);
        for (int length = 0; length < headLength; length++)
        {
            var prefix = Segments.Of(Segments.Whole(bytes[..length]));
            var fresh = new RequestHeadParser(TestLimits.Default).Parse(prefix);
            Assert.Equal(ParseStatus.NeedMoreData, fresh.Status);
            Assert.Equal(0, fresh.BytesConsumed);
            var resumed = incremental.Parse(prefix);
            Assert.Equal(ParseStatus.NeedMoreData, resumed.Status);
            Assert.Equal(0, resumed.BytesConsumed);
        }
        var last = incremental.Parse(Segments.Of(Segments.Whole(bytes[..headLength])));
        Assert.Equal(ParseStatus.Complete, last.Status);
        Assert.Equal(headLength, last.BytesConsumed);
    }

    [Fact]
    public void Pipelined_requests_are_parsed_in_order_under_every_segmentation()
    {
        var raw = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n" +
                  "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc" +
                  "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nde\r\n0\r\nT: 1\r\n\r\n" +
                  "\r\nGET /d HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        string[] expected =
        [
            "GET /a body= keep-alive=True", "POST /b body=abc keep-alive=True",
            "POST /c body=de keep-alive=True", "GET /d body= keep-alive=False",
        ];
        foreach (var (segmentation, pieces) in Segments.All(Encoding.ASCII.GetBytes(raw)))
            Assert.True(expected.SequenceEqual(MessageDriver.RunPipeline(pieces, TestLimits.Default)),
                $"{segmentation}: {string.Join(" | ", MessageDriver.RunPipeline(pieces, TestLimits.Default))}");
    }

    [Fact]
    public void Rejection_reasons_map_to_the_status_codes_of_the_rfc()
    {
        Assert.Equal(400, ProtocolError.ContentLengthWithTransferEncoding.ToStatusCode());
        Assert.Equal(501, ProtocolError.UnsupportedTransferEncoding.ToStatusCode());
        Assert.Equal(505, ProtocolError.UnsupportedVersion.ToStatusCode());
        Assert.Equal(414, ProtocolError.RequestLineTooLong.ToStatusCode());
        Assert.Equal(431, ProtocolError.HeaderSectionTooLarge.ToStatusCode());
        Assert.Equal(431, ProtocolError.TooManyHeaders.ToStatusCode());
        Assert.Equal(417, ProtocolError.ExpectationFailed.ToStatusCode());
        Assert.Equal(413, ProtocolError.RequestBodyTooLarge.ToStatusCode());
        Assert.Equal(408, ProtocolError.RequestHeadersTimeout.ToStatusCode());
        Assert.Equal(408, ProtocolError.RequestBodyTimeout.ToStatusCode());
        foreach (var error in Enum.GetValues<ProtocolError>().Where(e => e != ProtocolError.None))
            Assert.Contains(error.ToStatusCode(), new[] { 400, 408, 413, 414, 417, 431, 501, 502, 505 });
    }
}
