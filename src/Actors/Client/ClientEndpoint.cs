namespace ActorHttp.Client;

/// <summary>The server a metric is about: the <c>url.scheme</c>, <c>server.address</c> and <c>server.port</c> tags.</summary>
/// <param name="Scheme">"http" or "https".</param>
/// <param name="Host">The host name or address as addressed.</param>
/// <param name="Port">The port.</param>
public readonly record struct ClientEndpoint(string Scheme, string Host, int Port)
{
    /// <summary>The endpoint a URI addresses.</summary>
    public static ClientEndpoint Of(Uri uri) => new(uri.Scheme, uri.IdnHost, uri.Port);
}
