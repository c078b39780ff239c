using System.Buffers;
using ActorHttp.Client.Transport;
using ActorHttp.Kernel;

namespace ActorHttp.Client.Connection;

/// <summary>
/// The reading side of a <see cref="PersistentConnection"/> (Go's <c>persistConn.readLoop</c>): each
/// <see cref="Start"/> issues one asynchronous read on the connection's stream and reports the outcome to the
/// connection as <see cref="Received"/>, <see cref="PeerClosed"/> or <see cref="ReadFailed"/>.
/// </summary>
/// <remarks>
/// <para>Reading is pulled, one read per call, as Akka's <c>ResumeReading</c>: the connection reads again only when it
/// can take more, which is how a slow body consumer holds back the socket. While the connection is idle it keeps one
/// read outstanding, so a server that closes an idle connection is noticed at once. An idle connection's read is a
/// zero-byte read first, so thousands of idle connections hold no read buffers.</para>
/// <para>Why not a child actor, as Go's readLoop is a goroutine: the connection already knows whether a read is
/// outstanding (one at a time), so a reader actor kept no state besides the stream, and telling it to read cost a
/// turn of its own on every request. The connection starts each read itself (as it writes each head itself), and
/// the completion comes straight back to it, its turn run in place on the completing thread
/// (<see cref="ActorCompletion"/>); callers it answered there are resumed on that thread after it
/// (<see cref="CallerHandoff"/>).</para>
/// </remarks>
public static class ConnectionReader
{
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

    /// <summary>Starts one read of <paramref name="stream"/> into a buffer of <paramref name="bufferSize"/> bytes (after a
    /// zero-byte read when <paramref name="whenIdle"/>); the outcome goes to <paramref name="connection"/>.</summary>
    public static void Start(Stream stream, int bufferSize, bool whenIdle, IActorRef connection) =>
        _ = ReadAsync(stream, bufferSize, whenIdle, connection);

    // Reports the outcome itself rather than through PipeTo: one state machine per read instead of three objects,
    // and the completion can run the connection's turn on the completing thread (ActorCompletion).
    private static async Task ReadAsync(Stream stream, int bufferSize, bool whenIdle, IActorRef connection)
    {
        object outcome;
        byte[]? buffer = null;
        try
        {
            // A zero-byte read completes when data arrives or the server closes, and holds no buffer meanwhile.
            if (whenIdle) await stream.ReadAsync(Memory<byte>.Empty).ConfigureAwait(false);
            buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
            int n = await stream.ReadAsync(buffer).ConfigureAwait(false);
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
        // On the I/O thread that completed the read, the connection's turn runs right here when it is idle, and
        // a caller it answered resumes here after it.
        using (CallerHandoff.Open()) ActorCompletion.Tell(connection, outcome);
    }
}
