using System.Buffers;
using System.Text;

namespace ActorHttp.Protocol.Bench;

/// <summary>The four wire messages every benchmark runs on, as bytes and as the parts a writer needs.</summary>
public static class Messages
{
    public const string TinyGet = "TinyGet";
    public const string BrowserGet = "BrowserGet12";
    public const string ChunkedPost = "ChunkedPost";
    public const string Response8 = "Response8";

    public static readonly (string Name, string Value)[] BrowserHeaders =
    [
        ("Host", "localhost:8080"), ("Connection", "keep-alive"), ("Cache-Control", "max-age=0"),
        ("sec-ch-ua", "\"Chromium\";v=\"120\", \"Not?A_Brand\";v=\"24\""), ("sec-ch-ua-mobile", "?0"),
        ("Upgrade-Insecure-Requests", "1"),
        ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"),
        ("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"),
        ("Sec-Fetch-Site", "none"), ("Accept-Encoding", "gzip, deflate, br"), ("Accept-Language", "en-US,en;q=0.9"),
        ("Cookie", "session=0123456789abcdef; theme=dark"),
    ];

    public static readonly (string Name, string Value)[] PostHeaders =
    [
        ("Host", "api.example.com"), ("User-Agent", "curl/8.5.0"), ("Accept", "*/*"),
        ("Content-Type", "application/json"), ("Transfer-Encoding", "chunked"),
    ];

    public static readonly (string Name, string Value)[] ResponseHeaders =
    [
        ("Date", "Sun, 06 Nov 1994 08:49:37 GMT"), ("Server", "ActorHttp"), ("Content-Type", "text/html; charset=utf-8"),
        ("Cache-Control", "no-cache"), ("X-Request-Id", "3f2a9c1e-77b0-4c1a-9e8f-0a1b2c3d4e5f"), ("Vary", "Accept-Encoding"),
        ("Set-Cookie", "session=abc; Path=/; HttpOnly"), ("Content-Length", "13"),
    ];

    public static readonly byte[] ChunkPayload = Encoding.ASCII.GetBytes(new string('x', 64));

    public static byte[] Bytes(string name) => Encoding.Latin1.GetBytes(name switch
    {
        TinyGet => "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n",
        BrowserGet => "GET /index.html?lang=en HTTP/1.1\r\n" + Fields(BrowserHeaders) + "\r\n",
        ChunkedPost => "POST /api/items HTTP/1.1\r\n" + Fields(PostHeaders) + "\r\n" +
                       string.Concat(Enumerable.Repeat("40\r\n" + new string('x', 64) + "\r\n", 3)) + "0\r\n\r\n",
        Response8 => "HTTP/1.1 200 OK\r\n" + Fields(ResponseHeaders) + "\r\nHello, world!",
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    });

    public static ReadOnlySequence<byte> Sequence(string name) => new(Bytes(name));

    private static string Fields((string Name, string Value)[] fields) =>
        string.Concat(fields.Select(f => $"{f.Name}: {f.Value}\r\n"));
}
