namespace ActorHttp.Client;

/// <summary>Trace: after the response body was consumed, the connection went back to the pool, or could not (Go's PutIdleConn).</summary>
/// <param name="Error">Why it was not kept idle (closed, over a cap); null when it was.</param>
public sealed record PutIdleConn(string? Error) : ClientTraceEvent
{
    /// <summary>The connection was kept idle (one instance: raised on every reused request).</summary>
    public static readonly PutIdleConn Kept = new((string?)null);
}
