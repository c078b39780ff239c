using System.Net;
using System.Net.Http;
using ActorHttp.Client;
using ActorHttp.Protocol;

namespace ActorHttp.Cli.Bench;

/// <summary>
/// SocketsHttpHandler behind <see cref="IRoundTripper"/>, for <c>actorhttp bench --transport httpclient</c>:
/// the same load loops over .NET's own client, so the load generator itself can be checked — if this
/// runs as fast as the shared benchmark's HttpClient client, the loops are not what limits the actor
/// transport's numbers. Response headers are not copied (the loops read only the status and the body).
/// </summary>
internal sealed class HttpClientRoundTripper(int maxConnsPerServer) : IRoundTripper, IDisposable
{
    private readonly HttpMessageInvoker _invoker = new(new SocketsHttpHandler
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        MaxConnectionsPerServer = maxConnsPerServer > 0 ? maxConnsPerServer : int.MaxValue,
    });

    public async Task<ClientResponse> RoundTripAsync(ClientRequest request, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Uri);
        foreach (var (name, value) in request.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase)) message.Headers.Host = value;
            else message.Headers.TryAddWithoutValidation(name, value);
        }
        if (request.Content is { } content) message.Content = new Content(content);
        var response = await _invoker.SendAsync(message, ct).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        return new ClientResponse(request, (int)response.StatusCode, response.ReasonPhrase ?? "",
            response.Version == HttpVersion.Version10 ? HttpProtocolVersion.Http10 : HttpProtocolVersion.Http11, HeaderCollection.Empty, body);
    }

    public void Dispose() => _invoker.Dispose();

    private sealed class Content(RequestContent content) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            if (content.IsReplayable) content.Rewind();
            return content.CopyToAsync(stream, cancellationToken);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = content.Length ?? 0;
            return content.Length is not null;
        }
    }
}
