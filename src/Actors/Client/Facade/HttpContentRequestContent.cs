using System.Net.Http;

namespace ActorHttp.Client;

/// <summary>
/// An <see cref="HttpContent"/> as a <see cref="RequestContent"/>: streamed to the connection
/// through <see cref="HttpContent.CopyToAsync(Stream, CancellationToken)"/>, never buffered here.
/// Replayable for the in-memory kinds (ByteArrayContent and its String/FormUrlEncoded subclasses,
/// ReadOnlyMemoryContent), which serialise the same bytes every time; anything else may wrap a
/// one-shot stream, so it is sent once.
/// </summary>
internal sealed class HttpContentRequestContent : RequestContent
{
    private readonly HttpContent _content;
    private readonly long? _length;

    public HttpContentRequestContent(HttpContent content, long? length)
    {
        _content = content;
        _length = length;
    }

    public override long? Length => _length;

    public override bool IsReplayable => _content is ByteArrayContent or ReadOnlyMemoryContent;

    protected override Task SerializeAsync(Stream destination, CancellationToken ct) => _content.CopyToAsync(destination, ct);
}
