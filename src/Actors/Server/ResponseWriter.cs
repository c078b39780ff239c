using System.Buffers;
using System.Buffers.Text;
using System.Text;
using ActorHttp.Net;
using ActorHttp.Protocol;
using ActorHttp.Protocol.Semantics;
using ActorHttp.Server.Connection;
using Akka.Actor;

namespace ActorHttp.Server;

/// <summary>
/// How a handler answers a request: status, headers, and a body written in one go or streamed.
/// Go's <c>http.ResponseWriter</c> with <c>http.Flusher</c>.
/// </summary>
/// <remarks>
/// <para>Buffering: body bytes collect in a buffer of <c>response.buffer-size</c>. A handler that
/// finishes within it (and never flushed) gets a computed <c>Content-Length</c>, and its head and body
/// leave in one send. Writing past the buffer, or <see cref="FlushAsync"/>, commits the head: with
/// the handler's own <c>Content-Length</c> if it set one, else chunked (HTTP/1.1) or delimited by
/// closing the connection (HTTP/1.0).</para>
/// <para>Headers the server writes itself: <c>Date</c> always; <c>Content-Type</c> sniffed from the first
/// bytes (Go's <c>DetectContentType</c>) when the handler set none and there is a body; the framing
/// fields; <c>Connection: close</c> when the connection will close.</para>
/// <para>HEAD: the body is counted, not sent, so the head matches what GET would send.</para>
/// <para>Not thread-safe: one handler uses it at a time, as in Go.</para>
/// </remarks>
public sealed class ResponseWriter
{
    private const int SniffLength = 512;

    private readonly SendLane _lane;
    private readonly ServerSettings _settings;
    private readonly RequestHead _request;
    private readonly ConnectionFlags _connection;
    private readonly bool _isHead;

    private int _statusCode = 200;
    private bool _headerWritten;      // WriteHeader was called or the body started: the head is frozen
    private bool _committed;          // the head has been handed to the writer actor
    // Who sends this response, when a handler streams it from its own thread while the connection may give up
    // waiting (request-timeout): Open until one of them claims it with a compare-and-swap.
    private int _claim;
    private bool _chunked;
    private bool _closeAfter;
    private long _declaredLength = -1;    // the handler's Content-Length; -1 when it set none
    private bool _declaredLengthRead;     // read once, when the first body byte, flush or finish needs it
    private long _bodyBytes;          // body bytes the handler wrote (also for HEAD)
    private PooledBufferWriter? _pending;   // bytes not yet handed over: the body before commit, framed chunks after
    // Made on first use: most handlers write through WriteAsync and set no trailers.
    private HeaderList? _trailers;
    private Stream? _body;

    internal ResponseWriter(SendLane lane, ServerSettings settings, RequestHead request, ConnectionFlags connection)
    {
        _lane = lane;
        _settings = settings;
        _request = request;
        _connection = connection;
        _isHead = request.MethodKind == RequestMethod.Head;
    }

    /// <summary>The response header fields. Changes after the head was written have no effect.</summary>
    public HeaderList Headers { get; } = new();

    /// <summary>Trailer fields, sent after a chunked body (ignored when the body is not chunked).</summary>
    public HeaderList Trailers => _trailers ??= new();

    /// <summary>The status code; 200 unless set. Setting it after the head was written throws.</summary>
    public int StatusCode
    {
        get => _statusCode;
        set
        {
            if (_headerWritten) throw new InvalidOperationException("The response head has already been written.");
            if (value is < 100 or > 999) throw new ArgumentOutOfRangeException(nameof(value), "A status code has three digits.");
            _statusCode = value;
        }
    }

    /// <summary>True once the status and headers are fixed (Go's <c>wroteHeader</c>).</summary>
    public bool HasStarted => _headerWritten;

    /// <summary>True once bytes of the response have been handed to the connection.</summary>
    public bool IsCommitted => _committed;

    /// <summary>The body as a write-only stream (asynchronous writes only).</summary>
    public Stream Body => _body ??= new ResponseBodyStream(this);

    /// <summary>Body bytes written so far.</summary>
    public long BytesWritten => _bodyBytes;

    /// <summary>Fixes the status code and headers (Go's <c>WriteHeader</c>); a second call is ignored.</summary>
    public void WriteHeader(int statusCode)
    {
        if (_headerWritten) return;
        StatusCode = statusCode;
        _headerWritten = true;
    }

    /// <summary>Writes body bytes. Completes at once while they fit the buffer; otherwise once they are sent.</summary>
    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        ThrowIfAbandoned();
        if (!_headerWritten) WriteHeader(_statusCode);
        if (data.IsEmpty) return ValueTask.CompletedTask;
        if (!BodyAllowed(_statusCode))
            throw new InvalidOperationException($"A {_statusCode} response has no body.");
        ReadDeclaredLength();
        if (_declaredLength >= 0 && _bodyBytes + data.Length > _declaredLength)
            throw new InvalidOperationException($"The handler wrote more than the declared Content-Length of {_declaredLength}.");

        _bodyBytes += data.Length;
        if (_isHead) return ValueTask.CompletedTask;

        if (!_committed)
        {
            _pending ??= new PooledBufferWriter(Math.Min(_settings.ResponseBufferSize, Math.Max(data.Length, 256)));
            if (_pending.Count + data.Length <= _settings.ResponseBufferSize)
            {
                _pending.Write(data.Span);
                return ValueTask.CompletedTask;
            }

            Commit();
        }

        AppendBody(data.Span);
        return _pending!.Count >= _settings.ResponseBufferSize ? SendPending(cancellationToken) : ValueTask.CompletedTask;
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8.</summary>
    public ValueTask WriteAsync(string text, CancellationToken cancellationToken = default) =>
        WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);

    /// <summary>
    /// Answers with a plain-text error (Go's <c>http.Error</c>): <paramref name="statusCode"/>, the text and
    /// a newline as <c>text/plain; charset=utf-8</c>, with <c>X-Content-Type-Options: nosniff</c>.
    /// </summary>
    public Task ErrorAsync(int statusCode, string text)
    {
        Headers.Remove("Content-Length");
        Headers.Set("Content-Type", "text/plain; charset=utf-8");
        Headers.Set("X-Content-Type-Options", "nosniff");
        StatusCode = statusCode;
        return WriteAsync(text + "\n").AsTask();
    }

    /// <summary>Sends the head (if not yet sent) and everything written so far (Go's <c>Flush</c>).</summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfAbandoned();
        if (!_headerWritten) WriteHeader(_statusCode);
        ReadDeclaredLength();
        if (!_committed) Commit();
        return SendPending(cancellationToken);
    }

    /// <summary>
    /// Called by the connection actor once the handler's task completed: sends what is left and the
    /// end of the body. Returns whether the connection may be kept for another request.
    /// </summary>
    internal bool Finish()
    {
        if (!_headerWritten) WriteHeader(_statusCode);
        ReadDeclaredLength();

        if (!_committed)
        {
            // The whole response is here: one buffer, one send, an exact Content-Length.
            var body = _pending;
            _pending = null;
            var bodySpan = body is null ? ReadOnlySpan<byte>.Empty : body.WrittenSpan;
            long? length = !BodyAllowed(_statusCode) ? null
                : _declaredLength >= 0 ? _declaredLength
                : _isHead && _bodyBytes == 0 ? null
                : _bodyBytes;
            if (_declaredLength >= 0 && !_isHead && _bodyBytes != _declaredLength) _closeAfter = true;

            var message = new PooledBufferWriter(256 + bodySpan.Length);
            WriteHead(message, length, chunked: false, sniff: bodySpan);
            message.Write(bodySpan);
            body?.Dispose();
            SendLast(message);
            return !_closeAfter;
        }

        if (_chunked && !_isHead)
        {
            _pending ??= new PooledBufferWriter(64);
            _pending.Write("0\r\n"u8);
            if (_trailers is not null)
                foreach (var (name, value) in _trailers) HttpMessageWriter.WriteHeader(_pending, name, value);
            _pending.Write("\r\n"u8);
        }
        else if (_declaredLength >= 0 && !_isHead && _bodyBytes < _declaredLength)
        {
            // Fewer bytes than promised: the client would wait for the rest. Drop what is pending;
            // the connection aborts so that the client sees the truncation.
            _pending?.Dispose();
            _pending = null;
            return false;
        }

        if (_pending is { Count: > 0 })
        {
            var pending = _pending;
            _pending = null;
            SendLast(pending);
        }
        else
        {
            _pending?.Dispose();
            _pending = null;
        }

        return !_closeAfter;
    }

    /// <summary>Called by the connection when the handler failed: drops what was not sent.</summary>
    internal void Discard()
    {
        _pending?.Dispose();
        _pending = null;
    }

    private const int Open = 0, ClaimedByHandler = 1, Abandoned = 2;

    /// <summary>
    /// Called by the connection when it answers the request itself because its handler did not (request-timeout, a
    /// stopped handler actor): true when no byte of this response was handed over, and none ever will be (the
    /// handler's later writes throw). False: the handler's response has started, and only closing the connection is left.
    /// </summary>
    internal bool TryAbandon() => Interlocked.CompareExchange(ref _claim, Abandoned, Open) != ClaimedByHandler;

    private const string AbandonedMessage =
        "The connection stopped waiting for this response (request-timeout, or the handler actor stopped) and answered it itself.";

    // A write after the connection answered the request itself fails at once, not only when it would commit: the
    // handler learns it lost the request at its next write, and its task ends (counted as a dropped answer). One
    // volatile read per write; the compare-and-swap in Commit still decides a race with the connection.
    private void ThrowIfAbandoned()
    {
        if (Volatile.Read(ref _claim) == Abandoned) throw new InvalidOperationException(AbandonedMessage);
    }

    // Hands the head (and the buffered body) to the writer; from here on the body is streamed.
    private void Commit()
    {
        // A handler actor's thread and the connection's (TryAbandon) race for the response: one wins.
        if (Interlocked.CompareExchange(ref _claim, ClaimedByHandler, Open) == Abandoned)
            throw new InvalidOperationException(AbandonedMessage);
        var body = _pending;
        _pending = new PooledBufferWriter(_settings.ResponseBufferSize + 64);
        var bodySpan = body is null ? ReadOnlySpan<byte>.Empty : body.WrittenSpan;

        long? length = null;
        if (!BodyAllowed(_statusCode)) { }
        else if (_declaredLength >= 0) length = _declaredLength;
        else if (_request.Version == HttpProtocolVersion.Http11) _chunked = true;
        else _closeAfter = true;   // HTTP/1.0 and no length: the end of the body is the close

        WriteHead(_pending, length, _chunked, sniff: bodySpan);
        _committed = true;
        if (!bodySpan.IsEmpty && !_isHead) AppendBody(bodySpan);
        body?.Dispose();
    }

    private void AppendBody(ReadOnlySpan<byte> data)
    {
        if (_chunked)
        {
            var span = _pending!.GetSpan(20);
            Utf8Formatter.TryFormat(data.Length, span, out var n, new StandardFormat('X'));
            span[n] = (byte)'\r';
            span[n + 1] = (byte)'\n';
            _pending.Advance(n + 2);
            _pending.Write(data);
            _pending.Write("\r\n"u8);
        }
        else
        {
            _pending!.Write(data);
        }
    }

    private async ValueTask SendPending(CancellationToken cancellationToken)
    {
        if (_pending is not { Count: > 0 }) return;
        var pending = _pending;
        _pending = new PooledBufferWriter(_settings.ResponseBufferSize + 64);
        var ack = new WriteAck();
        Send(pending, ack);
        await ack.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private void Send(PooledBufferWriter data, WriteAck? ack)
    {
        var (buffer, count) = data.Detach();
        _lane.Enqueue(new ConnectionWriter.Write(buffer, 0, count, Pooled: true, ack));
    }

    // The response's last bytes, written in the connection's turn once the handler returned: sent
    // at once when the writer has nothing queued (see SendLane).
    private void SendLast(PooledBufferWriter data)
    {
        var (buffer, count) = data.Detach();
        _lane.SendOrEnqueue(buffer, count);
    }

    private void WriteHead(IBufferWriter<byte> output, long? contentLength, bool chunked, ReadOnlySpan<byte> sniff)
    {
        if (!_request.KeepAlive || _connection.ShuttingDown || HasConnectionClose()) _closeAfter = true;

        HttpMessageWriter.WriteStatusLine(output, HttpProtocolVersion.Http11, _statusCode);
        HttpMessageWriter.WriteDate(output, DateCache.Current);
        if (_settings.ServerHeader.Length > 0) HttpMessageWriter.WriteHeader(output, "Server", _settings.ServerHeader);

        var hasBody = BodyAllowed(_statusCode) && (_bodyBytes > 0 || contentLength > 0);
        if (hasBody && !Headers.Contains("Content-Type"))
            HttpMessageWriter.WriteHeader(output, "Content-Type", ContentSniffer.Detect(sniff.Length > SniffLength ? sniff[..SniffLength] : sniff));

        foreach (var (name, value) in Headers)
        {
            // Framing and connection management are the server's: it writes them from what it knows.
            if (IsFramingField(name)) continue;
            HttpMessageWriter.WriteHeader(output, name, value);
        }

        if (chunked) HttpMessageWriter.WriteChunkedTransferEncoding(output);
        else if (contentLength is { } length) HttpMessageWriter.WriteContentLength(output, length);

        if (_closeAfter) HttpMessageWriter.WriteHeader(output, "Connection", "close");
        else if (_request.Version == HttpProtocolVersion.Http10) HttpMessageWriter.WriteHeader(output, "Connection", "keep-alive");
        HttpMessageWriter.WriteEndOfHead(output);
    }

    private bool HasConnectionClose()
    {
        // The list's struct enumerator: GetAll would allocate an iterator for every response.
        foreach (var (name, value) in Headers)
            if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase) && value.Contains("close", StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    private void ReadDeclaredLength()
    {
        if (_declaredLengthRead) return;
        _declaredLengthRead = true;
        _declaredLength = ParseDeclaredLength();
    }

    private long ParseDeclaredLength()
    {
        var value = Headers.Get("Content-Length");
        if (value is null) return -1;
        if (!long.TryParse(value, System.Globalization.NumberStyles.None, null, out var length))
            throw new InvalidOperationException($"Content-Length '{value}' is not a number.");
        return length;
    }

    private static bool IsFramingField(string name) =>
        name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) ||
        name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) ||
        name.Equals("Connection", StringComparison.OrdinalIgnoreCase) ||
        name.Equals("Date", StringComparison.OrdinalIgnoreCase);

    // RFC 9110 §6.4.1: 1xx, 204 and 304 responses never have content.
    private static bool BodyAllowed(int status) => status is >= 200 and not 204 and not 304;

    /// <summary>The write-only stream over this response's body.</summary>
    private sealed class ResponseBodyStream(ResponseWriter response) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => response.BytesWritten; set => throw new NotSupportedException(); }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            response.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            response.WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override Task FlushAsync(CancellationToken cancellationToken) => response.FlushAsync(cancellationToken).AsTask();

        // A synchronous write could have to wait for the socket and park a thread; refuse it as
        // Kestrel does by default (AllowSynchronousIO = false).
        public override void Write(byte[] buffer, int offset, int count) =>
            throw new NotSupportedException("Synchronous writes to a response body are not supported; use WriteAsync.");

        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
