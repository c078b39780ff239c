using System.IO.Pipelines;
using System.Text;

namespace ActorHttp.Client;

/// <summary>
/// The body of a <see cref="ClientRequest"/>: bytes pushed to a destination on demand, never
/// buffered by the client. <see cref="Length"/> decides the framing the transport writes
/// (known: <c>Content-Length</c>; null: chunked). <see cref="IsReplayable"/> with
/// <see cref="Rewind"/> is the contract that retries and 307/308 redirects rely on.
/// </summary>
/// <remarks>
/// <para>Replay: a replayable content can be copied again after <see cref="Rewind"/>; the client
/// calls it before re-sending a body on a redirect, the transport before a retry. A content that
/// is not replayable (a forward-only stream, a pipe) can be copied once; a second copy throws
/// <see cref="InvalidOperationException"/>, so a body is never sent truncated.</para>
/// <para>Whoever copies the content owns it for the copy; the content itself never closes the
/// destination.</para>
/// </remarks>
public abstract class RequestContent
{
    private int _copies;

    /// <summary>Number of bytes the copy will produce, or null when unknown (the transport sends it chunked).</summary>
    public abstract long? Length { get; }

    /// <summary>True when the content can be produced again from its start after <see cref="Rewind"/>.</summary>
    public abstract bool IsReplayable { get; }

    /// <summary>True once a copy has started; for a content that is not replayable, it cannot be sent again.</summary>
    public bool HasStarted => Volatile.Read(ref _copies) > 0;

    /// <summary>Content of the given bytes; replayable. The memory must not change while the request lives.</summary>
    public static RequestContent FromBytes(ReadOnlyMemory<byte> bytes) => new ByteArrayRequestContent(bytes);

    /// <summary>Content of <paramref name="text"/> in <paramref name="encoding"/> (UTF-8 when null); replayable.</summary>
    public static RequestContent FromString(string text, Encoding? encoding = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new ByteArrayRequestContent((encoding ?? Encoding.UTF8).GetBytes(text));
    }

    /// <summary>
    /// Content read from <paramref name="stream"/> from its current position; replayable when the
    /// stream can seek. <paramref name="length"/> null means: the rest of a seekable stream, or
    /// unknown (chunked) otherwise. The stream is not disposed by the content.
    /// </summary>
    public static RequestContent FromStream(Stream stream, long? length = null) => new StreamRequestContent(stream, length);

    /// <summary>Content read from <paramref name="reader"/> to its completion; not replayable. The reader is completed after the copy.</summary>
    public static RequestContent FromPipe(PipeReader reader, long? length = null) => new PipeRequestContent(reader, length);

    /// <summary>Writes the content to <paramref name="destination"/>, from its start.</summary>
    /// <exception cref="InvalidOperationException">The content is not replayable and was already copied.</exception>
    public Task CopyToAsync(Stream destination, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(destination);
        BeginCopy();
        return SerializeAsync(destination, ct);
    }

    /// <summary>Writes the content to <paramref name="destination"/>, from its start, and flushes it; does not complete the writer.</summary>
    /// <exception cref="InvalidOperationException">The content is not replayable and was already copied.</exception>
    public async Task CopyToAsync(PipeWriter destination, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(destination);
        BeginCopy();
        await SerializeAsync(destination, ct).ConfigureAwait(false);
        await destination.FlushAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Returns a replayable content to its start, so the next copy produces the same bytes.</summary>
    /// <exception cref="InvalidOperationException">The content is not replayable.</exception>
    public void Rewind()
    {
        if (!IsReplayable) throw new InvalidOperationException($"{GetType().Name} cannot be replayed.");
        RewindCore();
        Volatile.Write(ref _copies, 0);
    }

    /// <summary>Writes every byte to a stream.</summary>
    protected abstract Task SerializeAsync(Stream destination, CancellationToken ct);

    /// <summary>Writes every byte to a pipe; by default through a stream view of it.</summary>
    protected virtual Task SerializeAsync(PipeWriter destination, CancellationToken ct) =>
        SerializeAsync(destination.AsStream(leaveOpen: true), ct);

    /// <summary>Resets the source to the start; only called when <see cref="IsReplayable"/>.</summary>
    protected virtual void RewindCore() { }

    /// <inheritdoc />
    public override string ToString() =>
        $"{GetType().Name}({(Length is { } n ? $"{n} bytes" : "length unknown")}{(IsReplayable ? ", replayable" : "")})";

    private void BeginCopy()
    {
        // Counting copies lets a one-shot source fail loudly on a second send instead of
        // producing an empty or partial body that the server would take for the whole.
        if (Interlocked.Increment(ref _copies) > 1 && !IsReplayable)
            throw new InvalidOperationException($"{GetType().Name} is not replayable and was already sent.");
    }
}
