using System.Text;
using ActorHttp.Actors.Tests.Support;
using ActorHttp.Client;
using ActorHttp.Client.Proxy;

namespace ActorHttp.Actors.Tests.Client.Proxy;

/// <summary>The CONNECT exchange over scripted bytes, whole and one byte per read.</summary>
public sealed class ProxyTunnelTests
{
    private static readonly HttpProxy Proxy = new("proxy", 3128, "Basic dTpw");

    public static TheoryData<string, int?> Answers => new()
    {
        // the proxy's bytes; null = the tunnel opens, else the ProxyStatusCode of the failure (0 = none)
        { "HTTP/1.1 200 Connection Established\r\n\r\n", null },
        { "HTTP/1.1 200 OK\r\nProxy-Agent: test\r\n\r\n", null },
        { "HTTP/1.0 204 No Content\r\n\r\n", null },                                     // any 2xx (RFC 9110 §9.3.6)
        { "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\n", null },              // 1xx heads are skipped
        { "HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n", 407 },
        { "HTTP/1.1 403 Forbidden\r\nContent-Length: 5\r\n\r\nnope!", 403 },
        { "HTTP/1.1 502 Bad Gateway\r\n\r\n", 502 },
        { "SSH-2.0-OpenSSH\r\n\r\n", 0 },
        { "HTTP/1.1 200 OK\r\n", 0 },                                                    // closed mid-head
        { "", 0 },
    };

    [Theory, MemberData(nameof(Answers))]
    public async Task The_proxy_s_answer_opens_the_tunnel_or_fails_with_its_status(string answer, int? status)
    {
        foreach (var chunk in new[] { int.MaxValue, 1 })
        {
            var stream = new ScriptedStream(Encoding.Latin1.GetBytes(answer), chunk);
            var run = ProxyTunnel.EstablishAsync(stream, Proxy, "target.example:443", TestConfig.ParserLimits, default);
            if (status is null)
            {
                await run;
            }
            else
            {
                var error = await Assert.ThrowsAsync<HttpClientException>(() => run);
                Assert.Equal(ClientErrorKind.ProxyConnectFailed, error.Kind);
                Assert.Equal(status == 0 ? null : status, error.ProxyStatusCode);
                Assert.Contains("target.example:443", error.Message);
            }
            Assert.Equal("CONNECT target.example:443 HTTP/1.1\r\nHost: target.example:443\r\nProxy-Authorization: Basic dTpw\r\n\r\n",
                Encoding.Latin1.GetString(stream.Written.ToArray()));
        }
    }

    [Fact]
    public async Task Bytes_that_come_with_a_2xx_head_are_refused()
    {
        // Read with the head, they are caught here; arriving later, they break the TLS handshake instead.
        var stream = new ScriptedStream(Encoding.Latin1.GetBytes("HTTP/1.1 200 OK\r\n\r\nsurprise"), int.MaxValue);
        var error = await Assert.ThrowsAsync<HttpClientException>(() =>
            ProxyTunnel.EstablishAsync(stream, Proxy, "t:443", TestConfig.ParserLimits, default));
        Assert.Equal((ClientErrorKind.ProxyConnectFailed, 200), (error.Kind, error.ProxyStatusCode));
    }

    [Fact]
    public async Task A_407_says_whether_credentials_were_sent()
    {
        var answer = Encoding.Latin1.GetBytes("HTTP/1.1 407 Proxy Authentication Required\r\n\r\n");
        var without = await Assert.ThrowsAsync<HttpClientException>(() =>
            ProxyTunnel.EstablishAsync(new ScriptedStream(answer, int.MaxValue), Proxy with { Authorization = null }, "t:443", TestConfig.ParserLimits, default));
        Assert.Contains("no credentials", without.Message);
        var refused = await Assert.ThrowsAsync<HttpClientException>(() =>
            ProxyTunnel.EstablishAsync(new ScriptedStream(answer, int.MaxValue), Proxy, "t:443", TestConfig.ParserLimits, default));
        Assert.Contains("refused", refused.Message);
    }

    // Reads from a script, at most `chunk` bytes per read, then end of stream; keeps what is written.
    private sealed class ScriptedStream(byte[] script, int chunk) : Stream
    {
        private int _position;

        public MemoryStream Written { get; } = new();

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, chunk), script.Length - _position);
            script.AsSpan(_position, n).CopyTo(buffer.AsSpan(offset));
            _position += n;
            return n;
        }

        public override void Write(byte[] buffer, int offset, int count) => Written.Write(buffer, offset, count);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
