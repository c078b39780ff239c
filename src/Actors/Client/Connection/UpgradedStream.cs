using Akka.Actor;

namespace ActorHttp.Client.Connection;

/// <summary>
/// The body of a 101 (Switching Protocols) response: the connection itself, both ways, for the protocol
/// the server switched to (Go: a 101 response's Body is an <c>io.ReadWriteCloser</c> over the connection).
/// Reads first return the bytes that arrived behind the 101 head, then read the socket; writes go to the
/// socket. One read and one write may run at the same time, as on a socket.
/// </summary>
/// <remarks>
/// The connection has left its pool's idle accounting when this is handed out, but still holds its slot
/// (max-conns-per-host) and owns the socket: disposing this stream closes the socket at once and tells the
/// connection, which stops; the pool then sees it gone and frees the slot.
/// </remarks>
public sealed class UpgradedStream : Stream
{
    private readonly Stream _inner;
    private readonly IActorRef _connection;
    private readonly object _closed;
    private readonly byte[] _early;
    private int _earlyStart;
    private int _disposed;

    /// <summary>A stream over <paramref name="inner"/> that first returns <paramref name="early"/>; tells
    /// <paramref name="connection"/> <paramref name="closed"/> when disposed.</summary>
    public UpgradedStream(Stream inner, ReadOnlySpan<byte> early, IActorRef connection, object closed)
    {
        _inner = inner;
        _early = early.ToArray();
        _connection = connection;
        _closed = closed;
    }

    /// <inheritdoc />
    public override bool CanRead => _disposed == 0;

    /// <inheritdoc />
    public override bool CanWrite => _disposed == 0;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        int n = TakeEarly(buffer);
        return n > 0 || buffer.IsEmpty ? n : _inner.Read(buffer);
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        int n = TakeEarly(buffer.Span);
        return n > 0 || buffer.IsEmpty ? new ValueTask<int>(n) : _inner.ReadAsync(buffer, cancellationToken);
    }

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        _inner.Write(buffer);
    }

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return _inner.WriteAsync(buffer, cancellationToken);
    }

    /// <inheritdoc />
    public override void Flush() => _inner.Flush();

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _inner.Dispose();
            _connection.Tell(_closed, ActorRefs.NoSender);
        }
        base.Dispose(disposing);
    }

    // The early bytes are read by one reader at a time (reads do not overlap), like the socket's.
    private int TakeEarly(Span<byte> buffer)
    {
        int n = Math.Min(buffer.Length, _early.Length - _earlyStart);
        if (n <= 0) return 0;
        _early.AsSpan(_earlyStart, n).CopyTo(buffer);
        _earlyStart += n;
        return n;
    }
}
