using System.Buffers;
using System.IO.Pipelines;

namespace ActorHttp.Client;

/// <summary>
/// A <see cref="RequestContent"/> read from a <see cref="PipeReader"/> until the writer completes;
/// never replayable. The reader is completed once the copy ends, successfully or not.
/// </summary>
public sealed class PipeRequestContent : RequestContent
{
    private readonly PipeReader _reader;
    private readonly long? _length;

    /// <summary>Content of <paramref name="reader"/>; <paramref name="length"/> null means unknown (chunked).</summary>
    public PipeRequestContent(PipeReader reader, long? length = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentOutOfRangeException.ThrowIfNegative(length ?? 0, nameof(length));
        _reader = reader;
        _length = length;
    }

    /// <inheritdoc />
    public override long? Length => _length;

    /// <inheritdoc />
    public override bool IsReplayable => false;

    /// <inheritdoc />
    protected override async Task SerializeAsync(Stream destination, CancellationToken ct)
    {
        long sent = 0;
        Exception? failure = null;
        try
        {
            while (true)
            {
                var result = await _reader.ReadAsync(ct).ConfigureAwait(false);
                foreach (var segment in result.Buffer)
                {
                    sent += segment.Length;
                    if (sent > _length) throw new IOException($"The request content pipe produced more than its declared {_length} bytes.");
                    await destination.WriteAsync(segment, ct).ConfigureAwait(false);
                }
                _reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled) break;
            }
            if (_length is { } n && sent != n)
                throw new IOException($"The request content pipe ended after {sent} of its declared {n} bytes.");
        }
        catch (Exception e)
        {
            failure = e;
            throw;
        }
        finally
        {
            await _reader.CompleteAsync(failure).ConfigureAwait(false);
        }
    }
}
