using System.Text;

namespace ActorHttp.Client.Proxy;

/// <summary>
/// An HTTP proxy as a connection uses it (the proxy half of Go's <c>connectMethod</c>): the host and port to dial,
/// and the <c>Proxy-Authorization</c> value made from the proxy URL's user info. http:// targets are sent to it in
/// absolute form; https:// targets go through a CONNECT tunnel.
/// </summary>
/// <remarks>
/// Two proxies with the same address but different credentials are different (Go keys pools by the whole proxy
/// URL, user info included): a tunnel opened with one user's credentials never carries another's requests.
/// <see cref="ToString"/> leaves the credentials out, so keys and errors can be logged.
/// </remarks>
/// <param name="Host">Host name or address literal (IPv6 without brackets).</param>
/// <param name="Port">TCP port.</param>
/// <param name="Authorization">The <c>Proxy-Authorization</c> field value (<c>Basic ...</c>), or null when the URL has no user info.</param>
public sealed record HttpProxy(string Host, int Port, string? Authorization)
{
    /// <summary>"host:port", brackets around an IPv6 host.</summary>
    public string HostPort => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    /// <summary>
    /// The proxy named by <paramref name="uri"/>: <c>http://[user[:password]@]host[:port]</c>, port 80 when absent
    /// (Go's canonicalAddr). User and password are percent-decoded before they are encoded for Basic.
    /// </summary>
    /// <exception cref="FormatException">Not an absolute http:// URL with a host (https:// and socks5:// proxies are not
    /// supported), or it has a path, query or fragment.</exception>
    public static HttpProxy FromUri(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsAbsoluteUri || uri.Scheme != Uri.UriSchemeHttp)
            throw new FormatException($"'{Redacted(uri)}' is not an http:// proxy URL (only HTTP proxies are supported)");
        if (uri.IdnHost.Length == 0)
            throw new FormatException($"'{Redacted(uri)}' names no proxy host");
        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            throw new FormatException($"'{Redacted(uri)}': a proxy URL is scheme, credentials, host and port only");
        string? authorization = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':');
            var user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            var password = colon < 0 ? "" : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            authorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
        }
        return new HttpProxy(uri.IdnHost.Trim('[', ']'), uri.Port, authorization);
    }

    /// <summary>"http://host:port", without credentials.</summary>
    public override string ToString() => $"http://{HostPort}";

    // Error messages name the proxy without its password.
    internal static string Redacted(Uri uri) =>
        uri.IsAbsoluteUri && uri.UserInfo.Length > 0 ? uri.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.UserInfo, UriFormat.UriEscaped) : uri.ToString();
}
