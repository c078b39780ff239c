using System.Net;

namespace ActorHttp.Client;

/// <summary>
/// What <see cref="ActorHttpClient"/> needs to know (Go's <c>http.Client</c> fields). The
/// configured values come from <c>actorhttp.client</c> in <c>hocon/client.conf</c>, where every
/// default lives; the settings reader builds this, code never invents a default. The cookie jar
/// and the redirect policy are code-only hooks and start unset.
/// </summary>
public sealed record ClientOptions
{
    /// <summary>Options from configured values.</summary>
    /// <param name="maxRedirects"><c>max-redirects</c>: redirects followed before failing with <see cref="ClientErrorKind.TooManyRedirects"/>; 0 = none are followed, the 3xx is returned.</param>
    /// <param name="disableCompression"><c>disable-compression</c>: never add Accept-Encoding nor decode.</param>
    /// <param name="userAgent"><c>user-agent</c>: sent when the caller set none; "" = none.</param>
    /// <param name="requestTimeout"><c>request-timeout</c>: overall deadline of one call, body reading included; zero = none.</param>
    public ClientOptions(int maxRedirects, bool disableCompression, string userAgent, TimeSpan requestTimeout)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRedirects);
        ArgumentNullException.ThrowIfNull(userAgent);
        if (requestTimeout < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(requestTimeout), "A timeout cannot be negative.");
        MaxRedirects = maxRedirects;
        DisableCompression = disableCompression;
        UserAgent = userAgent;
        RequestTimeout = requestTimeout;
    }

    /// <summary>Redirects followed for one call; 0 = the 3xx response is returned as is.</summary>
    public int MaxRedirects { get; }

    /// <summary>When true, no Accept-Encoding is added and no response is decoded.</summary>
    public bool DisableCompression { get; }

    /// <summary>The User-Agent sent when the request has none; empty = none.</summary>
    public string UserAgent { get; }

    /// <summary>Deadline of one call, from the call to the end of the body; <see cref="TimeSpan.Zero"/> = none.</summary>
    public TimeSpan RequestTimeout { get; }

    /// <summary>The cookie jar (Go's Client.Jar): cookies sent from it and Set-Cookie stored in it; null = no cookie handling.</summary>
    public CookieContainer? Cookies { get; init; }

    /// <summary>
    /// The redirect policy (Go's CheckRedirect), asked before each redirect that
    /// <see cref="MaxRedirects"/> allows: the request about to be sent and the 3xx responses
    /// received so far, oldest first (the last one's body is still unread). Null = follow.
    /// </summary>
    public Func<ClientRequest, IReadOnlyList<ClientResponse>, RedirectDecision>? CheckRedirect { get; init; }
}
