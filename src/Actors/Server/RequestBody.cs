using System.Buffers;
using System.IO.Pipelines;
using ActorHttp.Protocol;

namespace ActorHttp.Server;

/// <summary>
/// The body of one server request: a pipe the connection's reader fills with decoded body bytes
/// and the handler drains through <see cref="Stream"/>.
/// </summary>
/// <remarks>
/// The pipe is the back-pressure: once <c>request-body.buffer-size</c> bytes wait unread, the
/// reader's flush does not complete and it stops reading the socket until the handler catches up.
/// When the handler is done (read or not), the connection completes the pipe's reading side; the
/// reader sees that and discards what is left of the body, up to <c>request-body.max-drain</c>.
///
/// Ownership: <see cref="Writer"/> and <see cref="Trailers"/> are written by the reader actor only;
/// the stream is used by the handler only. <see cref="MaxSize"/> is set by the connection actor
/// before the handler starts. The pipe's completion orders the trailers before the handler's
/// end-of-stream.
/// </remarks>
internal sealed class RequestBody
{
    /// <summary>The body of a request that has none: reads end at once, nothing is allocated.</summary>
    public static readonly RequestBody None = new();

    private readonly Pipe? _pipe;
    private Action? _beforeFirstRead;
    private HeaderCollection _trailers = HeaderCollection.Empty;

    private RequestBody()
    {
        Stream = System.IO.Stream.Null;
    }

    public RequestBody(long pauseThreshold)
    {
        _pipe = new Pipe(new PipeOptions(
            pauseWriterThreshold: pauseThreshold,
            resumeWriterThreshold: pauseThreshold / 2,
            useSynchronizationContext: false));
        Stream = new BodyStream(this);
    }

    /// <summary>
    /// Runs <paramref name="action"/> before the handler's first read: the connection sends
    /// <c>100 Continue</c> from there when the client asked for it and no response has started.
    /// </summary>
    public void SetBeforeFirstRead(Action action) => _beforeFirstRead = action;

    /// <summary>The handler's view of the body.</summary>
    public Stream Stream { get; }

    /// <summary>The reader's side of the pipe; null for <see cref="None"/>.</summary>
    public PipeWriter? Writer => _pipe?.Writer;

    /// <summary>Largest number of body bytes the handler may read; 0 = unlimited. Set before the handler runs.</summary>
    public long MaxSize { get; set; }

    /// <summary>Body bytes the handler has read so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>True once the handler has seen the end of the body.</summary>
    public bool ReadToEnd { get; private set; }

    /// <summary>True once the handler has started reading (and any <c>100 Continue</c> was sent).</summary>
    public bool ReadStarted { get; private set; }

    public HeaderCollection Trailers
    {
        get => Volatile.Read(ref _trailers);
        set => Volatile.Write(ref _trailers, value);
    }

    /// <summary>Called by the connection once the handler is done: nobody will read any more.</summary>
    public void CompleteReading() => _pipe?.Reader.Complete();

    private async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (_pipe is null || ReadToEnd) return 0;
        if (!ReadStarted)
        {
            ReadStarted = true;
            Interlocked.Exchange(ref _beforeFirstRead, null)?.Invoke();
        }

        var reader = _pipe.Reader;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (!buffer.IsEmpty)
            {
                var count = (int)Math.Min(buffer.Length, destination.Length);
                var slice = buffer.Slice(0, count);
                slice.CopyTo(destination.Span);
                reader.AdvanceTo(slice.End);
                BytesRead += count;
                if (MaxSize > 0 && BytesRead > MaxSize)
                    throw new HttpProtocolException(ProtocolError.RequestBodyTooLarge);
                return count;
            }

            reader.AdvanceTo(buffer.End);
            if (result.IsCompleted)
            {
                // The reader completes the pipe with an exception when the body is malformed or the
                // connection failed mid-body; PipeReader.ReadAsync rethrows it above.
                ReadToEnd = true;
                return 0;
            }
        }
    }

    /// <summary>A read-only, forward-only stream over the body pipe.</summary>
    private sealed class BodyStream(RequestBody body) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => body.BytesRead; set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            body.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            body.ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        // A synchronous read would park a thread-pool thread until the client sends; refuse it as
        // Kestrel does (AllowSynchronousIO = false).
        public override int Read(byte[] buffer, int offset, int count) =>
            throw new NotSupportedException("Synchronous reads of a request body are not supported; use ReadAsync.");

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
