using System.Buffers;
using System.IO.Pipelines;
using Akka.Actor;
using Akka.IO;

namespace ActorHttp.Client.Connection;

/// <summary>
/// The body stream of a <see cref="ClientResponse"/> served by a <see cref="PersistentConnection"/>: reads
/// the pipe the connection fills, so a caller that reads slowly holds back the socket (the connection reads
/// only while the pipe is under its pause threshold). Disposing it before the end tells the connection, which
/// then drains the rest within the drain bounds or closes; <see cref="Abort"/> closes it without draining.
/// </summary>
/// <remarks>
/// <para><b>Subscription.</b> Until its first read (or dispose, or abort) the body is unclaimed, and the connection may
/// expire it (<see cref="TryExpire"/>, on <c>response-entity-subscription-timeout</c>). Claiming and expiring race on
/// one compare-and-swap, so exactly one of them wins: a caller either reads the body or sees the expiry's error.</para>
/// <para>Ownership: the caller reads and disposes; the connection only calls <see cref="TryExpire"/>.</para>
/// </remarks>
public sealed class ResponseBodyStream : Stream
{
    private const int Unclaimed = 0, Reading = 1, Ended = 2, Disposed = 3, Expired = 4;

    private readonly PipeReader _reader;
    private readonly IActorRef _connection;
    private readonly object _abandoned;
    private readonly object? _aborted;
    private int _state; // Unclaimed, Reading, Ended, Disposed or Expired
    private Exception? _expiry;
    // Made on the first WhenReleased only: most bodies are never asked.
    private TaskCompletionSource? _released;
    // The pipe read that ReadNowOrNotify left waiting; owned by the caller's reads, like the pipe's reader.
    private ValueTask<ReadResult>? _pending;

    /// <summary>Reads <paramref name="reader"/>; tells <paramref name="connection"/> <paramref name="abandoned"/> when disposed before
    /// the end, and <paramref name="aborted"/> (when given) on <see cref="Abort"/>.</summary>
    public ResponseBodyStream(PipeReader reader, IActorRef connection, object abandoned, object? aborted = null)
    {
        _reader = reader;
        _connection = connection;
        _abandoned = abandoned;
        _aborted = aborted;
    }

    /// <summary>True once a read, a dispose or an abort has claimed the body (it can no longer expire).</summary>
    public bool IsClaimed => Volatile.Read(ref _state) is not (Unclaimed or Expired);

    /// <summary>
    /// Claims the body without reading it, so that it can no longer expire: for callers whose contract puts no bound
    /// between the head and the first read (<see cref="ActorHttpHandler"/>: HttpClient's). False if it already expired.
    /// </summary>
    public bool TryClaim()
    {
        var was = Interlocked.CompareExchange(ref _state, Reading, Unclaimed);
        return was != Expired;
    }

    /// <summary>
    /// Fails the body with <paramref name="error"/> if nobody has claimed it yet; the connection calls it when the
    /// subscription timeout fires, and closes itself when it returns true.
    /// </summary>
    public bool TryExpire(Exception error)
    {
        _expiry = error;
        if (Interlocked.CompareExchange(ref _state, Expired, Unclaimed) != Unclaimed) return false;
        Volatile.Read(ref _released)?.TrySetResult();
        return true;
    }

    /// <summary>
    /// Completes once the body no longer holds its connection for the caller: read to the end, disposed, aborted or expired.
    /// A pool flow frees a request slot then (after a dispose the connection may still be draining, briefly).
    /// </summary>
    public Task WhenReleased()
    {
        var released = Volatile.Read(ref _released);
        if (released is null)
        {
            Interlocked.CompareExchange(ref _released, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null);
            released = _released!;
        }
        // Checked after publishing the source: a release racing this call either sees it or is seen here.
        if (Volatile.Read(ref _state) is Ended or Disposed or Expired) released.TrySetResult();
        return released.Task;
    }

    /// <summary>
    /// Gives up the body and its connection: the connection is closed, not drained nor reused (a Source's cancellation:
    /// Akka HTTP closes the connection of a cancelled entity stream too). Without an abort message, the same as dispose.
    /// </summary>
    public void Abort()
    {
        var previous = Interlocked.Exchange(ref _state, Disposed);
        if (previous is Disposed or Expired) return;
        _reader.Complete();
        if (previous != Ended) _connection.Tell(_aborted ?? _abandoned, ActorRefs.NoSender);
        Volatile.Read(ref _released)?.TrySetResult();
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
    /// <remarks>The pipe wakes a waiting read inline, on the connection's event loop (see <see cref="PipeOptions"/>); a read
    /// that had to wait moves to the thread pool before it copies and returns, so the caller's code never runs on the loop.</remarks>
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            var state = Claim();
            if (state == Ended || buffer.IsEmpty) return ValueTask.FromResult(0);
            while (true)
            {
                var read = _reader.ReadAsync(cancellationToken);
                if (!read.IsCompleted) return WaitAsync(read, buffer, cancellationToken);
                if (Take(read.GetAwaiter().GetResult(), buffer.Span) is var n and >= 0) return ValueTask.FromResult(n);
            }
        }
        // As from an async method: the failure (or cancellation) is the task's, not thrown by the call.
        catch (OperationCanceledException e) when (e.CancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<int>(e.CancellationToken);
        }
        catch (Exception e)
        {
            return ValueTask.FromException<int>(e);
        }
    }

    private async ValueTask<int> WaitAsync(ValueTask<ReadResult> read, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await read.ConfigureAwait(false);
            await ThreadPoolHop.Instance;
            if (Take(result, buffer.Span) is var n and >= 0) return n;
            read = _reader.ReadAsync(cancellationToken);
        }
    }

    /// <summary>
    /// The <see cref="ActorHttp.Streams.BodySource"/>'s read, without the Stream view's hop to the thread pool: a string of up to
    /// <paramref name="max"/> bytes that are buffered now, <see cref="ByteString.Empty"/> at the end, or null when nothing is
    /// buffered yet; then <paramref name="onReady"/> runs once a call can make progress, possibly on the connection's event
    /// loop, so it must only hand over (a stage's async callback does: it posts to the stream's actor).
    /// </summary>
    internal ByteString? ReadNowOrNotify(int max, Action onReady, CancellationToken cancellationToken)
    {
        var state = Claim();
        if (state == Ended) return ByteString.Empty;
        while (true)
        {
            ValueTask<ReadResult> read;
            if (_pending is { } pending)
            {
                _pending = null;
                read = pending;
            }
            else
            {
                read = _reader.ReadAsync(cancellationToken);
                if (!read.IsCompleted)
                {
                    _pending = read;
                    read.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(onReady);
                    return null;
                }
            }
            var result = read.GetAwaiter().GetResult();
            var data = result.Buffer;
            if (!data.IsEmpty)
            {
                // One copy, into an array the string then owns (under the large-object threshold: max is the stage's 64 KiB),
                // not zeroed first since the copy fills it: clearing fresh arrays was 4 % of a Source download's CPU.
                var bytes = GC.AllocateUninitializedArray<byte>((int)Math.Min(max, data.Length));
                data.Slice(0, bytes.Length).CopyTo(bytes);
                _reader.AdvanceTo(data.GetPosition(bytes.Length));
                return ByteString.FromBytes(bytes);
            }
            if (End(result)) return ByteString.Empty;
        }
    }

    // The first read claims the body; it races the connection's expiry on this one swap.
    private int Claim()
    {
        var state = Volatile.Read(ref _state);
        if (state == Unclaimed)
        {
            var was = Interlocked.CompareExchange(ref _state, Reading, Unclaimed);
            state = was == Unclaimed ? Reading : was;
        }
        if (state == Expired) throw _expiry!;
        ObjectDisposedException.ThrowIf(state == Disposed, this);
        return state;
    }

    // Copies what a pipe read gave into buffer: the count, 0 at the end, or -1 when it gave nothing (read again).
    private int Take(ReadResult result, Span<byte> buffer)
    {
        var data = result.Buffer;
        if (!data.IsEmpty)
        {
            var n = (int)Math.Min(buffer.Length, data.Length);
            data.Slice(0, n).CopyTo(buffer);
            _reader.AdvanceTo(data.GetPosition(n));
            return n;
        }
        return End(result) ? 0 : -1;
    }

    // After an empty pipe read: true, and the body marked ended, if the writer has completed.
    private bool End(ReadResult result)
    {
        _reader.AdvanceTo(result.Buffer.End);
        if (!result.IsCompleted) return false;
        Interlocked.CompareExchange(ref _state, Ended, Reading);
        Volatile.Read(ref _released)?.TrySetResult();
        return true;
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
        var previous = Interlocked.Exchange(ref _state, Disposed);
        if (previous is Disposed) return;
        _reader.Complete();
        if (previous is Unclaimed or Reading) _connection.Tell(_abandoned, ActorRefs.NoSender);
        Volatile.Read(ref _released)?.TrySetResult();
        base.Dispose(disposing);
    }
}
