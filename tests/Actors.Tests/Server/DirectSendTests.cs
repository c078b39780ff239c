using System.Net;
using System.Net.Sockets;
using System.Text;
using ActorHttp.Actors.Tests.Support;
using ActorHttp.Server;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Server;

/// <summary>
/// The connection sends a finished response itself when its writer is idle, and hands the rest to
/// the writer when the kernel takes only part of it (SendLane). These tests make the kernel refuse:
/// a response larger than what the server's send buffer and the client's small receive buffer can
/// hold, to a client that reads only after it sent everything, with further requests pipelined
/// behind it. Every byte must arrive, each response after the one before it.
/// </summary>
public sealed class DirectSendTests(ITestOutputHelper output) : ServerTestBase(output, TestConfig.Server)
{
    // Larger than tcp_wmem's ceiling (4 MiB) plus a 4 KiB receive buffer: a direct send is partial.
    private const int BigSize = 8 * 1024 * 1024;

    private static byte[] Pattern(int size, int seed)
    {
        var bytes = new byte[size];
        for (var i = 0; i < size; i++) bytes[i] = (byte)((i + seed) % 251);
        return bytes;
    }

    private static ServeMux Mux() => new ServeMux()
        .HandleFunc("GET /big/{seed}", (w, r) =>
        {
            // Fits the (raised) response buffer: head and body leave as one complete write at Finish.
            w.Headers.Set("Content-Type", "application/octet-stream");
            return w.WriteAsync(Pattern(BigSize, int.Parse(r.PathValue("seed")!))).AsTask();
        })
        .HandleFunc("GET /small/{id}", (w, r) => w.WriteAsync("small " + r.PathValue("id")).AsTask())
        .HandleFunc("GET /stream/{id}", async (w, r) =>
        {
            // Committed and flushed: the last chunk is the only write at Finish.
            await w.WriteAsync(Encoding.ASCII.GetBytes("stream "));
            await w.FlushAsync();
            await w.WriteAsync(Encoding.ASCII.GetBytes(r.PathValue("id")!));
        });

    private ServerSettings BigBuffer => Settings with { ResponseBufferSize = 2 * BigSize };

    [Fact]
    public async Task A_response_the_kernel_takes_only_partly_is_finished_by_the_writer_before_pipelined_ones()
    {
        var server = await StartAsync(Mux(), BigBuffer);
        using var socket = await SlowClientAsync(server.LocalEndPoint);
        var targets = new[] { "/big/1", "/small/1", "/big/2", "/stream/2", "/small/3" };
        var requests = string.Concat(targets.Select(t => $"GET {t} HTTP/1.1\r\nHost: x\r\n\r\n"));
        await socket.SendAsync(Encoding.ASCII.GetBytes(requests), SocketFlags.None);

        var reader = new ResponseReader(socket);
        Assert.Equal(Pattern(BigSize, 1), await reader.ReadBodyAsync());
        Assert.Equal("small 1", Encoding.ASCII.GetString(await reader.ReadBodyAsync()));
        Assert.Equal(Pattern(BigSize, 2), await reader.ReadBodyAsync());
        Assert.Equal("stream 2", Encoding.ASCII.GetString(await reader.ReadBodyAsync()));
        Assert.Equal("small 3", Encoding.ASCII.GetString(await reader.ReadBodyAsync()));
    }

    [Fact]
    public async Task A_partly_sent_response_with_connection_close_is_sent_whole_before_the_fin()
    {
        var server = await StartAsync(Mux(), BigBuffer);
        using var socket = await SlowClientAsync(server.LocalEndPoint);
        await socket.SendAsync(Encoding.ASCII.GetBytes("GET /big/7 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), SocketFlags.None);

        var reader = new ResponseReader(socket);
        Assert.Equal(Pattern(BigSize, 7), await reader.ReadBodyAsync());
        Assert.True(await reader.AtEndAsync());
    }

    [Fact]
    public async Task Many_pipelined_small_responses_arrive_in_order_and_whole()
    {
        var server = await StartAsync(Mux());
        await using var raw = await ConnectAsync(server);
        var requests = new StringBuilder();
        for (var i = 0; i < 200; i++) requests.Append(i % 10 == 5 ? $"GET /stream/{i} HTTP/1.1\r\nHost: x\r\n\r\n" : $"GET /small/{i} HTTP/1.1\r\nHost: x\r\n\r\n");

        await raw.SendAsync(requests.ToString());

        for (var i = 0; i < 200; i++)
            Assert.Equal(i % 10 == 5 ? $"stream {i}" : $"small {i}", (await raw.ReadResponseAsync()).Text);
    }

    private static async Task<Socket> SlowClientAsync(IPEndPoint endPoint)
    {
        // Set before connecting, so that the window the server may fill stays small.
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096, NoDelay = true };
        await socket.ConnectAsync(endPoint);
        return socket;
    }

    /// <summary>Reads Content-Length-framed or chunked responses off a socket, with a deadline per read.</summary>
    private sealed class ResponseReader(Socket socket)
    {
        private readonly List<byte> _buffer = new();
        private bool _eof;

        public async Task<byte[]> ReadBodyAsync()
        {
            var head = Encoding.ASCII.GetString(await ReadUntilAsync("\r\n\r\n"u8.ToArray()));
            Assert.StartsWith("HTTP/1.1 200 ", head);
            var lengthLine = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
            if (lengthLine is not null) return await ReadExactlyAsync(int.Parse(lengthLine["Content-Length:".Length..].Trim()));

            Assert.Contains("Transfer-Encoding: chunked", head);
            var body = new List<byte>();
            while (true)
            {
                var sizeLine = Encoding.ASCII.GetString(await ReadUntilAsync("\r\n"u8.ToArray())).TrimEnd();
                var size = Convert.ToInt32(sizeLine, 16);
                body.AddRange(await ReadExactlyAsync(size));
                await ReadExactlyAsync(2);
                if (size == 0) return body.ToArray();
            }
        }

        public async Task<bool> AtEndAsync()
        {
            if (_buffer.Count > 0) return false;
            await FillAsync();
            return _eof && _buffer.Count == 0;
        }

        private async Task<byte[]> ReadUntilAsync(byte[] delimiter)
        {
            while (true)
            {
                var at = IndexOf(delimiter);
                if (at >= 0) return Take(at + delimiter.Length);
                if (!await FillAsync()) throw new EndOfStreamException("The server closed before the expected bytes.");
            }
        }

        private async Task<byte[]> ReadExactlyAsync(int count)
        {
            while (_buffer.Count < count)
                if (!await FillAsync()) throw new EndOfStreamException("The server closed before the expected bytes.");
            return Take(count);
        }

        private int IndexOf(byte[] delimiter)
        {
            for (var i = 0; i + delimiter.Length <= _buffer.Count; i++)
            {
                var match = true;
                for (var j = 0; j < delimiter.Length && match; j++) match = _buffer[i + j] == delimiter[j];
                if (match) return i;
            }

            return -1;
        }

        private byte[] Take(int count)
        {
            var taken = _buffer.GetRange(0, count).ToArray();
            _buffer.RemoveRange(0, count);
            return taken;
        }

        private async Task<bool> FillAsync()
        {
            if (_eof) return false;
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var chunk = new byte[64 * 1024];
            var n = await socket.ReceiveAsync(chunk, SocketFlags.None, cts.Token);
            if (n == 0) _eof = true;
            _buffer.AddRange(chunk.AsSpan(0, n).ToArray());
            return n > 0;
        }
    }
}
