using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ActorHttp.Protocol;
using HttpProtocolException = ActorHttp.Protocol.HttpProtocolException;

namespace ActorHttp.Actors.Tests.Support;

/// <summary>
/// A test client that speaks raw bytes: it sends exactly what a test says and reads responses back
/// with the protocol's own response parser, so malformed input and pipelining can be scripted.
/// Every read has a deadline: a server that hangs fails the test instead of hanging it.
/// </summary>
public sealed class RawConnection : IAsyncDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
    private readonly Socket _socket;
    private byte[] _buffer = new byte[64 * 1024];
    private int _count;
    private bool _eof;

    private RawConnection(Socket socket) => _socket = socket;

    public static async Task<RawConnection> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endPoint);
        return new RawConnection(socket);
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    public async Task SendAsync(byte[] bytes) => await _socket.SendAsync(bytes, SocketFlags.None);

    /// <summary>Reads one response (head and body, framing per the protocol layer) for a request of <paramref name="method"/>.</summary>
    public async Task<RawResponse> ReadResponseAsync(string method = "GET", TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var parser = new ResponseHeadParser(TestConfig.ParserLimits);
        var requestMethod = method == "HEAD" ? RequestMethod.Head : RequestMethod.Get;
        while (true)
        {
            var result = parser.Parse(new ReadOnlySequence<byte>(_buffer, 0, _count), requestMethod);
            if (result.Status == ParseStatus.Rejected) throw new HttpProtocolException(result.Error);
            if (result.Status == ParseStatus.Complete)
            {
                Consume((int)result.BytesConsumed);
                var head = result.Head!;
                if (head.IsInformational) return new RawResponse(head, [], HeaderCollection.Empty);
                var decoder = BodyDecoder.For(head, TestConfig.ParserLimits);
                var body = new MemoryStream();
                while (true)
                {
                    var step = decoder.Decode(new ReadOnlySequence<byte>(_buffer, 0, _count), isFinalBlock: _eof);
                    if (step.Status == BodyDecodeStatus.Rejected) throw new HttpProtocolException(step.Error);
                    foreach (var segment in step.Data) body.Write(segment.Span);
                    Consume((int)step.BytesConsumed);
                    if (step.Status == BodyDecodeStatus.End) return new RawResponse(head, body.ToArray(), decoder.Trailers);
                    if (step.Status == BodyDecodeStatus.NeedMoreData && !await FillAsync(cts.Token))
                        if (_eof && decoder.IsComplete) return new RawResponse(head, body.ToArray(), decoder.Trailers);
                }
            }

            if (!await FillAsync(cts.Token)) throw new EndOfStreamException($"Connection closed after {_count} bytes of a response head.");
        }
    }

    /// <summary>Reads until the server closes; returns everything not yet consumed, as Latin-1 text.</summary>
    public async Task<string> ReadToCloseAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (await FillAsync(cts.Token)) { }
        var text = Encoding.Latin1.GetString(_buffer, 0, _count);
        _count = 0;
        return text;
    }

    /// <summary>True when the server has closed the connection (reads end) within the timeout.</summary>
    public async Task<bool> IsClosedByPeerAsync(TimeSpan? timeout = null)
    {
        try
        {
            await ReadToCloseAsync(timeout);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Consume(int n)
    {
        Buffer.BlockCopy(_buffer, n, _buffer, 0, _count - n);
        _count -= n;
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_eof) return false;
        if (_count == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        int n;
        try
        {
            n = await _socket.ReceiveAsync(_buffer.AsMemory(_count), SocketFlags.None, cancellationToken);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            n = 0;
        }

        if (n == 0)
        {
            _eof = true;
            return false;
        }

        _count += n;
        return true;
    }
}

/// <summary>A response read by <see cref="RawConnection"/>.</summary>
public sealed record RawResponse(ResponseHead Head, byte[] Body, HeaderCollection Trailers)
{
    public int Status => Head.StatusCode;
    public string Text => Encoding.UTF8.GetString(Body);
    public string? Header(string name) => Head.Headers.GetValue(name);
}
