namespace ActorHttp.Client.Transport;

/// <summary>
/// What makes two requests share a connection pool (Go's <c>connectMethodKey</c>): scheme, host and port.
/// There is no proxy support yet, so no proxy part.
/// </summary>
/// <param name="Scheme">"http" or "https".</param>
/// <param name="Host">The host as addressed (IDN host; IPv6 without brackets).</param>
/// <param name="Port">The port.</param>
public readonly record struct ConnectionKey(string Scheme, string Host, int Port)
{
    /// <summary>The key of the pool that serves <paramref name="uri"/>.</summary>
    public static ConnectionKey Of(Uri uri) => new(uri.Scheme, uri.IdnHost, uri.Port);

    /// <summary>True for https: the connection runs TLS.</summary>
    public bool IsTls => Scheme == Uri.UriSchemeHttps;

    /// <summary>"host:port", as Go's trace events name it.</summary>
    public string HostPort => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    /// <summary>The metrics endpoint for this key.</summary>
    public ClientEndpoint Endpoint => new(Scheme, Host, Port);

    /// <inheritdoc />
    public override string ToString() => $"{Scheme}://{HostPort}";
}
