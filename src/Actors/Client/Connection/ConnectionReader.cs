using System.Buffers;
using System.Runtime.CompilerServices;
using ActorHttp.Client.Transport;
using Akka.Actor;

namespace ActorHttp.Client.Connection;

/// <summary>
/// The reader child of a <see cref="PersistentConnection"/> (Go's <c>persistConn.readLoop</c>): on each
/// <see cref="Read"/> it issues one asynchronous read on the connection's stream and reports the outcome to its
/// parent as <see cref="Received"/>, <see cref="PeerClosed"/> or <see cref="ReadFailed"/>.
/// </summary>
/// <remarks>
/// <para>Reading is pulled, one read per command, as Akka's <c>ResumeReading</c>: the parent asks again only when it
/// can take more, which is how a slow body consumer holds back the socket. While the connection is idle the parent
/// keeps one read outstanding, so a server that closes an idle connection is noticed at once. An idle connection's
/// read is a zero-byte read first, so thousands of idle connections hold no read buffers.</para>
/// <para>The outcome goes straight to the parent (as Akka.IO's connection reports to its handler), with no turn of
/// this actor: the parent already knows whether a read is outstanding (one at a time). The command costs a turn of
/// this actor per read.</para>
/// </remarks>
public sealed class ConnectionReader : ActorBase
{
    /// <summary>Command: read once. <paramref name="WhenIdle"/>: first wait for data without a buffer (a zero-byte
    /// read), so an idle connection holds no read buffer while it waits, possibly for minutes.</summary>
    public sealed record Read(bool WhenIdle)
    {
        /// <summary>Read now, into a buffer.</summary>
        public static readonly Read Now = new(false);

        /// <summary>Wait for data (or the close) without a buffer, then read.</summary>
        public static readonly Read Idle = new(true);
    }

    /// <summary>Event: bytes arrived. <paramref name="Buffer"/> is rented from <see cref="ArrayPool{T}.Shared"/>; the receiver returns it.</summary>
    public sealed record Received(byte[] Buffer, int Count)
    {
        /// <inheritdoc />
        public override string ToString() => $"Received({Count} bytes)";
    }

    /// <summary>Event: the server closed its side (a read returned 0).</summary>
    public sealed record PeerClosed
    {
        /// <summary>The one instance.</summary>
        public static readonly PeerClosed Instance = new();

        private PeerClosed() { }
    }

    /// <summary>Event: the read failed (reset, TLS error, stream disposed).</summary>
    public sealed record ReadFailed(Exception Cause);

    private readonly Stream _stream;
    private readonly int _bufferSize;
    private readonly IActorRef _connection;
    private readonly Action _onIdleReady;
    private readonly Action _onRead;

    // The read outstanding (at most one: the connection starts the next only after this one's outcome) and,
    // for a buffered read, its buffer.
    private ConfiguredValueTaskAwaitable<int>.ConfiguredValueTaskAwaiter _pending;
    private byte[]? _buffer;

    /// <summary>A reader of <paramref name="stream"/> (owned by the parent) in reads of <paramref name="bufferSize"/> bytes.</summary>
    public ConnectionReader(Stream stream, int bufferSize)
    {
        _stream = stream;
        _bufferSize = bufferSize;
        _connection = Context.Parent;
        _onIdleReady = IdleReady;
        _onRead = ReadDone;
    }

    /// <inheritdoc />
    protected override bool Receive(object message)
    {
        if (message is not Read read) return false;
        Start(read.WhenIdle);
        return true;
    }

    // Not an async method: its state machine box cost ~100 bytes per read. The stream's ValueTasks (a socket's
    // reusable awaitable) are awaited through two delegates made once per connection.

    // One read; whenIdle: first a zero-byte read (see Read).
    private void Start(bool whenIdle)
    {
        if (!whenIdle)
        {
            ReadNow();
            return;
        }
        ValueTask<int> ready;
        try
        {
            ready = _stream.ReadAsync(Memory<byte>.Empty);
        }
        catch (Exception e)
        {
            Report(new ReadFailed(e));
            return;
        }
        _pending = ready.ConfigureAwait(false).GetAwaiter();
        if (_pending.IsCompleted) IdleReady();
        else _pending.UnsafeOnCompleted(_onIdleReady);
    }

    private void IdleReady()
    {
        try
        {
            _pending.GetResult();
        }
        catch (Exception e)
        {
            Report(new ReadFailed(e));
            return;
        }
        ReadNow();
    }

    private void ReadNow()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(_bufferSize);
        ValueTask<int> read;
        try
        {
            read = _stream.ReadAsync(buffer);
        }
        catch (Exception e)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            Report(new ReadFailed(e));
            return;
        }
        _buffer = buffer;
        _pending = read.ConfigureAwait(false).GetAwaiter();
        if (_pending.IsCompleted) ReadDone();
        else _pending.UnsafeOnCompleted(_onRead);
    }

    private void ReadDone()
    {
        var buffer = _buffer!;
        _buffer = null;
        object outcome;
        try
        {
            var n = _pending.GetResult();
            outcome = n > 0 ? new Received(buffer, n) : PeerClosed.Instance;
        }
        catch (Exception e)
        {
            outcome = new ReadFailed(e);
        }
        if (outcome is not Received) ArrayPool<byte>.Shared.Return(buffer);
        Report(outcome);
    }

    // On the I/O thread that completed the read, the connection's turn runs right here when it is idle, and a caller
    // it answered resumes here after it. (A read that completed at once, inside the connection's turn, is simply
    // queued behind that turn.)
    private void Report(object outcome)
    {
        _connection.Tell(outcome, ActorRefs.NoSender);
    }
}
