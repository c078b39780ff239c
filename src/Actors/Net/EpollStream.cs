using System.Net.Sockets;
using System.Threading.Tasks.Sources;
using ActorHttp.Net.Epoll;

namespace ActorHttp.Net;

/// <summary>
/// A <see cref="Stream"/> over a non-blocking socket registered with an event loop (<see cref="EpollSocket"/>): the
/// transport under a server TLS connection's <see cref="System.Net.Security.SslStream"/>, in place of a
/// <see cref="NetworkStream"/> on the runtime's socket engine.
/// </summary>
/// <remarks>
/// <para><b>Why.</b> Over a <see cref="NetworkStream"/> every TLS read that waits finishes on the runtime's epoll thread,
/// hops to the thread pool, and only then tells the reader actor, which runs on yet another thread; and every wait first
/// tries a <c>recv</c> that fails with EAGAIN. Here the reads and writes are non-blocking system calls made in the caller's
/// turn, so a read whose record is already there is decrypted and handed over without leaving it; one that waits parks
/// on the loop, and the loop's thread finishes it and runs <see cref="System.Net.Security.SslStream"/>'s continuation
/// (decryption, then the reader's completion tell, which lands on the same loop's run queue) inline.</para>
/// <para><b>No drained shortcut.</b> <see cref="Epoll.EpollReceiver"/> parks a wait without a system call after a short read
/// (nginx's rule). Here that rule lost wake-ups under <see cref="System.Net.Security.SslStream"/> (a keep-alive connection
/// under wrk stalled until the peer's next ACK raised another edge; the cause was not found), so every wait asks the kernel
/// once with a one-byte peek before it parks; the readable edge that wakes it is then taken at its word. Per keep-alive request
/// that is nginx's count: one <c>recv</c> that finds nothing, one that reads, one send.</para>
/// <para><b>Zero-byte reads</b> wait for data without a buffer (<see cref="System.Net.Security.SslStream"/> passes its
/// caller's zero-byte read down when it holds nothing, and rents its own buffer only once this returns), so an idle TLS
/// connection holds no receive buffer here either. The kernel is asked with a one-byte peek. A zero-byte read also returns
/// at the peer's FIN or an error: the read that follows reports them.</para>
/// <para><b>Threads.</b> At most one read (or peek) and one write at a time, as <see cref="System.Net.Security.SslStream"/>
/// issues them. A parked operation finishes exactly once, by whichever comes first: the loop (the socket became ready),
/// its cancellation token (the handshake timeout), or <see cref="Dispose(bool)"/>, which fails it with
/// <see cref="ObjectDisposedException"/>: closing a descriptor reports nothing to epoll, and an operation nobody finishes
/// would hold its caller forever. Continuations run where the operation finishes (the loop's thread, the timer's, the
/// disposer's); what runs on this stream's operations is the server's own code, none of which blocks.</para>
/// <para>Asynchronous only: the synchronous <see cref="Read(byte[], int, int)"/> and <see cref="Write(byte[], int, int)"/>
/// would block an event loop and are not supported. The socket stays the caller's: disposing the stream does not close it.</para>
/// </remarks>
internal sealed class EpollStream : Stream
{
    private readonly Socket _socket;
    private readonly EpollSocket _epoll;
    private readonly Operation _read;
    private readonly Operation _write;
    private volatile bool _disposed;
    private readonly byte[] _probe = new byte[1];   // a zero-byte read's peek: read by the kernel, never by us

    /// <param name="socket">A non-blocking socket, never used with the runtime's asynchronous operations.</param>
    /// <param name="epoll">Its registration with its event loop.</param>
    public EpollStream(Socket socket, EpollSocket epoll)
    {
        _socket = socket;
        _epoll = epoll;
        _read = new Operation(this, Direction.Read);
        _write = new Operation(this, Direction.Write);
    }

    public override bool CanRead => !_disposed;
    public override bool CanWrite => !_disposed;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc />
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _read.StartRead(buffer, peek: false, cancellationToken);

    /// <summary>Reads without consuming: the bytes stay for the next read (the handshake's first-byte check).</summary>
    public ValueTask<int> PeekAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _read.StartRead(buffer, peek: true, cancellationToken);

    /// <inheritdoc />
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _write.StartWrite(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Writes go to the kernel as they are made: there is nothing to flush.
    public override void Flush() { }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("EpollStream is asynchronous only: a blocking read would stall its event loop.");

    public override void Write(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("EpollStream is asynchronous only: a blocking write would stall its event loop.");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _read.Abort(null);
            _write.Abort(null);
        }
        base.Dispose(disposing);
    }

    private enum Direction { Read, Write }

    // An operation's states: idle or running in its caller's turn; parked on the socket; finished by whoever took it
    // out of Parked first (Interlocked: the loop, the cancellation, or Dispose).
    private const int Running = 0;
    private const int Parked = 1;
    private const int Finished = 2;

    /// <summary>
    /// One direction's operation, reused for every read (or write): a parked one is the <see cref="IValueTaskSource"/>
    /// behind the caller's task, and the <see cref="IEpollWaiter"/> the loop wakes.
    /// </summary>
    private sealed class Operation(EpollStream stream, Direction direction) : IValueTaskSource<int>, IValueTaskSource, IEpollWaiter
    {
        private ManualResetValueTaskSourceCore<int> _core;   // RunContinuationsAsynchronously false: the finisher runs them
        private int _state = Finished;
        private Memory<byte> _buffer;
        private ReadOnlyMemory<byte> _data;                  // a write's bytes not yet sent
        private bool _peek;
        private CancellationToken _token;
        private CancellationTokenRegistration _cancellation;

        public ValueTask<int> StartRead(Memory<byte> buffer, bool peek, CancellationToken ct)
        {
            if (stream._disposed) return ValueTask.FromException<int>(new ObjectDisposedException(nameof(EpollStream)));
            if (ct.IsCancellationRequested) return ValueTask.FromCanceled<int>(ct);
            _buffer = buffer;
            _peek = peek;
            if (!RunInline(ct, out var result, out var error)) return new ValueTask<int>(this, _core.Version);
            return error is null ? new ValueTask<int>(result) : ValueTask.FromException<int>(error);
        }

        public ValueTask StartWrite(ReadOnlyMemory<byte> data, CancellationToken ct)
        {
            if (stream._disposed) return ValueTask.FromException(new ObjectDisposedException(nameof(EpollStream)));
            if (ct.IsCancellationRequested) return ValueTask.FromCanceled(ct);
            _data = data;
            if (!RunInline(ct, out _, out var error)) return new ValueTask(this, _core.Version);
            return error is null ? default : ValueTask.FromException(error);
        }

        // Runs the operation in the caller's turn. True when it finished there (result or error); false when it parked, or
        // was finished meanwhile by Dispose: then the core carries the outcome.
        private bool RunInline(CancellationToken ct, out int result, out Exception? error)
        {
            _core.Reset();
            _token = ct;
            // Registered before the attempt and disposed when the operation finishes, so that no callback of this token can
            // reach a later operation (Dispose waits for one that runs). A cancellation while not yet parked is seen below.
            _cancellation = ct.CanBeCanceled ? ct.UnsafeRegister(static s => ((Operation)s!).Abort(cancelled: true), this) : default;
            Volatile.Write(ref _state, Running);
            switch (Attempt(woken: false, out result, out error))
            {
                case Outcome.Parked:
                    if (ct.IsCancellationRequested) Abort(cancelled: true);
                    return false;
                case Outcome.Stopped:
                    return false;
                default:
                    Volatile.Write(ref _state, Finished);
                    _cancellation.Dispose();
                    return true;
            }
        }

        void IEpollWaiter.OnReady()
        {
            // Cancelled or disposed meanwhile, or a stale wake-up of an earlier operation: nothing to do.
            if (Interlocked.CompareExchange(ref _state, Running, Parked) != Parked) return;
            var outcome = Attempt(woken: true, out var result, out var error);
            if (outcome != Outcome.Done) return;
            Complete(result, error);
        }

        // The token was cancelled (cancelled: true) or the stream disposed (null): a parked operation fails.
        public void Abort(bool? cancelled)
        {
            if (Interlocked.CompareExchange(ref _state, Finished, Parked) != Parked) return;
            stream._epoll.Forget(this);
            _cancellation.Dispose();
            _buffer = default;
            _data = default;
            _core.SetException(cancelled == true ? new OperationCanceledException(_token) : new ObjectDisposedException(nameof(EpollStream)));
        }

        private void Complete(int result, Exception? error)
        {
            Volatile.Write(ref _state, Finished);
            _cancellation.Dispose();
            if (error is not null) _core.SetException(error);
            else _core.SetResult(result);
        }

        private enum Outcome { Done, Parked, Stopped }

        // Tries until the operation is done or parks. Called with _state Running; woken: the socket reported readiness (or an
        // error) since the operation parked.
        private Outcome Attempt(bool woken, out int result, out Exception? error)
        {
            result = 0;
            error = null;
            while (true)
            {
                if (stream._disposed)
                {
                    error = new ObjectDisposedException(nameof(EpollStream));
                    return Outcome.Done;
                }

                var step = direction == Direction.Read ? TryRead(woken, out result, out error, out var edges) : TryWrite(out error, out edges);
                if (step) return Outcome.Done;
                // Would block: park unless an edge came since the attempt (then try again at once).
                Volatile.Write(ref _state, Parked);
                var parked = direction == Direction.Read ? stream._epoll.TryWaitReadable(edges, this) : stream._epoll.TryWaitWritable(edges, this);
                if (parked) return Outcome.Parked;
                if (Interlocked.CompareExchange(ref _state, Running, Parked) != Parked) return Outcome.Stopped;
                woken = true;
            }
        }

        // One receive. True when done (result or error); false when it would block, with the edge count seen before it.
        private bool TryRead(bool woken, out int result, out Exception? error, out int edges)
        {
            result = 0;
            error = null;
            edges = stream._epoll.ReadEdges;
            // A zero-byte read asks the kernel with a one-byte peek, once: data, the end or an error finish it (0), and the
            // read that follows takes them. Woken by the socket's readable edge, it finishes without asking again (an edge
            // that found nothing to read costs the following read one EAGAIN and a park with its buffer).
            var waitOnly = _buffer.IsEmpty;
            if (waitOnly && woken) return true;
            int received;
            SocketError socketError;
            try
            {
                received = waitOnly
                    ? stream._socket.Receive(stream._probe, SocketFlags.Peek, out socketError)
                    : stream._socket.Receive(_buffer.Span, _peek ? SocketFlags.Peek : SocketFlags.None, out socketError);
            }
            catch (ObjectDisposedException e)
            {
                error = e;
                return true;
            }

            if (socketError == SocketError.WouldBlock) return false;
            _buffer = default;
            if (waitOnly) return true;
            if (socketError != SocketError.Success)
            {
                error = new IOException($"Unable to read data from the transport connection: {socketError}.", new SocketException((int)socketError));
                return true;
            }

            result = received;
            return true;
        }

        // Sends until every byte is in the kernel. True when done; false when it would block.
        private bool TryWrite(out Exception? error, out int edges)
        {
            error = null;
            while (true)
            {
                edges = stream._epoll.WriteEdges;
                if (_data.IsEmpty) return true;
                int sent;
                SocketError socketError;
                try
                {
                    sent = stream._socket.Send(_data.Span, SocketFlags.None, out socketError);
                }
                catch (ObjectDisposedException e)
                {
                    error = e;
                    return true;
                }

                if (socketError == SocketError.WouldBlock) return false;
                if (socketError != SocketError.Success)
                {
                    _data = default;
                    error = new IOException($"Unable to write data to the transport connection: {socketError}.", new SocketException((int)socketError));
                    return true;
                }

                _data = _data[sent..];
            }
        }

        int IValueTaskSource<int>.GetResult(short token) => _core.GetResult(token);

        void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

        ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token) => _core.GetStatus(token);

        ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

        void IValueTaskSource<int>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);

        void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }
}
