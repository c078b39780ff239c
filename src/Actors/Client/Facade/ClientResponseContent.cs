using System.Net;
using System.Net.Http;

namespace ActorHttp.Client;

/// <summary>
/// The <see cref="HttpContent"/> of a response produced by <see cref="ActorHttpHandler"/>: the
/// body streams from the connection on demand (no buffering unless HttpClient asks for it), and
/// disposing the content disposes the <see cref="ClientResponse"/>, releasing the connection.
/// </summary>
internal sealed class ClientResponseContent : HttpContent
{
    private readonly HandlerBodyStream _body;

    public ClientResponseContent(ClientResponse response, HttpResponseMessage message)
    {
        // HttpClient's contract (SocketsHttpHandler's) has no response-entity-subscription-timeout: a caller that asked
        // for ResponseHeadersRead may read the body whenever it likes, and disposing the response releases it. So the
        // body is claimed here, on the caller's behalf; the bound stays for the message, async and Source APIs.
        if (response.Body is Connection.ResponseBodyStream body) body.TryClaim();
        _body = new HandlerBodyStream(response, message);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        _body.CopyToAsync(stream);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        _body.CopyToAsync(stream, cancellationToken);

    protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult<Stream>(_body);

    protected override Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) => Task.FromResult<Stream>(_body);

    protected override Stream CreateContentReadStream(CancellationToken cancellationToken) => _body;

    // The length, when known, is in the Content-Length field copied from the response.
    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _body.Dispose();
        base.Dispose(disposing);
    }
}
