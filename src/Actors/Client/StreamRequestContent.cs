namespace ActorHttp.Client;

/// <summary>
/// A <see cref="RequestContent"/> read from a <see cref="Stream"/>. Replayable when the stream can
/// seek: the position at construction is where every copy starts. The content does not dispose
/// the stream; its creator does, after the response arrived.
/// </summary>
public sealed class StreamRequestContent : RequestContent
{
    private readonly Stream _stream;
    private readonly long _start;
    private readonly long? _length;

    /// <summary>Content of <paramref name="stream"/> from its current position.</summary>
    /// <param name="stream">A readable stream.</param>
    /// <param name="length">Bytes to send; null for the rest of a seekable stream, or unknown (chunked) for one that cannot seek.</param>
    public StreamRequestContent(Stream stream, long? length = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead) throw new ArgumentException("The stream must be readable.", nameof(stream));
        ArgumentOutOfRangeException.ThrowIfNegative(length ?? 0, nameof(length));
        _stream = stream;
        _start = stream.CanSeek ? stream.Position : 0;
        _length = length ?? (stream.CanSeek ? stream.Length - _start : null);
    }

    /// <inheritdoc />
    public override long? Length => _length;

    /// <inheritdoc />
    public override bool IsReplayable => _stream.CanSeek;

    /// <inheritdoc />
    protected override async Task SerializeAsync(Stream destination, CancellationToken ct)
    {
        if (_length is not { } remaining)
        {
            await _stream.CopyToAsync(destination, ct).ConfigureAwait(false);
            return;
        }
        // A declared length is a promise on the wire: send exactly that, and fail rather than
        // send a short body that would desynchronise the connection.
        var buffer = new byte[(int)Math.Clamp(remaining, 1, 81920)];
        while (remaining > 0)
        {
            int n = await _stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(remaining, buffer.Length)), ct).ConfigureAwait(false);
            if (n == 0) throw new IOException($"The request content stream ended {remaining} bytes before its declared length.");
            await destination.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
            remaining -= n;
        }
    }

    /// <inheritdoc />
    protected override void RewindCore() => _stream.Position = _start;
}
