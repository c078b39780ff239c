using System.IO.Pipelines;

namespace ActorHttp.Client;

/// <summary>A <see cref="RequestContent"/> held in memory: known length, replayable at no cost.</summary>
public sealed class ByteArrayRequestContent : RequestContent
{
    private readonly ReadOnlyMemory<byte> _bytes;

    /// <summary>Content of <paramref name="bytes"/>, which must not change while the request lives.</summary>
    public ByteArrayRequestContent(ReadOnlyMemory<byte> bytes) => _bytes = bytes;

    // The transport writes a small body in the same write as the head, without a copy loop.
    internal ReadOnlyMemory<byte> Bytes => _bytes;

    /// <inheritdoc />
    public override long? Length => _bytes.Length;

    /// <inheritdoc />
    public override bool IsReplayable => true;

    /// <inheritdoc />
    protected override Task SerializeAsync(Stream destination, CancellationToken ct) =>
        destination.WriteAsync(_bytes, ct).AsTask();

    /// <inheritdoc />
    protected override async Task SerializeAsync(PipeWriter destination, CancellationToken ct) =>
        await destination.WriteAsync(_bytes, ct).ConfigureAwait(false);
}
