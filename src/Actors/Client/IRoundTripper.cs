namespace ActorHttp.Client;

/// <summary>
/// One HTTP exchange, Go's <c>http.RoundTripper</c>: sends a request and returns the response
/// whose head has been read, body still streaming. It follows no redirects, keeps no cookies,
/// decodes no content: that is <see cref="ActorHttpClient"/>'s job. The actor transport
/// implements it; tests use a scripted fake.
/// </summary>
/// <remarks>
/// A non-2xx status is a response, not an error. Failures are <see cref="HttpClientException"/>s
/// (any kind), or an <see cref="OperationCanceledException"/> when <c>ct</c> was cancelled.
/// The returned response owns the connection until its body is read to the end or it is disposed.
/// </remarks>
public interface IRoundTripper
{
    /// <summary>Executes one exchange; completes once the final (non-1xx) response head has arrived.</summary>
    Task<ClientResponse> RoundTripAsync(ClientRequest request, CancellationToken ct);
}
