using System.Buffers;
using System.Text;
using ActorHttp.Protocol.Tests.Support;

namespace ActorHttp.Protocol.Tests;

/// <summary>What the writers produce, the parsers read back unchanged.</summary>
public class RoundTripTests
{
    private static readonly KeyValuePair<string, string>[] Fields =
    [
        new("Host", "example.com:8080"), new("User-Agent", "ActorHttp/1.0"), new("Accept", "*/*"),
        new("X-Repeated", "one"), new("x-repeated", "two"), new("X-Latin", "na\u00efve\tvalue"),
    ];

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4096)]
    public void Request_with_content_length_body_round_trips(int bodyLength)
    {
        var body = Enumerable.Range(0, bodyLength).Select(i => (byte)i).ToArray();
        var writer = new ArrayBufferWriter<byte>();
        HttpMessageWriter.WriteRequestLine(writer, "POST", "/upload?name=a%20b", HttpProtocolVersion.Http11);
        HttpMessageWriter.WriteHeaders(writer, HeaderCollection.FromFields(Fields));
        HttpMessageWriter.WriteContentLength(writer, body.Length);
        HttpMessageWriter.WriteEndOfHead(writer);
        var encoder = new BodyEncoder(MessageFraming.Length(body.Length));
        encoder.Write(writer, body);
        encoder.Finish(writer);

        var input = Segments.Of([writer.WrittenSpan.ToArray()]);
        var head = new RequestHeadParser(TestLimits.Default).Parse(input).GetHeadOrThrow();
        Assert.Equal("POST", head.Method);
        Assert.Equal("/upload", head.Path);
        Assert.Equal("name=a%20b", head.Query);
        Assert.Equal(Fields.Select(f => $"{f.Key}: {f.Value}").Append($"Content-Length: {bodyLength}"),
            head.Headers.Select(f => $"{f.Name}: {f.Value}"));
        Assert.Equal(body, Drain(BodyDecoder.For(head, TestLimits.Default), input.Slice(input.Length - bodyLength), out _));
    }

    [Fact]
    public void Response_with_chunked_body_and_trailers_round_trips()
    {
        var writer = new ArrayBufferWriter<byte>();
        HttpMessageWriter.WriteStatusLine(writer, HttpProtocolVersion.Http11, 200);
        Span<byte> date = stackalloc byte[HttpDate.Length];
        HttpDate.Format(new DateTimeOffset(1994, 11, 6, 8, 49, 37, TimeSpan.Zero), date);
        HttpMessageWriter.WriteDate(writer, date);
        HttpMessageWriter.WriteHeader(writer, "Content-Type", "text/plain; charset=utf-8");
        HttpMessageWriter.WriteChunkedTransferEncoding(writer);
        HttpMessageWriter.WriteEndOfHead(writer);
        var encoder = new BodyEncoder(MessageFraming.Chunked);
        encoder.Write(writer, "Hello, "u8);
        encoder.Write(writer, ReadOnlySpan<byte>.Empty);
        encoder.Write(writer, new byte[300]);
        encoder.Finish(writer, HeaderCollection.FromFields([new("Checksum", "abc"), new("Server-Timing", "db;dur=53")]));

        var bytes = writer.WrittenSpan.ToArray();
        Assert.StartsWith("HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n", Encoding.ASCII.GetString(bytes));
        foreach (var (_, pieces) in new[] { ("whole", Segments.Whole(bytes)), ("bytes", Segments.OneBytePerSegment(bytes)) })
        {
            var input = Segments.Of(pieces);
            var result = new ResponseHeadParser(TestLimits.Default).Parse(input, RequestMethod.Get);
            var head = result.GetHeadOrThrow();
            Assert.Equal(200, head.StatusCode);
            Assert.Equal("OK", head.ReasonPhrase);
            Assert.Equal(BodyKind.Chunked, head.Framing.Kind);
            var decoder = BodyDecoder.For(head, TestLimits.Default);
            var body = Drain(decoder, input.Slice(result.BytesConsumed), out long left);
            Assert.Equal(0, left);
            Assert.Equal("Hello, "u8.ToArray().Concat(new byte[300]), body);
            Assert.Equal(["Checksum: abc", "Server-Timing: db;dur=53"], decoder.Trailers.Select(f => f.ToString()));
        }
    }

    [Theory]
    [InlineData(HttpProtocolVersion.Http10, 404, null, "HTTP/1.0 404 Not Found\r\n")]
    [InlineData(HttpProtocolVersion.Http11, 299, null, "HTTP/1.1 299 \r\n")]
    [InlineData(HttpProtocolVersion.Http11, 200, "Fine", "HTTP/1.1 200 Fine\r\n")]
    [InlineData(HttpProtocolVersion.Http11, 431, null, "HTTP/1.1 431 Request Header Fields Too Large\r\n")]
    public void Status_lines_are_written_from_the_table_or_composed(HttpProtocolVersion version, int code, string? reason, string expected)
    {
        var writer = new ArrayBufferWriter<byte>();
        HttpMessageWriter.WriteStatusLine(writer, version, code, reason);
        Assert.Equal(expected, Encoding.ASCII.GetString(writer.WrittenSpan));
        var parsed = new ResponseHeadParser(TestLimits.Default)
            .Parse(Segments.Of([writer.WrittenSpan.ToArray().Concat("Content-Length: 0\r\n\r\n"u8.ToArray()).ToArray()]), RequestMethod.Get)
            .GetHeadOrThrow();
        Assert.Equal(code, parsed.StatusCode);
        Assert.Equal(version, parsed.Version);
    }

    [Theory]
    [InlineData("X-Bad", "a\r\nInjected: yes")]
    [InlineData("X-Bad", "nul\0")]
    [InlineData("X Bad", "v")]
    [InlineData("X-Bad", "\u20ac")]
    public void Writer_refuses_header_injection(string name, string value)
    {
        var writer = new ArrayBufferWriter<byte>();
        Assert.Throws<ArgumentException>(() => HttpMessageWriter.WriteHeader(writer, name, value));
        Assert.Equal(0, writer.WrittenCount);
    }

    [Fact]
    public void Body_encoder_keeps_the_announced_framing()
    {
        var writer = new ArrayBufferWriter<byte>();
        var encoder = new BodyEncoder(MessageFraming.Length(3));
        encoder.Write(writer, "ab"u8);
        Assert.Throws<InvalidOperationException>(() => encoder.Write(writer, "cd"u8));
        Assert.Throws<InvalidOperationException>(() => encoder.Finish(writer));
        encoder.Write(writer, "c"u8);
        encoder.Finish(writer);
        Assert.Equal("abc", Encoding.ASCII.GetString(writer.WrittenSpan));
        Assert.Throws<InvalidOperationException>(() => new BodyEncoder(MessageFraming.NoBody).Write(writer, "x"u8));
    }

    /// <summary>Decodes a body to its end, returning the data and how many input bytes were left.</summary>
    internal static byte[] Drain(BodyDecoder decoder, ReadOnlySequence<byte> input, out long left)
    {
        var body = new List<byte>();
        while (true)
        {
            var step = decoder.Decode(input, isFinalBlock: true).ThrowIfRejected();
            if (step.Status == BodyDecodeStatus.Data) body.AddRange(step.Data.ToArray());
            input = input.Slice(step.BytesConsumed);
            if (step.Status == BodyDecodeStatus.End) break;
        }
        left = input.Length;
        return body.ToArray();
    }
}
