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
/// whether a read is outstanding, so this actor keeps no state besides the stream.
/// </remarks>
public sealed class ConnectionReader : ReceiveActor
{
    /// <summary>Command: read once.</summary>
    public sealed record Read
    {
        /// <summary>The one instance.</summary>
        public static readonly Read Instance = new();

        private Read() { }
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
        Receive<Read>(_ => StartRead(parent));
    }

    private void StartRead(IActorRef parent)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(_bufferSize);
        _stream.ReadAsync(buffer).AsTask().PipeTo(parent,
            success: n =>
            {
                if (n > 0) return new Received(buffer, n);
                ArrayPool<byte>.Shared.Return(buffer);
                return PeerClosed.Instance;
            },
            failure: e =>
            {
                ArrayPool<byte>.Shared.Return(buffer);
                return new ReadFailed(e);
            });
    }
}
