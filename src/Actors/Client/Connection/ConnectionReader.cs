using System.Buffers;
using Akka.Actor;
using Akka.Event;

namespace ActorHttp.Client.Connection;

/// <summary>
/// The reader child of a <see cref="PersistentConnection"/> (Go's <c>persistConn.readLoop</c>): on each <see cref="Read"/> it reads
/// once from the connection's transport and reports the outcome to its parent as <see cref="Received"/>, <see cref="PeerClosed"/>
/// or <see cref="ReadFailed"/>.
/// </summary>
/// <remarks>
/// <para>Reading is pulled, one read per command, as Akka's <c>ResumeReading</c>: the parent asks again only when it can take more,
/// which is how a slow body consumer holds back the socket. While the connection is idle the parent keeps one read outstanding, so
/// a server that closes an idle connection is noticed at once. An idle connection's read waits for data without a buffer first, so
/// thousands of idle connections hold no read buffers.</para>
/// <para>How a read is made is the transport's (<see cref="ConnectionInput"/>): on a stream, the outcome goes straight to the parent
/// from the thread that completed it; on an event loop's socket, a read that waits finishes in a turn of this actor, on the loop's
/// thread, right after the poll that saw the data.</para>
/// </remarks>
public sealed class ConnectionReader : ActorBase
{
    /// <summary>Command: read once. <paramref name="WhenIdle"/>: first wait for data without a buffer (a zero-byte
    /// read), so an idle connection holds no read buffer while it waits, possibly for minutes. <paramref name="ForBody"/>:
    /// into the larger body buffer, for a response body that goes on past what is buffered.</summary>
    public sealed record Read(bool WhenIdle, bool ForBody = false)
    {
        /// <summary>Read now, into a buffer.</summary>
        public static readonly Read Now = new(false);

        /// <summary>Wait for data (or the close) without a buffer, then read.</summary>
        public static readonly Read Idle = new(true);

        /// <summary>Read now, into the body buffer.</summary>
        public static readonly Read Body = new(false, ForBody: true);
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

    // The event loop finished a receive that waited; its result is in the input's receiver.
    private sealed class ReceiveCompleted : IDeadLetterSuppression
    {
        public static readonly ReceiveCompleted Instance = new();
        private ReceiveCompleted() { }
    }

    // Owned by this actor.
    private readonly ConnectionInput _input;
    private readonly int _bufferSize, _bodyBufferSize;

    internal ConnectionReader(ConnectionTransport transport, int bufferSize, int bodyBufferSize)
    {
        _input = transport.OpenInput(Self, ReceiveCompleted.Instance, Context.Parent);
        _bufferSize = bufferSize;
        _bodyBufferSize = bodyBufferSize;
    }

    /// <inheritdoc />
    protected override bool Receive(object message)
    {
        switch (message)
        {
            case Read read:
                _input.Read(read.WhenIdle, read.ForBody ? _bodyBufferSize : _bufferSize);
                return true;
            case ReceiveCompleted:
                _input.OnReceiveCompleted();
                return true;
            default:
                return false;
        }
    }

    /// <inheritdoc />
    protected override void PostStop() => _input.Dispose();
}
