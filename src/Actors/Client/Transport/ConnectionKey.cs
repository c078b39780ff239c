using ActorHttp.Client.Proxy;

namespace ActorHttp.Client.Transport;

/// <summary>
/// What makes two requests share a connection pool (Go's <c>connectMethodKey</c>): scheme, host, port, and the
/// proxy when there is one.
/// </summary>
/// <remarks>
/// Through a proxy, Go keys an https:// target by proxy and target (each tunnel leads to one server), but an
/// http:// target by the proxy alone: the proxy forwards each request wherever its absolute-form target says,
/// so one connection to it serves every http:// server. Such a key carries the proxy's host and port in
/// <see cref="Host"/> and <see cref="Port"/> (Go leaves the address empty), so the pool's limits, settings,
/// metrics and messages are the proxy's.
/// </remarks>
/// <param name="Scheme">"http" or "https": the target's scheme.</param>
/// <param name="Host">The host as addressed (IDN host; IPv6 without brackets); the proxy's for http:// through a proxy.</param>
/// <param name="Port">The port; the proxy's for http:// through a proxy.</param>
/// <param name="Proxy">The proxy the connections go through; null = none.</param>
public readonly record struct ConnectionKey(string Scheme, string Host, int Port, HttpProxy? Proxy = null)
{
    /// <summary>The key of the pool that serves <paramref name="uri"/> directly.</summary>
    public static ConnectionKey Of(Uri uri) => new(uri.Scheme, uri.IdnHost, uri.Port);

    /// <summary>The key of the pool that serves <paramref name="uri"/> through <paramref name="proxy"/> (null = directly).</summary>
    public static ConnectionKey Of(Uri uri, HttpProxy? proxy) =>
        proxy is null ? Of(uri)
        : uri.Scheme == Uri.UriSchemeHttps ? new(uri.Scheme, uri.IdnHost, uri.Port, proxy)
        : new(uri.Scheme, proxy.Host, proxy.Port, proxy);

    /// <summary>True for https: the connection runs TLS with the target (through the tunnel, when proxied).</summary>
    public bool IsTls => Scheme == Uri.UriSchemeHttps;

    /// <summary>The proxy that requests are sent to in absolute form (an http:// target through a proxy); otherwise null.</summary>
    public HttpProxy? ForwardProxy => IsTls ? null : Proxy;

    /// <summary>The proxy the connection tunnels through with CONNECT (an https:// target through a proxy); otherwise null.</summary>
    public HttpProxy? TunnelProxy => IsTls ? Proxy : null;

    /// <summary>The first hop's "host:port" (Go's <c>connectMethod.addr</c>): the proxy when there is one, else the server.</summary>
    public string DialHostPort => Proxy?.HostPort ?? HostPort;

    /// <summary>"host:port", as Go's trace events name it.</summary>
    public string HostPort => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    /// <summary>The metrics endpoint for this key.</summary>
    public ClientEndpoint Endpoint => new(Scheme, Host, Port);

    /// <inheritdoc />
    public override string ToString() => Proxy is null ? $"{Scheme}://{HostPort}"
        : IsTls ? $"{Scheme}://{HostPort} via {Proxy}" : $"http://* via {Proxy}";
}
