namespace ActorHttp.Client;

/// <summary>
/// Why a client request failed: the closed set of kinds carried by <see cref="HttpClientException"/>.
/// Code branches on these (and on the exception's predicates), never on message text.
/// </summary>
public enum ClientErrorKind
{
    /// <summary>The request was malformed before anything was sent (bad URI, bad header for the wire).</summary>
    InvalidRequest,
    /// <summary>Name resolution or TCP connect failed.</summary>
    Dial,
    /// <summary>TCP connect did not finish within <c>dial-timeout</c>.</summary>
    DialTimeout,
    /// <summary>The TLS handshake failed (certificate, protocol, ALPN).</summary>
    TlsHandshake,
    /// <summary>The TLS handshake did not finish within <c>tls-handshake-timeout</c>.</summary>
    TlsHandshakeTimeout,
    /// <summary>A reused connection was closed by the server before any byte of the response (Go's errServerClosedIdle): retryable for idempotent requests.</summary>
    ConnectionClosed,
    /// <summary>The connection was reset or closed mid-exchange (while writing, or after part of the response).</summary>
    ConnectionReset,
    /// <summary>No response head within <c>response-header-timeout</c> after the request was written.</summary>
    ResponseHeaderTimeout,
    /// <summary>The overall deadline (<c>request-timeout</c>) passed: waiting, redirects, head or body.</summary>
    RequestTimeout,
    /// <summary>Nobody began reading a response body within <c>response-entity-subscription-timeout</c> while it held its
    /// connection (Akka HTTP's setting of that name): the body fails with this kind and the connection is closed, not pooled.</summary>
    ResponseEntitySubscriptionTimeout,
    /// <summary>The request was cancelled by its caller or because the transport shut down.</summary>
    Canceled,
    /// <summary>The response violated HTTP/1.1 (bad status line, bad framing, bad chunk).</summary>
    MalformedResponse,
    /// <summary>The response head exceeded <c>max-response-header-bytes</c>.</summary>
    ResponseHeadersTooLarge,
    /// <summary>A body exceeded a configured limit.</summary>
    BodyTooLarge,
    /// <summary>Reading the request content failed or it produced a length other than declared.</summary>
    RequestContent,
    /// <summary>The response body's Content-Encoding (gzip, deflate) could not be decoded.</summary>
    ContentDecoding,
    /// <summary>More than <c>max-redirects</c> redirects.</summary>
    TooManyRedirects,
    /// <summary>The redirect policy refused to follow a redirect, or its Location was unusable.</summary>
    RedirectRefused,
    /// <summary>The host's queue of waiting requests was full (<c>max-pending-requests</c>).</summary>
    TooManyPendingRequests,
    /// <summary>No usable proxy could be chosen: the proxy selector threw or refused (HTTP_PROXY under CGI), or it
    /// named a proxy this transport cannot speak (only http:// proxies are supported). Nothing was sent.</summary>
    InvalidProxy,
    /// <summary>The proxy did not open a CONNECT tunnel to an https:// target: it answered a status other than 2xx
    /// (<see cref="HttpClientException.ProxyStatusCode"/>; 407 = it wants credentials, or refused the ones sent),
    /// sent something that is not an HTTP response, or closed the connection.</summary>
    ProxyConnectFailed,
    /// <summary>With cluster-wide pools (<c>cluster-pools = on</c>): the node that held the host's pool died (it was downed)
    /// while the request was there. Whether any byte was written is unknown, so <see cref="HttpClientException.RequestWritten"/>
    /// is true and <see cref="HttpClientException.IsRetryable"/> holds for idempotent requests only. (Requests on a pool
    /// whose node leaves gracefully are sent again to its new node instead, and do not fail.)</summary>
    PoolNodeLost,
}
