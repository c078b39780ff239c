using System.Buffers;
using System.IO.Pipelines;
using Akka.Actor;

namespace ActorHttp.Client.Connection;

/// <summary>
/// The body stream of a <see cref="ClientResponse"/> served by a <see cref="PersistentConnection"/>: reads
/// the pipe the connection fills, so a caller that reads slowly holds back the socket (the connection reads
/// only while the pipe is under its pause threshold). Disposing it before the end tells the connection, which
/// then drains the rest within the drain bounds or closes.
/// </summary>
public sealed class ResponseBodyStream : Stream
{
    private readonly PipeReader _reader;
    private readonly IActorRef _connection;
    private readonly object _abandoned;
    private int _state; // 0 reading, 1 ended, 2 disposed

    /// <summary>Reads <paramref name="reader"/>; tells <paramref name="connection"/> <paramref name="abandoned"/> when disposed before the end.</summary>
    public ResponseBodyStream(PipeReader reader, IActorRef connection, object abandoned)
    {
        _reader = reader;
        _connection = connection;
        _abandoned = abandoned;
    }

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _state) == 2, this);
        if (Volatile.Read(ref _state) == 1 || buffer.IsEmpty) return 0;
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var data = result.Buffer;
            if (!data.IsEmpty)
            {
                var n = (int)Math.Min(buffer.Length, data.Length);
                data.Slice(0, n).CopyTo(buffer.Span);
                _reader.AdvanceTo(data.GetPosition(n));
                return n;
            }
            _reader.AdvanceTo(data.End);
            if (result.IsCompleted)
            {
                Volatile.Write(ref _state, 1);
                return 0;
            }
        }
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("Read the response body asynchronously: a synchronous read would block a pool thread on the network.");

    /// <inheritdoc />
    public override void Flush() { }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        var previous = Interlocked.Exchange(ref _state, 2);
        if (previous == 2) return;
        _reader.Complete();
        if (previous == 0) _connection.Tell(_abandoned, ActorRefs.NoSender);
        base.Dispose(disposing);
    }
}
