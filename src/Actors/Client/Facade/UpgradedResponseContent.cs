using System.Net;
using System.Net.Http;

namespace ActorHttp.Client;

/// <summary>
/// The content of a 101 (Switching Protocols) response through <see cref="ActorHttpHandler"/>: its stream is
/// the connection itself, readable and writable, as SocketsHttpHandler gives it (so WebSocket-over-HTTP/1.1
/// clients built on HttpClient work). Disposing the content or the stream closes the connection.
/// </summary>
internal sealed class UpgradedResponseContent(ClientResponse response) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        response.Body.CopyToAsync(stream);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        response.Body.CopyToAsync(stream, cancellationToken);

    protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult(response.Body);

    protected override Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) => Task.FromResult(response.Body);

    protected override Stream CreateContentReadStream(CancellationToken cancellationToken) => response.Body;

    // The new protocol's bytes have no length.
    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) response.Dispose();
        base.Dispose(disposing);
    }
}
