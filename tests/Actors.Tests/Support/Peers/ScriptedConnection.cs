using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ActorHttp.Protocol;
using HttpProtocolException = ActorHttp.Protocol.HttpProtocolException;

namespace ActorHttp.Actors.Tests.Support.Peers;

/// <summary>
/// One accepted connection of a <see cref="ScriptedServer"/>, as its script sees it: read
/// requests with the protocol's parser, send exact bytes, and end the connection the way the
/// fault under test needs (FIN, RST, or waiting for the client to close). Not thread-safe: one
/// script drives one connection. Reads honour <see cref="Aborted"/>, which fires when the
/// server is disposed.
/// </summary>
public sealed class ScriptedConnection
{
    private const int ReceiveSize = 16 * 1024;

    private readonly Socket _socket;
    private readonly RequestHeadParser _parser = new(PeerLimits.Generous);
    // Received bytes not yet consumed: _buffer[_start.._end].
    private byte[] _buffer = new byte[ReceiveSize];
    private int _start;
    private int _end;
    private bool _peerClosed;
    // True while a request body the client may still be sending has not been read.
    private bool _bodyUnread;

    internal ScriptedConnection(Socket socket, int id, CancellationToken aborted)
    {
        _socket = socket;
        Id = id;
        Aborted = aborted;
        RemoteEndPoint = (IPEndPoint)socket.RemoteEndPoint!;
    }

    /// <summary>1-based order of acceptance on its server.</summary>
    public int Id { get; }

    /// <summary>The client's address and port.</summary>
    public IPEndPoint RemoteEndPoint { get; }

    /// <summary>Fires when the server is disposed; every helper honours it.</summary>
    public CancellationToken Aborted { get; }

    /// <summary>How the connection ended from this side, if it has.</summary>
    public ScriptedEnding Ending { get; private set; }

    /// <summary>Requests read so far on this connection.</summary>
    public int RequestCount { get; private set; }

    /// <summary>
    /// Reads the next request head and, unless <paramref name="readBody"/> is false, its body
    /// (Content-Length or chunked, trailers kept). For <c>Expect: 100-continue</c>, sends
    /// <c>100 Continue</c> before reading the body only when <paramref name="sendContinue"/>;
    /// otherwise the body is read whenever the client decides to send it.
    /// </summary>
    /// <returns>The request, or null when the client closed cleanly before sending a byte of one.</returns>
    /// <exception cref="HttpProtocolException">The request violates RFC 9112.</exception>
    /// <exception cref="EndOfStreamException">The client closed in the middle of a request.</exception>
    public async Task<ScriptedRequest?> ReadRequestAsync(bool readBody = true, bool sendContinue = false)
    {
        RequestHead head;
        while (true)
        {
            var result = _parser.Parse(Unconsumed);
            if (result.Status == ParseStatus.Complete)
            {
                head = result.Head!;
                _start += (int)result.BytesConsumed;
                break;
            }
            if (result.Status == ParseStatus.Rejected) throw new HttpProtocolException(result.Error);
            if (!await ReceiveAsync())
            {
                if (_end == _start) return null;
                throw new EndOfStreamException($"The client closed after {_end - _start} bytes of a request head.");
            }
        }
        RequestCount++;
        _bodyUnread = head.Framing.HasBody;
        if (!readBody) return new ScriptedRequest(head, [], HeaderCollection.Empty, BodyRead: false);
        if (head.ExpectsContinue && sendContinue) await SendAsync("HTTP/1.1 100 Continue\r\n\r\n");
        var (body, trailers) = await ReadBodyAsync(head);
        return new ScriptedRequest(head, body, trailers, BodyRead: true);
    }

    /// <summary>Reads the body of <paramref name="head"/> (after a head-only <see cref="ReadRequestAsync"/>).</summary>
    public async Task<(byte[] Body, HeaderCollection Trailers)> ReadBodyAsync(RequestHead head)
    {
        var decoder = BodyDecoder.For(head, PeerLimits.Generous);
        using var body = new MemoryStream();
        bool final = false;
        while (true)
        {
            var step = decoder.Decode(Unconsumed, final).ThrowIfRejected();
            if (step.Status == BodyDecodeStatus.Data)
                foreach (var segment in step.Data) body.Write(segment.Span);
            _start += (int)step.BytesConsumed;
            if (step.Status == BodyDecodeStatus.End)
            {
                _bodyUnread = false;
                return (body.ToArray(), decoder.Trailers);
            }
            if (step.Status == BodyDecodeStatus.NeedMoreData && !await ReceiveAsync()) final = true;
        }
    }

    /// <summary>
    /// Returns the bytes already buffered, or else waits for the next bytes from the client;
    /// empty once the client has closed.
    /// </summary>
    public async Task<byte[]> ReadRawAsync()
    {
        if (_end == _start && !await ReceiveAsync()) return [];
        var bytes = _buffer.AsSpan(_start, _end - _start).ToArray();
        _start = _end;
        return bytes;
    }

    /// <summary>Sends <paramref name="text"/> as Latin-1, so every char is one byte on the wire.</summary>
    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    /// <summary>Sends <paramref name="bytes"/> exactly.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            int sent = await _socket.SendAsync(bytes, SocketFlags.None, Aborted);
            bytes = bytes[sent..];
        }
    }

    /// <summary>Half-closes: sends FIN; the client can still send, and the script can still read.</summary>
    public Task CloseAsync()
    {
        if (Ending == ScriptedEnding.None)
        {
            _socket.Shutdown(SocketShutdown.Send);
            Ending = ScriptedEnding.Closed;
        }
        return Task.CompletedTask;
    }

    /// <summary>Aborts with RST: zero linger, then close, so unsent and unread bytes are dropped.</summary>
    public void Reset()
    {
        if (Ending == ScriptedEnding.Reset) return;
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
        Ending = ScriptedEnding.Reset;
    }

    /// <summary>Reads and discards until the client closes (FIN or RST).</summary>
    public async Task WaitForPeerCloseAsync()
    {
        _start = _end;
        while (await ReceiveAsync()) _start = _end;
    }

    /// <summary>True once the client's FIN or RST has been read.</summary>
    public bool PeerClosed => _peerClosed;

    /// <inheritdoc />
    public override string ToString() => $"ScriptedConnection #{Id} from {RemoteEndPoint} ({Ending})";

    private ReadOnlySequence<byte> Unconsumed => new(_buffer, _start, _end - _start);

    /// <summary>Receives more bytes into the buffer; false when the client has closed (FIN or RST).</summary>
    private async Task<bool> ReceiveAsync()
    {
        if (_peerClosed) return false;
        if (_start == _end) _start = _end = 0;
        if (_buffer.Length - _end < ReceiveSize / 2)
        {
            // Compact, then grow: a parse that needs more keeps every unconsumed byte contiguous.
            var next = _end - _start + ReceiveSize > _buffer.Length ? new byte[(_end - _start + ReceiveSize) * 2] : _buffer;
            Buffer.BlockCopy(_buffer, _start, next, 0, _end - _start);
            _end -= _start;
            _start = 0;
            _buffer = next;
        }
        int n;
        try
        {
            n = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, Aborted);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            n = 0;
        }
        if (n == 0)
        {
            _peerClosed = true;
            return false;
        }
        _end += n;
        return true;
    }

    /// <summary>
    /// Ends the connection after its script returned, unless the script reset it: FIN, then, when
    /// request bytes are or may still be unread, a lingering close (wait up to
    /// <paramref name="linger"/> for the client's FIN), because closing a socket with unread input
    /// sends RST, which can destroy the response before the client reads it. With nothing unread
    /// the socket closes at once, so a client that keeps an idle connection open does not hold it.
    /// </summary>
    internal async Task FinishAsync(TimeSpan linger)
    {
        if (Ending == ScriptedEnding.Reset) return;
        try
        {
            await CloseAsync();
            bool unread = _bodyUnread || _end > _start || _socket.Available > 0;
            if (unread && !_peerClosed) await WaitForPeerCloseAsync().WaitAsync(linger, Aborted);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or TimeoutException or OperationCanceledException)
        {
            // The client went away or lingered too long: the socket is closed below either way.
        }
        finally
        {
            _socket.Dispose();
        }
    }

    /// <summary>Closes the socket at once (server disposal).</summary>
    internal void Abort() => _socket.Dispose();
}
