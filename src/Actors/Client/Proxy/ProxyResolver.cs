using ActorHttp.Client.Transport;

namespace ActorHttp.Client.Proxy;

/// <summary>
/// Picks the proxy of each request and gives its <see cref="ConnectionKey"/> (Go's <c>connectMethodForRequest</c>
/// and <c>connectMethod.key</c>). Shared by <see cref="ActorTransport"/> (on callers' threads) and the
/// <see cref="TransportActor"/>; it is immutable apart from a one-entry cache.
/// </summary>
internal sealed class ProxyResolver
{
    /// <summary>Connections go straight to their servers.</summary>
    public static readonly ProxyResolver Direct = new(null);

    private readonly Func<Uri, Uri?>? _select;

    // The last proxy URL seen and what it parsed to: selectors hand out the same instance request after request,
    // so the check is a reference comparison. Swapped whole, so a racing reader sees one pair or the other.
    private Tuple<Uri, HttpProxy>? _last;

    private ProxyResolver(Func<Uri, Uri?>? select) => _select = select;

    /// <summary>The resolver of a transport: the code seam wins over the configured setting.</summary>
    public static ProxyResolver For(ClientSettings settings, TransportOptions options) =>
        (options.Proxy ?? settings.Proxy.Selector()) is { } select ? new ProxyResolver(select) : Direct;

    /// <summary>The key of the pool that serves <paramref name="request"/>.</summary>
    /// <exception cref="HttpClientException">Kind <see cref="ClientErrorKind.InvalidProxy"/>: the selector refused
    /// (or threw), or chose a proxy this transport cannot use. Nothing was written.</exception>
    public ConnectionKey KeyFor(ClientRequest request)
    {
        var target = request.Uri;
        if (_select is null) return ConnectionKey.Of(target);
        Uri? url;
        try
        {
            url = _select(target);
        }
        catch (Exception e)
        {
            throw new HttpClientException(ClientErrorKind.InvalidProxy, e is HttpClientException ? e.Message
                : $"The proxy selector failed for {target.GetLeftPart(UriPartial.Authority)}: {e.Message}", request, innerException: e);
        }
        return url is null ? ConnectionKey.Of(target) : ConnectionKey.Of(target, Parse(url, request));
    }

    private HttpProxy Parse(Uri url, ClientRequest request)
    {
        if (_last is { } last && ReferenceEquals(last.Item1, url)) return last.Item2;
        HttpProxy proxy;
        try
        {
            proxy = HttpProxy.FromUri(url);
        }
        catch (FormatException e)
        {
            throw new HttpClientException(ClientErrorKind.InvalidProxy, $"Cannot use the proxy: {e.Message}.", request, innerException: e);
        }
        _last = Tuple.Create(url, proxy);
        return proxy;
    }
}
