using Akka.Actor;

namespace ActorHttp.Client.Connection;

/// <summary>
/// A <see cref="ConnectionTransport"/> over a <see cref="Stream"/>: TLS, a proxy tunnel, or a custom <see cref="IDialer"/>'s stream.
/// Reads and writes are the stream's asynchronous calls; their completions arrive on whatever thread the stream completes them on
/// (the runtime's socket engine or the thread pool), which is why these connections run on Akka's default dispatcher.
/// </summary>
internal sealed class StreamTransport(Stream stream) : ConnectionTransport
{
    /// <inheritdoc />
    // A send into a socket buffer with room completes within WriteAsync (no thread waits); one that must wait (a full buffer, a
    // slow TLS stream) reports the same HeadWritten / WriteFailed the writer would, and nothing else is written until it does.
    public override bool WriteHead(ReadOnlyMemory<byte> head, IActorRef connection, IActorRef writer, CancellationToken ct)
    {
        ValueTask write;
        try
        {
            write = stream.WriteAsync(head, ct);
        }
        catch (Exception e)
        {
            write = ValueTask.FromException(e);
        }
        if (!write.IsCompletedSuccessfully)
        {
            FinishHeadWriteAsync(write, stream, ct).PipeTo(connection, failure: e => new ConnectionWriter.WriteFailed(e, InBody: false));
            return false;
        }
        var flush = stream.FlushAsync(ct);
        if (!flush.IsCompletedSuccessfully)
        {
            FinishHeadWriteAsync(new ValueTask(flush), null, ct).PipeTo(connection, failure: e => new ConnectionWriter.WriteFailed(e, InBody: false));
            return false;
        }
        return true;
    }

    // The slow path of WriteHead, off the actor: waits for the write (then flushes, when flushTo is set).
    private static async Task<object> FinishHeadWriteAsync(ValueTask write, Stream? flushTo, CancellationToken ct)
    {
        await write.ConfigureAwait(false);
        if (flushTo is not null) await flushTo.FlushAsync(ct).ConfigureAwait(false);
        return ConnectionWriter.HeadWritten.Instance;
    }

    /// <inheritdoc />
    public override ConnectionInput OpenInput(IActorRef reader, object receiveCompleted, IActorRef connection) =>
        new StreamInput(stream, connection);

    /// <inheritdoc />
    public override ConnectionOutput OpenOutput(IActorRef writer, IActorRef connection) => new StreamOutput(stream, connection);

    /// <inheritdoc />
    public override Stream TakeOver() => stream;

    /// <inheritdoc />
    public override void Dispose() => stream.Dispose();
}
