using System.Buffers;
using BenchmarkDotNet.Attributes;

namespace ActorHttp.Protocol.Bench;

/// <summary>
/// Writing one message into a reused buffer: ActorHttp's writers (cached status line, cached Date
/// bytes, chunked encoder) against building the text with a StringBuilder and encoding it.
/// </summary>
[Config(typeof(BenchConfig))]
public class WriteBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly byte[] _date = new byte[HttpDate.Length];
    private readonly byte[] _body = "Hello, world!"u8.ToArray();

    [Params(Messages.TinyGet, Messages.BrowserGet, Messages.ChunkedPost, Messages.Response8)]
    public string Message { get; set; } = Messages.TinyGet;

    [GlobalSetup]
    public void Setup()
    {
        HttpDate.Format(new DateTimeOffset(1994, 11, 6, 8, 49, 37, TimeSpan.Zero), _date);
        // The throughput columns use the parse messages' sizes: both writers must produce exactly those bytes.
        ActorHttp();
        if (!_buffer.WrittenSpan.SequenceEqual(Messages.Bytes(Message)) || Naive() != Messages.Bytes(Message).Length)
            throw new InvalidOperationException($"The writers do not produce the {Message} message.");
    }

    [Benchmark(Baseline = true, Description = "ActorHttp")]
    public int ActorHttp()
    {
        _buffer.ResetWrittenCount();
        switch (Message)
        {
            case Messages.TinyGet:
                HttpMessageWriter.WriteRequestLine(_buffer, "GET", "/", HttpProtocolVersion.Http11);
                HttpMessageWriter.WriteHeader(_buffer, "Host", "localhost");
                HttpMessageWriter.WriteEndOfHead(_buffer);
                break;
            case Messages.BrowserGet:
                HttpMessageWriter.WriteRequestLine(_buffer, "GET", "/index.html?lang=en", HttpProtocolVersion.Http11);
                foreach (var (name, value) in Messages.BrowserHeaders) HttpMessageWriter.WriteHeader(_buffer, name, value);
                HttpMessageWriter.WriteEndOfHead(_buffer);
                break;
            case Messages.ChunkedPost:
                HttpMessageWriter.WriteRequestLine(_buffer, "POST", "/api/items", HttpProtocolVersion.Http11);
                for (int i = 0; i < 4; i++) HttpMessageWriter.WriteHeader(_buffer, Messages.PostHeaders[i].Name, Messages.PostHeaders[i].Value);
                HttpMessageWriter.WriteChunkedTransferEncoding(_buffer);
                HttpMessageWriter.WriteEndOfHead(_buffer);
                for (int i = 0; i < 3; i++) ChunkedEncoder.WriteChunk(_buffer, Messages.ChunkPayload);
                ChunkedEncoder.WriteFinalChunk(_buffer);
                break;
            default:
                HttpMessageWriter.WriteStatusLine(_buffer, HttpProtocolVersion.Http11, 200);
                HttpMessageWriter.WriteDate(_buffer, _date);
                for (int i = 1; i < 7; i++) HttpMessageWriter.WriteHeader(_buffer, Messages.ResponseHeaders[i].Name, Messages.ResponseHeaders[i].Value);
                HttpMessageWriter.WriteContentLength(_buffer, _body.Length);
                HttpMessageWriter.WriteEndOfHead(_buffer);
                _buffer.Write(_body);
                break;
        }
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "naive StringBuilder")]
    public int Naive() => Message switch
    {
        Messages.TinyGet => NaiveParser.Write("GET / HTTP/1.1", [("Host", "localhost")], []).Length,
        Messages.BrowserGet => NaiveParser.Write("GET /index.html?lang=en HTTP/1.1", Messages.BrowserHeaders, []).Length,
        Messages.ChunkedPost => NaiveParser.Write("POST /api/items HTTP/1.1", Messages.PostHeaders, NaiveChunks).Length,
        _ => NaiveParser.Write("HTTP/1.1 200 OK", Messages.ResponseHeaders, _body).Length,
    };

    private static readonly byte[] NaiveChunks = System.Text.Encoding.ASCII.GetBytes(
        string.Concat(Enumerable.Repeat("40\r\n" + new string('x', 64) + "\r\n", 3)) + "0\r\n\r\n");
}
