using Akka.Actor;

namespace ActorHttp.Client.Connection;

/// <summary>
/// The <see cref="ConnectionOutput"/> of a <see cref="StreamTransport"/>: a body is copied from its content to the stream
/// (chunk-framed, or checked against its declared length) and flushed; the outcome is piped to the connection.
/// </summary>
internal sealed class StreamOutput(Stream stream, IActorRef connection) : ConnectionOutput
{
    // Cancels a body copy that is still running when the connection goes away.
    private readonly CancellationTokenSource _stopping = new();

    /// <inheritdoc />
    public override void WriteBody(RequestContent content, bool chunked) =>
        CopyAsync(content, chunked, stream, _stopping.Token).PipeTo(connection,
            success: () => ConnectionWriter.BodyWritten.Instance, failure: e => new ConnectionWriter.WriteFailed(e, InBody: true));

    /// <inheritdoc />
    public override void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    /// <summary>Copies <paramref name="content"/> to <paramref name="destination"/>, framed as <paramref name="chunked"/> says, and flushes.</summary>
    internal static async Task CopyAsync(RequestContent content, bool chunked, Stream destination, CancellationToken ct)
    {
        if (chunked)
        {
            await using var framed = new ChunkedBodyStream(destination);
            await content.CopyToAsync(framed, ct).ConfigureAwait(false);
            await framed.FinishAsync(ct).ConfigureAwait(false);
        }
        else
        {
            var checkedStream = new LengthCheckedStream(destination, content.Length);
            await content.CopyToAsync(checkedStream, ct).ConfigureAwait(false);
            checkedStream.Verify();
        }
        await destination.FlushAsync(ct).ConfigureAwait(false);
    }
}
