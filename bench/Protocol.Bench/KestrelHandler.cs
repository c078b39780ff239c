using Microsoft.AspNetCore.Server.Kestrel.Core.Internal.Http;

namespace ActorHttp.Protocol.Bench;

/// <summary>
/// The callback sink Kestrel's parser reports into. Kestrel hands out spans and leaves storing
/// headers to its own request-headers class, so this sink only counts: the baseline is the
/// parser alone, a lower bound on what Kestrel spends per head.
/// </summary>
public sealed class KestrelHandler : IHttpRequestLineHandler, IHttpHeadersHandler
{
    public int Headers;
    public int TargetLength;

    public void OnStartLine(HttpVersionAndMethod versionAndMethod, TargetOffsetPathLength targetPath, Span<byte> startLine) =>
        TargetLength = targetPath.Length;

    public void OnStaticIndexedHeader(int index) => Headers++;

    public void OnStaticIndexedHeader(int index, ReadOnlySpan<byte> value) => Headers++;

    public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) => Headers++;

    public void OnHeadersComplete(bool endStream) { }
}
