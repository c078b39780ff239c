namespace ActorHttp.Client;

/// <summary>Trace: the whole request, body included, was written, or writing it failed (Go's WroteRequest).</summary>
/// <param name="Error">Why writing failed; null on success.</param>
public sealed record WroteRequest(HttpClientException? Error) : ClientTraceEvent
{
    /// <summary>The request was written whole (one instance: raised on every request).</summary>
    public static readonly WroteRequest Success = new((HttpClientException?)null);
}
