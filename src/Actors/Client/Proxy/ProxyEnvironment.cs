using System.Net;

namespace ActorHttp.Client.Proxy;

/// <summary>
/// The proxy variables of a process environment and the choice they make for each request: Go's
/// <c>httpproxy.Config</c> and <c>ProxyFromEnvironment</c>.
/// </summary>
/// <remarks>
/// <para><b>Variables.</b> <c>HTTP_PROXY</c> for http:// targets, <c>HTTPS_PROXY</c> for https:// targets (no
/// fallback from one to the other), <c>NO_PROXY</c> for exceptions (<see cref="NoProxyList"/>). For each, the
/// upper-case name wins when it is set and not empty, else the lower-case one.</para>
/// <para><b>Values.</b> A URL or a bare <c>host[:port]</c>, read as <c>http://host[:port]</c>. A value that cannot
/// be read as either is ignored, as Go ignores it; a URL of a scheme other than http (an https:// or socks5://
/// proxy, which this transport cannot speak) fails the requests it would serve with <see cref="ClientErrorKind.InvalidProxy"/>.</para>
/// <para><b>Never proxied:</b> <c>localhost</c> and loopback addresses, whatever NO_PROXY says.</para>
/// <para><b>CGI.</b> When <c>REQUEST_METHOD</c> is set the process is a CGI handler and HTTP_PROXY may come from a
/// client's <c>Proxy:</c> header (httpoxy, golang.org/s/cgihttpproxy): an http:// request that would use it
/// fails with <see cref="ClientErrorKind.InvalidProxy"/> instead.</para>
/// </remarks>
/// <param name="HttpProxy">The HTTP_PROXY value ("" = unset).</param>
/// <param name="HttpsProxy">The HTTPS_PROXY value ("" = unset).</param>
/// <param name="NoProxy">The NO_PROXY value ("" = unset).</param>
/// <param name="Cgi">Whether the process runs as a CGI handler.</param>
public sealed record ProxyEnvironment(string HttpProxy, string HttpsProxy, string NoProxy, bool Cgi)
{
    /// <summary>Reads the variables through <paramref name="getVariable"/> (tests pass a table; the transport passes
    /// <see cref="Environment.GetEnvironmentVariable(string)"/>).</summary>
    public static ProxyEnvironment Read(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        string Any(string upper, string lower) =>
            getVariable(upper) is { Length: > 0 } value ? value : getVariable(lower) ?? "";
        return new ProxyEnvironment(Any("HTTP_PROXY", "http_proxy"), Any("HTTPS_PROXY", "https_proxy"),
            Any("NO_PROXY", "no_proxy"), !string.IsNullOrEmpty(getVariable("REQUEST_METHOD")));
    }

    /// <summary>
    /// The proxy choice of this environment, as a selector for <see cref="Transport.TransportOptions.Proxy"/>:
    /// the proxy URL for a target, or null to go direct. <paramref name="extraNoProxy"/> is added to NO_PROXY.
    /// </summary>
    /// <remarks>The selector throws <see cref="HttpClientException"/> (<see cref="ClientErrorKind.InvalidProxy"/>)
    /// for an http:// target under CGI when HTTP_PROXY is set.</remarks>
    public Func<Uri, Uri?> Selector(IEnumerable<string>? extraNoProxy = null)
    {
        var http = ParseProxy(HttpProxy);
        var https = ParseProxy(HttpsProxy);
        var noProxy = NoProxyList.Parse(NoProxy.Split(',').Concat(extraNoProxy ?? []));
        var cgi = Cgi;
        return target =>
        {
            var proxy = target.Scheme == Uri.UriSchemeHttps ? https : target.Scheme == Uri.UriSchemeHttp ? http : null;
            if (proxy is null) return null;
            // Before the exceptions, as Go checks: under CGI a set HTTP_PROXY is suspect whatever the target.
            if (cgi && target.Scheme == Uri.UriSchemeHttp)
                throw new HttpClientException(ClientErrorKind.InvalidProxy,
                    "Refusing to use HTTP_PROXY in a CGI environment (REQUEST_METHOD is set; see golang.org/s/cgihttpproxy).");
            var host = target.IdnHost;
            return IsLoopback(host) || noProxy.Bypasses(host, target.Port) ? null : proxy;
        };
    }

    // Go's parseProxy: a URL with a scheme and a host, or else "http://" + the value.
    internal static Uri? ParseProxy(string value)
    {
        if (value.Length == 0) return null;
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme.Length > 0 && uri.Host.Length > 0) return uri;
        return Uri.TryCreate("http://" + value, UriKind.Absolute, out var prefixed) && prefixed.Host.Length > 0 ? prefixed : null;
    }

    private static bool IsLoopback(string host)
    {
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }
}
