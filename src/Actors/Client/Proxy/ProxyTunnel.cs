using System.Buffers;
using ActorHttp.Protocol;

namespace ActorHttp.Client.Proxy;

/// <summary>
/// Opens a CONNECT tunnel through an HTTP proxy (RFC 9110 §9.3.6; Go's <c>dialConn</c> for an https:// target
/// through a proxy): writes <c>CONNECT host:port HTTP/1.1</c> with Host and the proxy's credentials, reads the
/// proxy's response head, and leaves the stream at the first byte of the tunnel.
/// </summary>
/// <remarks>
/// Any 2xx opens the tunnel (RFC 9110 §9.3.6; Go accepts only 200). Anything else fails with
/// <see cref="ClientErrorKind.ProxyConnectFailed"/> carrying the status; the connection is then closed unread,
/// as Go closes it. Nothing may follow a 2xx head, since the TLS client speaks first in the tunnel: bytes that
/// arrive with the head are refused here, later ones fail the TLS handshake.
/// </remarks>
internal static class ProxyTunnel
{
    private const int ReadSize = 4096;

    /// <summary>Runs the CONNECT exchange for <paramref name="targetHostPort"/> on <paramref name="stream"/>.</summary>
    /// <param name="stream">The connection to the proxy.</param>
    /// <param name="proxy">The proxy (its credentials go in Proxy-Authorization).</param>
    /// <param name="targetHostPort">"host:port" of the https:// server.</param>
    /// <param name="limits">Limits for the proxy's response head.</param>
    /// <param name="ct">The dial deadline and the connection's lifetime.</param>
    /// <exception cref="HttpClientException">Kind <see cref="ClientErrorKind.ProxyConnectFailed"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    /// <exception cref="IOException">The connection failed.</exception>
    public static async Task EstablishAsync(Stream stream, HttpProxy proxy, string targetHostPort, HttpParserLimits limits, CancellationToken ct)
    {
        var head = new ArrayBufferWriter<byte>(256);
        HttpMessageWriter.WriteRequestLine(head, "CONNECT", targetHostPort, HttpProtocolVersion.Http11);
        HttpMessageWriter.WriteHeader(head, "Host", targetHostPort);
        if (proxy.Authorization is { } authorization) HttpMessageWriter.WriteHeader(head, "Proxy-Authorization", authorization);
        HttpMessageWriter.WriteEndOfHead(head);
        await stream.WriteAsync(head.WrittenMemory, ct).ConfigureAwait(false);
        await stream.FlushAsync(ct).ConfigureAwait(false);

        var parser = new ResponseHeadParser(limits);
        var buffer = new byte[ReadSize];
        int start = 0, end = 0;
        while (true)
        {
            if (end == buffer.Length)
            {
                // The parser's limits bound how far this grows.
                var bigger = new byte[buffer.Length * 2];
                buffer.AsSpan(start, end - start).CopyTo(bigger);
                (buffer, end, start) = (bigger, end - start, 0);
            }
            var n = await stream.ReadAsync(buffer.AsMemory(end), ct).ConfigureAwait(false);
            if (n == 0) throw Failed(proxy, targetHostPort, null, "closed the connection before answering the CONNECT");
            end += n;
            while (true)
            {
                var result = parser.Parse(new ReadOnlySequence<byte>(buffer, start, end - start), RequestMethod.Connect);
                if (result.Status == ParseStatus.NeedMoreData) break;
                if (result.Status == ParseStatus.Rejected)
                    throw Failed(proxy, targetHostPort, null, $"answered the CONNECT with something that is not an HTTP response ({result.Error})");
                start += (int)result.BytesConsumed;
                var response = result.Head!;
                if (response.IsInformational) continue;
                if (response.StatusCode is < 200 or >= 300)
                    throw Failed(proxy, targetHostPort, response.StatusCode, response.StatusCode == 407
                        ? $"requires authentication (407 {response.ReasonPhrase}){(proxy.Authorization is null ? ": the proxy URL carries no credentials" : ": the credentials in the proxy URL were refused")}"
                        : $"refused the tunnel: {response.StatusCode} {response.ReasonPhrase}");
                if (end > start)
                    throw Failed(proxy, targetHostPort, response.StatusCode, "sent bytes after its CONNECT response, before the TLS handshake");
                return;
            }
        }
    }

    private static HttpClientException Failed(HttpProxy proxy, string target, int? status, string what) =>
        new(ClientErrorKind.ProxyConnectFailed, $"The proxy {proxy} {what} (tunnel to {target}).") { ProxyStatusCode = status };
}
