namespace ActorHttp.Client;

/// <summary>
/// The one exception of the HTTP client: a <see cref="ClientErrorKind"/>, whether any byte of
/// the request reached the wire, and the request that failed. Its message is for people; code
/// uses <see cref="Kind"/> and the predicates.
/// </summary>
public sealed class HttpClientException : Exception
{
    /// <summary>A failure of <paramref name="request"/> (null when it failed before a request existed).</summary>
    public HttpClientException(ClientErrorKind kind, string message, ClientRequest? request = null,
        bool requestWritten = false, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        Request = request;
        RequestWritten = requestWritten;
    }

    /// <summary>What went wrong.</summary>
    public ClientErrorKind Kind { get; }

    /// <summary>The request that failed, when known.</summary>
    public ClientRequest? Request { get; }

    /// <summary>The status a proxy answered a CONNECT with (<see cref="ClientErrorKind.ProxyConnectFailed"/>); null otherwise.</summary>
    public int? ProxyStatusCode { get; init; }

    /// <summary>True when at least one byte of the request was written to a connection: the server may have acted on it.</summary>
    public bool RequestWritten { get; }

    /// <summary>True for every kind that is a deadline passing.</summary>
    public bool IsTimeout => Kind is ClientErrorKind.DialTimeout or ClientErrorKind.TlsHandshakeTimeout
        or ClientErrorKind.ResponseHeaderTimeout or ClientErrorKind.RequestTimeout or ClientErrorKind.ResponseEntitySubscriptionTimeout;

    /// <summary>True when the failure is a connection's, not the request's or the response's content.</summary>
    public bool IsConnectionFailure => Kind is ClientErrorKind.Dial or ClientErrorKind.DialTimeout
        or ClientErrorKind.TlsHandshake or ClientErrorKind.TlsHandshakeTimeout
        or ClientErrorKind.ConnectionClosed or ClientErrorKind.ConnectionReset or ClientErrorKind.ProxyConnectFailed;

    /// <summary>
    /// True when sending the request again on another connection is safe as far as this failure
    /// goes (Go's <c>shouldRetryRequest</c>): the connection was closed before an answer, or it was
    /// reset before an answer and either nothing was written or the request is idempotent (a reset
    /// after the server read part of a POST may have had effects); a cluster-wide pool's lost node
    /// (<see cref="ClientErrorKind.PoolNodeLost"/>) counts as such a reset. The transport retries on its own
    /// only on a reused connection and only a replayable request (<see cref="ClientRequest.IsIdempotent"/>,
    /// <see cref="ClientRequest.IsReplayable"/>).
    /// </summary>
    public bool IsRetryable => Kind == ClientErrorKind.ConnectionClosed
        || (Kind is ClientErrorKind.ConnectionReset or ClientErrorKind.PoolNodeLost
            && (!RequestWritten || Request is { IsIdempotent: true }));

    /// <inheritdoc />
    public override string ToString() => $"{nameof(HttpClientException)} ({Kind}, written: {RequestWritten}): {base.ToString()}";
}
