using System.Buffers;
using ActorHttp.Kernel;

namespace ActorHttp.Client.Connection;

/// <summary>
/// The reader child of a <see cref="PersistentConnection"/> (Go's <c>persistConn.readLoop</c>): on each
/// <see cref="Read"/> it issues one asynchronous read on the connection's stream and reports the outcome
/// to its parent as <see cref="Received"/>, <see cref="PeerClosed"/> or <see cref="ReadFailed"/>.
/// </summary>
/// <remarks>
/// Reading is pulled, one read per command, as Akka's <c>ResumeReading</c>: the parent asks again only when it
/// can take more, which is how a slow body consumer holds back the socket. While the connection is idle the
/// parent keeps one read outstanding, so a server that closes an idle connection is noticed at once.
/// The completion goes straight to the parent (no hop through this actor): the parent already knows
/// whether a read is outstanding, so this actor keeps no state besides the stream. An idle connection's
/// read is a zero-byte read first, so thousands of idle connections hold no read buffers.
/// </remarks>
public sealed class ConnectionReader : ReceiveActor, INonBlockingActor
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

    /// <summary>A reader of <paramref name="stream"/> (owned by the parent) in reads of <paramref name="bufferSize"/> bytes.</summary>
    public ConnectionReader(Stream stream, int bufferSize)
    {
        _stream = stream;
        _bufferSize = bufferSize;
        var parent = Context.Parent;
        Receive<Read>(m => _ = ReadAsync(m.WhenIdle, parent));
    }

    // Reports the outcome itself rather than through PipeTo: one state machine per read instead of three objects,
    // and the completion can run the parent's turn on the completing thread (ActorCompletion).
    private async Task ReadAsync(bool whenIdle, IActorRef parent)
    {
        object outcome;
        byte[]? buffer = null;
        try
        {
            // A zero-byte read completes when data arrives or the server closes, and holds no buffer meanwhile.
            if (whenIdle) await _stream.ReadAsync(Memory<byte>.Empty).ConfigureAwait(false);
            buffer = ArrayPool<byte>.Shared.Rent(_bufferSize);
            int n = await _stream.ReadAsync(buffer).ConfigureAwait(false);
            if (n > 0)
            {
                outcome = new Received(buffer, n);
                buffer = null;
            }
            else
            {
                outcome = PeerClosed.Instance;
            }
        }
        catch (Exception e)
        {
            outcome = new ReadFailed(e);
        }
        if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
        // On the I/O thread that completed the read, the parent's turn runs right here when it is idle.
        ActorCompletion.Tell(parent, outcome);
    }
}
