namespace ActorHttp.Client.Proxy;

/// <summary>
/// The transport's proxy setting (keys <c>proxy</c> and <c>no-proxy</c> of <c>actorhttp.client</c>, documented in
/// <c>hocon/client.conf</c>): none, the process environment, or one proxy URL, with a list of hosts that go direct.
/// </summary>
public sealed record ProxySettings
{
    private ProxySettings(ProxySource source, Uri? url, IReadOnlyList<string> noProxy)
    {
        Source = source;
        Url = url;
        NoProxy = noProxy;
    }

    /// <summary>Where the proxy comes from.</summary>
    public ProxySource Source { get; }

    /// <summary>The proxy when <see cref="Source"/> is <see cref="ProxySource.Url"/>; otherwise null.</summary>
    public Uri? Url { get; }

    /// <summary>Entries in NO_PROXY syntax (<see cref="NoProxyList"/>) for targets that go direct; with
    /// <see cref="ProxySource.Environment"/> they are added to NO_PROXY's.</summary>
    public IReadOnlyList<string> NoProxy { get; }

    /// <summary>Reads the setting: "" (none), "environment", or an http:// proxy URL.</summary>
    /// <exception cref="FormatException">Anything else, or a URL <see cref="HttpProxy.FromUri"/> refuses.</exception>
    public static ProxySettings Parse(string proxy, IReadOnlyList<string> noProxy)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        ArgumentNullException.ThrowIfNull(noProxy);
        proxy = proxy.Trim();
        if (proxy.Length == 0) return new ProxySettings(ProxySource.None, null, noProxy);
        if (proxy.Equals("environment", StringComparison.OrdinalIgnoreCase)) return new ProxySettings(ProxySource.Environment, null, noProxy);
        if (!Uri.TryCreate(proxy, UriKind.Absolute, out var url) || url.Host.Length == 0)
            throw new FormatException($"'{proxy}' is neither \"\", \"environment\" nor an http://[user:password@]host[:port] URL");
        HttpProxy.FromUri(url);
        return new ProxySettings(ProxySource.Url, url, noProxy);
    }

    /// <summary>
    /// The selector these settings make (see <see cref="Transport.TransportOptions.Proxy"/>), or null for no proxy.
    /// <paramref name="getVariable"/> reads the environment for <see cref="ProxySource.Environment"/>; null = the process's.
    /// </summary>
    public Func<Uri, Uri?>? Selector(Func<string, string?>? getVariable = null)
    {
        switch (Source)
        {
            case ProxySource.Environment:
                return ProxyEnvironment.Read(getVariable ?? Environment.GetEnvironmentVariable).Selector(NoProxy);
            case ProxySource.Url:
                var url = Url!;
                var noProxy = NoProxyList.Parse(NoProxy);
                return noProxy.IsEmpty ? _ => url : target => noProxy.Bypasses(target.IdnHost, target.Port) ? null : url;
            default:
                return null;
        }
    }

    /// <inheritdoc />
    public override string ToString() => Source switch
    {
        ProxySource.Url => $"proxy {HttpProxy.Redacted(Url!)}" + (NoProxy.Count > 0 ? $", no-proxy {string.Join(",", NoProxy)}" : ""),
        ProxySource.Environment => "proxy from the environment" + (NoProxy.Count > 0 ? $", no-proxy {string.Join(",", NoProxy)}" : ""),
        _ => "no proxy",
    };
}
