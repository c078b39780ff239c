using System.Net.Http;

namespace ActorHttp.Client.Bench;

/// <summary>SocketsHttpHandler behind <see cref="IRoundTripper"/>, the baseline the actor transport is compared with.</summary>
internal sealed class HttpClientRoundTripper : IRoundTripper, IDisposable
{
    private readonly HttpMessageInvoker _invoker = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false });

    public async Task<ClientResponse> RoundTripAsync(ClientRequest request, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Uri);
        var response = await _invoker.SendAsync(message, ct).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        return new ClientResponse(request, (int)response.StatusCode, response.ReasonPhrase ?? "", Protocol.HttpProtocolVersion.Http11, Protocol.HeaderCollection.Empty, body);
    }

    public void Dispose() => _invoker.Dispose();
}
