using ActorHttp.Actors.Tests.Support;
using ActorHttp.Server;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Server;

/// <summary>
/// Bad input on a real connection: each gets its precise status and a closed connection, and the
/// handler never runs.
/// </summary>
public sealed class MalformedRequestTests(ITestOutputHelper output) : ServerTestBase(output, TestConfig.Server)
{
    public static TheoryData<string, string, int> Cases => new()
    {
        { "garbage request line", "GARBAGE\r\n\r\n", 400 },
        { "missing host", "GET / HTTP/1.1\r\n\r\n", 400 },
        { "duplicate host", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400 },
        { "space before colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400 },
        { "obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n 2\r\n\r\n", 400 },
        { "bare CR", "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r2\r\n\r\n", 400 },
        { "NUL in value", "GET / HTTP/1.1\r\nHost: a\r\nX: 1\02\r\n\r\n", 400 },
        { "CL and TE (smuggling)", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400 },
        { "differing Content-Lengths", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400 },
        { "TE not ending in chunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 400 },
        { "unknown transfer coding", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501 },
        { "HTTP/1.0 with TE", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400 },
        { "bad chunk size", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400 },
        { "overflowing chunk size", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\n", 400 },
        { "HTTP/2.0 version", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505 },
        { "expectation other than continue", "GET / HTTP/1.1\r\nHost: a\r\nExpect: magic\r\n\r\n", 417 },
        { "request line too long", "GET /" + new string('a', 9000) + " HTTP/1.1\r\nHost: a\r\n\r\n", 414 },
        { "header section too large", "GET / HTTP/1.1\r\nHost: a\r\nX: " + new string('a', 33 * 1024) + "\r\n\r\n", 431 },
        { "too many headers", "GET / HTTP/1.1\r\nHost: a\r\n" + string.Concat(Enumerable.Range(0, 101).Select(i => $"X{i}: 1\r\n")) + "\r\n", 431 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Rejected_with_status_and_closed(string name, string input, int status)
    {
        var handled = 0;
        var server = await StartAsync(new ServeMux().HandleFunc("/", async (w, r) =>
        {
            Interlocked.Increment(ref handled);
            await r.Body.CopyToAsync(Stream.Null);
            await w.WriteAsync("ok");
        }));
        await using var raw = await ConnectAsync(server);

        await raw.SendAsync(input);
        var response = await raw.ReadResponseAsync();

        Assert.True(status == response.Status, $"{name}: expected {status}, got {response.Status}");
        Assert.Equal("close", response.Header("Connection"));
        Assert.True(await raw.IsClosedByPeerAsync(), $"{name}: the connection stayed open");
        if (status != 400 || !name.Contains("chunk")) Assert.Equal(0, handled);
    }
}
