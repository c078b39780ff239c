using Akka.Actor;

namespace ActorHttp.Client.Connection;

/// <summary>
/// The writer child of a <see cref="PersistentConnection"/> (Go's <c>persistConn.writeLoop</c>): writes a
/// request body when told, and reports <see cref="BodyWritten"/> or <see cref="WriteFailed"/> to its parent.
/// One write is in flight at a time; the parent sequences them.
/// </summary>
/// <remarks>
/// The head is written by the parent itself (a send that fits the socket buffer completes at once, so the
/// common request costs no hop here and back); the parent reports its outcome with the same
/// <see cref="HeadWritten"/> and <see cref="WriteFailed"/> events. Bodies come here because they stream:
/// a copy from the caller's content may wait on the caller and on the socket for as long as it likes.
/// </remarks>
public sealed class ConnectionWriter : ReceiveActor
{
    /// <summary>Command: copy <paramref name="Content"/> to the stream, chunk-framed when <paramref name="Chunked"/>, and flush.</summary>
    public sealed record WriteBody(RequestContent Content, bool Chunked);

    /// <summary>Event (from the parent's own head write): the head is on the wire (handed to the socket).</summary>
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

    private readonly Stream _stream;

    // Cancels a body copy that is still running when the connection goes away.
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>A writer of <paramref name="stream"/> (owned by the parent).</summary>
    public ConnectionWriter(Stream stream)
    {
        _stream = stream;
        var parent = Context.Parent;
        Receive<WriteBody>(m => WriteBodyAsync(m.Content, m.Chunked).PipeTo(parent,
            success: () => BodyWritten.Instance, failure: e => new WriteFailed(e, InBody: true)));
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task WriteBodyAsync(RequestContent content, bool chunked)
    {
        var ct = _stopping.Token;
        if (chunked)
        {
            await using var framed = new ChunkedBodyStream(_stream);
            await content.CopyToAsync(framed, ct).ConfigureAwait(false);
            await framed.FinishAsync(ct).ConfigureAwait(false);
        }
        else
        {
            var checkedStream = new LengthCheckedStream(_stream, content.Length);
            await content.CopyToAsync(checkedStream, ct).ConfigureAwait(false);
            checkedStream.Verify();
        }
        await _stream.FlushAsync(ct).ConfigureAwait(false);
    }
}
