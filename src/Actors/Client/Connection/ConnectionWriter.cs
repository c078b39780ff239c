using Akka.Actor;

namespace ActorHttp.Client.Connection;

/// <summary>
/// The writer child of a <see cref="PersistentConnection"/> (Go's <c>persistConn.writeLoop</c>): writes a request body when told,
/// and reports <see cref="BodyWritten"/> or <see cref="WriteFailed"/> to its parent. One write is in flight at a time; the parent
/// sequences them.
/// </summary>
/// <remarks>
/// The head is written by the parent itself (a send that fits the socket buffer completes at once, so the common request costs no
/// hop here and back); the parent reports its outcome with the same <see cref="HeadWritten"/> and <see cref="WriteFailed"/> events.
/// On an event loop's socket, whatever part of a head the kernel did not take comes here (<see cref="WriteHeadRest"/>). Bodies come
/// here because they stream: a copy from the caller's content may wait on the caller and on the socket for as long as it likes.
/// How the bytes go out is the transport's (<see cref="ConnectionOutput"/>).
/// </remarks>
public sealed class ConnectionWriter : ActorBase
{
    /// <summary>Command: copy <paramref name="Content"/> to the connection, chunk-framed when <paramref name="Chunked"/>, and flush.</summary>
    public sealed record WriteBody(RequestContent Content, bool Chunked);

    /// <summary>Command (on an event loop's socket): send <paramref name="Rest"/>, the part of the head the connection could not send at once;
    /// then report <see cref="HeadWritten"/>. The bytes stay unchanged until then.</summary>
    public sealed record WriteHeadRest(ReadOnlyMemory<byte> Rest)
    {
        /// <inheritdoc />
        public override string ToString() => $"WriteHeadRest({Rest.Length} bytes)";
    }

    /// <summary>Event: the head is on the wire (handed to the socket).</summary>
    public sealed record HeadWritten
    {
        /// <summary>The one instance.</summary>
        public static readonly HeadWritten Instance = new();

        private HeadWritten() { }
    }

    /// <summary>Event: the whole body is on the wire.</summary>
    public sealed record BodyWritten
    {
        /// <summary>The one instance.</summary>
        public static readonly BodyWritten Instance = new();

        private BodyWritten() { }
    }

    /// <summary>Event: a write failed; <paramref name="InBody"/> says whether it was the body's (then the content's own error may be the cause).</summary>
    public sealed record WriteFailed(Exception Cause, bool InBody);

    // Owned by this actor.
    private readonly ConnectionOutput _output;

    internal ConnectionWriter(ConnectionTransport transport) => _output = transport.OpenOutput(Self, Context.Parent);

    /// <inheritdoc />
    protected override bool Receive(object message)
    {
        switch (message)
        {
            case WriteBody m:
                _output.WriteBody(m.Content, m.Chunked);
                return true;
            case WriteHeadRest m:
                _output.WriteHeadRest(m.Rest);
                return true;
            default:
                return _output.OnCompleted(message);
        }
    }

    /// <inheritdoc />
    protected override void PostStop() => _output.Dispose();
}
