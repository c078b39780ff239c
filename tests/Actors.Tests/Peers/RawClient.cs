using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ActorHttp.Actors.Tests.Support.Peers;
using ActorHttp.Protocol;

namespace ActorHttp.Actors.Tests.Peers;

/// <summary>
/// A client socket for checking the peers byte for byte: send exact text, read responses with
/// the protocol's own parser (1xx heads collected), or read everything until the server closes.
/// </summary>
internal sealed class RawClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly ResponseHeadParser _parser;
    private readonly HttpParserLimits _limits;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _closed;

    private RawClient(Socket socket, HttpParserLimits limits)
    {
        _socket = socket;
        _limits = limits;
        _parser = new ResponseHeadParser(limits);
    }

    public static async Task<RawClient> ConnectAsync(IPEndPoint endPoint, HttpParserLimits? limits = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endPoint);
        return new RawClient(socket, limits ?? PeerLimits.Generous);
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        for (int at = 0; at < bytes.Length;) at += await _socket.SendAsync(bytes.AsMemory(at), SocketFlags.None);
    }

    /// <summary>Sends FIN: the request stream is over.</summary>
    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

    /// <summary>Every byte until the server closes (FIN; an RST throws).</summary>
    public async Task<byte[]> ReadToEndAsync()
    {
        while (await ReceiveAsync())
        {
        }
        var rest = _buffer.AsSpan(_start, _end - _start).ToArray();
        _start = _end;
        return rest;
    }

    public async Task<string> ReadTextToEndAsync() => Encoding.Latin1.GetString(await ReadToEndAsync());

    /// <summary>Reads until <paramref name="marker"/> has arrived; returns the text up to and including it.</summary>
    public async Task<string> ReadUntilAsync(string marker)
    {
        var bytes = Encoding.Latin1.GetBytes(marker);
        while (true)
        {
            int at = _buffer.AsSpan(_start, _end - _start).IndexOf(bytes);
            if (at >= 0)
            {
                var text = Encoding.Latin1.GetString(_buffer, _start, at + bytes.Length);
                _start += at + bytes.Length;
                return text;
            }
            if (!await ReceiveAsync()) throw new EndOfStreamException($"Closed before '{marker}'.");
        }
    }

    /// <summary>Reads one response (after any 1xx) with the protocol's parser; throws its <see cref="ActorHttp.Protocol.HttpProtocolException"/>.</summary>
    public async Task<RawExchange> ReadResponseAsync(RequestMethod method = RequestMethod.Get)
    {
        var informational = new List<ResponseHead>();
        while (true)
        {
            var head = await ReadHeadAsync(method);
            if (!head.IsInformational)
            {
                var (body, trailers) = await ReadBodyAsync(head);
                return new RawExchange(informational, head, body, trailers);
            }
            informational.Add(head);
        }
    }

    private async Task<ResponseHead> ReadHeadAsync(RequestMethod method)
    {
        while (true)
        {
            var result = _parser.Parse(new ReadOnlySequence<byte>(_buffer, _start, _end - _start), method);
            if (result.Status != ParseStatus.NeedMoreData)
            {
                var head = result.GetHeadOrThrow();
                _start += (int)result.BytesConsumed;
                return head;
            }
            if (!await ReceiveAsync()) throw new EndOfStreamException("Closed before a response head.");
        }
    }

    private async Task<(byte[], HeaderCollection)> ReadBodyAsync(ResponseHead head)
    {
        var decoder = BodyDecoder.For(head, _limits);
        using var body = new MemoryStream();
        bool final = false;
        while (true)
        {
            var step = decoder.Decode(new ReadOnlySequence<byte>(_buffer, _start, _end - _start), final).ThrowIfRejected();
            if (step.Status == BodyDecodeStatus.Data)
                foreach (var segment in step.Data) body.Write(segment.Span);
            _start += (int)step.BytesConsumed;
            if (step.Status == BodyDecodeStatus.End) return (body.ToArray(), decoder.Trailers);
            if (step.Status == BodyDecodeStatus.NeedMoreData && !await ReceiveAsync()) final = true;
        }
    }

    private async Task<bool> ReceiveAsync()
    {
        if (_closed) return false;
        if (_start == _end) _start = _end = 0;
        if (_buffer.Length - _end < 16 * 1024)
        {
            var next = new byte[Math.Max(_buffer.Length, (_end - _start) * 2 + 32 * 1024)];
            Buffer.BlockCopy(_buffer, _start, next, 0, _end - _start);
            _end -= _start;
            _start = 0;
            _buffer = next;
        }
        int n = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None);
        if (n == 0)
        {
            _closed = true;
            return false;
        }
        _end += n;
        return true;
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>One response as <see cref="RawClient"/> read it.</summary>
internal sealed record RawExchange(IReadOnlyList<ResponseHead> Informational, ResponseHead Head, byte[] Body, HeaderCollection Trailers)
{
    public string BodyText => Encoding.UTF8.GetString(Body);
}
