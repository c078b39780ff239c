using System.Net;

namespace ActorHttp.Client;

/// <summary>
/// How a 3xx response turns into the next request, Go's <c>redirectBehavior</c> and
/// <c>makeHeadersCopier</c>: which statuses redirect, which method and body the next request
/// carries, which header fields may travel to another host. Pure: requests in, request out.
/// </summary>
internal static class RedirectRules
{
    // Credentials that must not reach a host the caller did not address (Go's
    // shouldCopyHeaderOnRedirect; CVE-2024-45336 is why each hop compares with the previous one:
    // once stripped, a field stays stripped even when the chain comes back).
    private static readonly string[] Sensitive =
        ["Authorization", "Proxy-Authorization", "WWW-Authenticate", "Cookie", "Cookie2"];

    /// <summary>Outcome of looking at one response.</summary>
    public enum Outcome
    {
        /// <summary>Not a redirect we follow: return the response.</summary>
        NotRedirect,
        /// <summary>Follow with the request returned.</summary>
        Follow,
        /// <summary>A redirect whose Location is not an http(s) URI.</summary>
        BadLocation,
    }

    /// <summary>
    /// The request that follows <paramref name="response"/> to <paramref name="hop"/>, when it is a
    /// redirect to follow. <paramref name="hop"/> is the request as the caller (or the previous
    /// hop) made it, before the client added Host, User-Agent, Accept-Encoding or jar cookies;
    /// <paramref name="original"/> is the caller's first request (its Referer, if any, is the one to send).
    /// </summary>
    public static Outcome Next(ClientRequest original, ClientRequest hop, ClientResponse response, out ClientRequest? next, out string? location)
    {
        next = null;
        location = response.Headers.GetValue("Location");
        bool keepBody;
        string method;
        switch (response.StatusCode)
        {
            case 301 or 302 or 303:
                // RFC 9110 §15.4.2-4 let user agents turn POST into GET on 301/302 and require a
                // GET (or HEAD) on 303; every browser and Go do so for any method but GET and HEAD.
                method = hop.Method is "GET" or "HEAD" ? hop.Method : "GET";
                keepBody = false;
                break;
            case 307 or 308:
                method = hop.Method;
                keepBody = true;
                // The body has to be sent again; one that cannot be replayed cannot follow, and
                // the 3xx goes back to the caller as is, as Go does (no error: the response is valid).
                if (hop.Content is { IsReplayable: false, Length: not 0 }) return Outcome.NotRedirect;
                break;
            default:
                return Outcome.NotRedirect;
        }
        // A 3xx without Location is seen in the wild (and 304-like uses): it is the answer.
        if (string.IsNullOrEmpty(location)) return Outcome.NotRedirect;
        if (!Uri.TryCreate(hop.Uri, location, out var target)
            || (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps))
            return Outcome.BadLocation;

        var headers = hop.Headers;
        if (!IsDomainOrSubdomain(target.IdnHost, hop.Uri.IdnHost))
            foreach (var name in Sensitive) headers = headers.Remove(name);
        // A Host override was meant for the authority the caller addressed, not another one.
        if (!string.Equals(target.Authority, hop.Uri.Authority, StringComparison.OrdinalIgnoreCase))
            headers = headers.Remove("Host");

        RequestContent? content = null;
        // Rewinding is the caller's, once the previous response is disposed: until then the
        // transport may still be writing the body the server answered early.
        if (keepBody && hop.Content is { } body && (body.IsReplayable || body.Length != 0))
            content = body;
        else if (hop.Content is not null)
        {
            // The body is gone, so are the fields that described it.
            foreach (var (name, _) in hop.Headers)
                if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)) headers = headers.Remove(name);
        }

        headers = headers.Remove("Referer");
        if (RefererFor(hop.Uri, target, original.Headers.GetValue("Referer")) is { } referer)
            headers = headers.Add("Referer", referer);

        next = hop with { Method = method, Uri = target, Headers = headers, Content = content };
        return Outcome.Follow;
    }

    /// <summary>
    /// True when <paramref name="host"/> is <paramref name="parent"/> or a subdomain of it
    /// (Go's isDomainOrSubdomain): a.example.com under example.com, never under an IP address.
    /// </summary>
    public static bool IsDomainOrSubdomain(string host, string parent)
    {
        if (string.Equals(host, parent, StringComparison.OrdinalIgnoreCase)) return true;
        if (IPAddress.TryParse(parent.Trim('[', ']'), out _)) return false;
        return host.Length > parent.Length + 1
            && host.EndsWith(parent, StringComparison.OrdinalIgnoreCase)
            && host[host.Length - parent.Length - 1] == '.';
    }

    // Go's refererForURL: none from https to http; else the caller's own Referer, or the previous
    // URI without user info or fragment.
    private static string? RefererFor(Uri previous, Uri next, string? explicitReferer)
    {
        if (previous.Scheme == Uri.UriSchemeHttps && next.Scheme == Uri.UriSchemeHttp) return null;
        return explicitReferer ?? previous.GetComponents(UriComponents.HttpRequestUrl, UriFormat.UriEscaped);
    }
}
