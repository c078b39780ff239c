using ActorHttp.Protocol;

namespace ActorHttp.Client;

/// <summary>Trace: an informational response head arrived before the final one (Go's Got1xxResponse; 100 is Go's Got100Continue).</summary>
/// <param name="StatusCode">100-199.</param>
/// <param name="Headers">Its header fields.</param>
public sealed record Got1xxResponse(int StatusCode, HeaderCollection Headers) : ClientTraceEvent;
