using System.Net;

namespace ActorHttp.Client.Proxy;

/// <summary>
/// Adapts an <see cref="IWebProxy"/> (<see cref="WebProxy"/>, <see cref="System.Net.Http.HttpClient.DefaultProxy"/>)
/// to the transport's proxy selector (<see cref="Transport.TransportOptions.Proxy"/>), for code that configures
/// proxies the way <c>HttpClientHandler.Proxy</c> takes them.
/// </summary>
public static class WebProxySelector
{
    /// <summary>
    /// A selector that asks <paramref name="proxy"/>: a bypassed target goes direct, otherwise to
    /// <see cref="IWebProxy.GetProxy"/>'s URI, with the <see cref="NetworkCredential"/> its
    /// <see cref="IWebProxy.Credentials"/> give for Basic (if any) as the URL's user info.
    /// </summary>
    public static Func<Uri, Uri?> From(IWebProxy proxy)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        return target =>
        {
            if (proxy.IsBypassed(target) || proxy.GetProxy(target) is not { } url || url == target) return null;
            if (url.UserInfo.Length > 0 || proxy.Credentials?.GetCredential(url, "Basic") is not { } credential) return url;
            return new UriBuilder(url)
            {
                UserName = Uri.EscapeDataString(credential.UserName),
                Password = Uri.EscapeDataString(credential.Password),
            }.Uri;
        };
    }
}
