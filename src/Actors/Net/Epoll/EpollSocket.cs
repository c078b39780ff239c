namespace ActorHttp.Net.Epoll;

/// <summary>
/// One socket's registration with an event loop's epoll set (<see cref="EpollLoop"/>): per
/// direction, a count of the readiness edges seen so far and at most one parked operation.
/// </summary>
/// <remarks>
/// Edge-triggered readiness is only an event, so a lost one is a connection that hangs. The counts
/// close that gap: an operation notes the count before its system call, and when the call finds the
/// socket drained it parks only if no edge came since (<see cref="TryWaitReadable"/>); otherwise it
/// tries again at once. The loop bumps the count and takes the parked operation under the same lock.
/// The lock is uncontended when the socket's actors run on its loop (the design): it is there for an
/// owner dispatched elsewhere, whose turns run on other threads.
/// </remarks>
internal sealed class EpollSocket
{
    private readonly EpollLoop _loop;
    private int _readEdges;
    private int _writeEdges;
    private IEpollWaiter? _reader;
    private IEpollWaiter? _writer;
    private bool _closed;
    private bool _hungUp;

    public EpollSocket(EpollLoop loop, ulong token)
    {
        _loop = loop;
        Token = token;
    }

    /// <summary>Index of the event loop whose thread reports this socket's readiness.</summary>
    public int Loop => _loop.Index;

    /// <summary>The registration's name in the kernel's epoll set.</summary>
    public ulong Token { get; }

    /// <summary>Readable edges seen so far.</summary>
    public int ReadEdges => Volatile.Read(ref _readEdges);

    /// <summary>
    /// True once the peer closed its side, reset, or the socket failed (EPOLLRDHUP, EPOLLHUP, EPOLLERR). Then a short read is no
    /// sign of a drained socket: the end (or the error) that came with the last bytes has no edge of its own still to come.
    /// </summary>
    public bool HungUp => Volatile.Read(ref _hungUp);

    /// <summary>Writable edges seen so far.</summary>
    public int WriteEdges => Volatile.Read(ref _writeEdges);

    /// <summary>Parks <paramref name="waiter"/> until the next readable edge; false (not parked) when one came after <paramref name="observed"/>, or the registration is closed.</summary>
    public bool TryWaitReadable(int observed, IEpollWaiter waiter)
    {
        lock (this)
        {
            if (_closed || _readEdges != observed) return false;
            _reader = waiter;
            return true;
        }
    }

    /// <summary>Parks <paramref name="waiter"/> until the next writable edge; false (not parked) when one came after <paramref name="observed"/>, or the registration is closed.</summary>
    public bool TryWaitWritable(int observed, IEpollWaiter waiter)
    {
        lock (this)
        {
            if (_closed || _writeEdges != observed) return false;
            _writer = waiter;
            return true;
        }
    }

    /// <summary>Unparks <paramref name="waiter"/> if it is parked (its owner is going away).</summary>
    public void Forget(IEpollWaiter waiter)
    {
        lock (this)
        {
            if (ReferenceEquals(_reader, waiter)) _reader = null;
            if (ReferenceEquals(_writer, waiter)) _writer = null;
        }
    }

    /// <summary>The owner closes the socket: the registration is released; parked operations are dropped with it.</summary>
    public void Close()
    {
        lock (this)
        {
            _closed = true;
            _reader = null;
            _writer = null;
        }

        _loop.Release(this);
    }

    /// <summary>The loop, on its thread: <paramref name="events"/> arrived for this socket.</summary>
    internal void OnEvents(uint events)
    {
        IEpollWaiter? reader = null, writer = null;
        lock (this)
        {
            if (_closed) return;
            // Errors and hang-ups wake both directions: the system call each then makes reports them.
            if ((events & (EpollInterop.EPOLLRDHUP | EpollInterop.EPOLLHUP | EpollInterop.EPOLLERR)) != 0) Volatile.Write(ref _hungUp, true);
            if ((events & (EpollInterop.EPOLLIN | EpollInterop.EPOLLRDHUP | EpollInterop.EPOLLHUP | EpollInterop.EPOLLERR)) != 0)
            {
                _readEdges++;
                reader = _reader;
                _reader = null;
            }

            if ((events & (EpollInterop.EPOLLOUT | EpollInterop.EPOLLHUP | EpollInterop.EPOLLERR)) != 0)
            {
                _writeEdges++;
                writer = _writer;
                _writer = null;
            }
        }

        reader?.OnReady();
        writer?.OnReady();
    }
}
