using System.Buffers;
using ActorHttp.Protocol;

namespace ActorHttp.Client.Connection;

/// <summary>
/// Frames a request body of unknown length as chunked transfer coding (RFC 9112 §7.1) on its way to the
/// connection's stream: each write becomes one chunk; <see cref="FinishAsync"/> writes the last chunk.
/// </summary>
public sealed class ChunkedBodyStream : WriteOnlyStream
{
    private readonly Stream _inner;
    private readonly ArrayBufferWriter<byte> _frame = new(256);

    /// <summary>Frames onto <paramref name="inner"/>, which it does not own.</summary>
    public ChunkedBodyStream(Stream inner) => _inner = inner;

    /// <inheritdoc />
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty) return; // an empty chunk would be the last one
        _frame.ResetWrittenCount();
        ChunkedEncoder.WriteChunk(_frame, buffer.Span);
        await _inner.WriteAsync(_frame.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the last chunk and the empty trailer section.</summary>
    public async Task FinishAsync(CancellationToken ct)
    {
        _frame.ResetWrittenCount();
        ChunkedEncoder.WriteFinalChunk(_frame);
        await _inner.WriteAsync(_frame.WrittenMemory, ct).ConfigureAwait(false);
    }
}
