namespace ActorHttp.Server;

/// <summary>What the router holds for one pattern: the handler and per-route limits.</summary>
/// <param name="Handler">The handler that answers matching requests.</param>
/// <param name="MaxRequestBodySize">This route's request body limit in bytes (0 = unlimited); null takes <c>request-body.max-size</c>.</param>
public sealed record Route(HandlerFunc Handler, long? MaxRequestBodySize = null);
