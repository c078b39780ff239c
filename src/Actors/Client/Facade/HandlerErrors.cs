using System.Net.Http;

namespace ActorHttp.Client;

/// <summary>
/// How <see cref="HttpClientException"/>s look to <see cref="HttpClient"/> users, in one place:
/// timeouts and cancellation are <see cref="TaskCanceledException"/>s (what HttpClient throws for
/// its own timeout), everything else an <see cref="HttpRequestException"/> with the closest
/// <see cref="HttpRequestError"/>; the client's exception is always the inner one.
/// </summary>
internal static class HandlerErrors
{
    public static Exception ForSend(Exception e, CancellationToken ct) => e switch
    {
        OperationCanceledException oce when ct.IsCancellationRequested =>
            new TaskCanceledException(oce.Message, oce.InnerException ?? oce, ct),
        HttpClientException { IsTimeout: true } h => new TaskCanceledException(h.Message, h),
        HttpClientException { Kind: ClientErrorKind.Canceled } h => new TaskCanceledException(h.Message, h),
        HttpClientException h => new HttpRequestException(ErrorOf(h.Kind), h.Message, h),
        _ => e,
    };

    public static HttpIOException ForBody(HttpClientException e) => new(ErrorOf(e.Kind), e.Message, e);

    public static HttpRequestError ErrorOf(ClientErrorKind kind) => kind switch
    {
        ClientErrorKind.Dial or ClientErrorKind.DialTimeout
            or ClientErrorKind.ConnectionClosed or ClientErrorKind.ConnectionReset
            or ClientErrorKind.PoolNodeLost => HttpRequestError.ConnectionError,
        ClientErrorKind.TlsHandshake or ClientErrorKind.TlsHandshakeTimeout => HttpRequestError.SecureConnectionError,
        ClientErrorKind.MalformedResponse or ClientErrorKind.ContentDecoding => HttpRequestError.InvalidResponse,
        ClientErrorKind.ResponseHeadersTooLarge or ClientErrorKind.BodyTooLarge
            or ClientErrorKind.TooManyPendingRequests => HttpRequestError.ConfigurationLimitExceeded,
        ClientErrorKind.ProxyConnectFailed => HttpRequestError.ProxyTunnelError,
        _ => HttpRequestError.Unknown,
    };
}
