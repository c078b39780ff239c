using System.Net;
using ActorHttp.Protocol;

namespace ActorHttp.Client;

/// <summary>
/// The HTTP client for async code, Go's <c>http.Client</c> over an <see cref="IRoundTripper"/>:
/// it follows redirects, keeps cookies, enforces the overall deadline, decodes gzip/deflate and
/// fills in Host and User-Agent; the round tripper (the actor transport) does one exchange.
/// Thread-safe; share one per transport.
/// </summary>
/// <remarks>
/// <para><b>Redirects.</b> 301, 302 and 303 are followed with GET and no body (HEAD stays HEAD,
/// GET stays GET); 307 and 308 keep the method and re-send the body, which must be replayable —
/// if it is not, the 3xx is returned as is. A 3xx without Location is returned as is. The
/// previous response is disposed before the next request is sent. Authorization, cookies and
/// the like are removed when a redirect leaves the host and its subdomains, and stay removed;
/// a Host override is kept only for the same authority; Referer is added as Go does. Past
/// <see cref="ClientOptions.MaxRedirects"/> the call fails with
/// <see cref="ClientErrorKind.TooManyRedirects"/> (0: redirects are returned, not followed).
/// <see cref="ClientOptions.CheckRedirect"/> is asked before each redirect that limit allows.</para>
/// <para><b>Cookies.</b> With a jar, each request (redirects included) carries the jar's cookies
/// for its URI, after any Cookie field the caller set, and every response's Set-Cookie fields
/// (redirects included) are stored; invalid ones are ignored, as browsers do.</para>
/// <para><b>Deadline.</b> <see cref="ClientOptions.RequestTimeout"/> runs from the call through
/// waiting for a connection, every redirect, the head — and keeps running while the caller
/// reads the returned body, as Go's Client.Timeout does; a read past it fails with
/// <see cref="ClientErrorKind.RequestTimeout"/>. Disposing the response stops it.</para>
/// <para><b>Compression.</b> Unless disabled, and unless the caller set Accept-Encoding or
/// Range, or the method is HEAD, the client asks for <c>gzip, deflate</c> and decodes a body
/// so encoded, removing Content-Encoding and Content-Length from the response (the length is
/// the encoded one) as Go does. A caller who asks for an encoding gets the bytes as sent.</para>
/// <para><b>Errors.</b> Failures are <see cref="HttpClientException"/>; cancellation through the
/// caller's token is an <see cref="OperationCanceledException"/> carrying that token, with an
/// <see cref="HttpClientException"/> of kind Canceled inside.</para>
/// </remarks>
public sealed class ActorHttpClient
{
    private const string AcceptedEncodings = "gzip, deflate";

    private readonly IRoundTripper _transport;
    private readonly ClientOptions _options;

    /// <summary>A client over <paramref name="transport"/>.</summary>
    public ActorHttpClient(IRoundTripper transport, ClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(options);
        _transport = transport;
        _options = options;
    }

    /// <summary>The options this client runs with.</summary>
    public ClientOptions Options => _options;

    /// <summary>GET <paramref name="uri"/>.</summary>
    public Task<ClientResponse> GetAsync(Uri uri, CancellationToken ct = default) => SendAsync(new ClientRequest("GET", uri), ct);

    /// <summary>GET <paramref name="uri"/>.</summary>
    public Task<ClientResponse> GetAsync(string uri, CancellationToken ct = default) => GetAsync(new Uri(uri, UriKind.Absolute), ct);

    /// <summary>HEAD <paramref name="uri"/>.</summary>
    public Task<ClientResponse> HeadAsync(Uri uri, CancellationToken ct = default) => SendAsync(new ClientRequest("HEAD", uri), ct);

    /// <summary>DELETE <paramref name="uri"/>.</summary>
    public Task<ClientResponse> DeleteAsync(Uri uri, CancellationToken ct = default) => SendAsync(new ClientRequest("DELETE", uri), ct);

    /// <summary>POST <paramref name="content"/> of type <paramref name="contentType"/> to <paramref name="uri"/>.</summary>
    public Task<ClientResponse> PostAsync(Uri uri, string contentType, RequestContent content, CancellationToken ct = default) =>
        SendAsync(WithBody("POST", uri, contentType, content), ct);

    /// <summary>PUT <paramref name="content"/> of type <paramref name="contentType"/> to <paramref name="uri"/>.</summary>
    public Task<ClientResponse> PutAsync(Uri uri, string contentType, RequestContent content, CancellationToken ct = default) =>
        SendAsync(WithBody("PUT", uri, contentType, content), ct);

    /// <summary>
    /// Sends <paramref name="request"/>, following redirects, and returns the final response once
    /// its head has arrived. The caller owns the response and must dispose it.
    /// </summary>
    /// <exception cref="HttpClientException">The request failed; see its kind.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    public async Task<ClientResponse> SendAsync(ClientRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ct.ThrowIfCancellationRequested();
        CancellationTokenSource? deadline = null;
        if (_options.RequestTimeout > TimeSpan.Zero)
        {
            deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(_options.RequestTimeout);
        }
        var hop = request;
        try
        {
            var via = new List<ClientResponse>();
            while (true)
            {
                var wire = PrepareWire(hop, out bool askedForEncoding);
                var response = await _transport.RoundTripAsync(wire, deadline?.Token ?? ct).ConfigureAwait(false);
                StoreCookies(response);

                var outcome = RedirectRules.Next(request, hop, response, out var next, out var location);
                if (outcome == RedirectRules.Outcome.NotRedirect || _options.MaxRedirects == 0)
                    return Deliver(response, askedForEncoding, ref deadline);
                if (outcome == RedirectRules.Outcome.BadLocation)
                {
                    await response.DisposeAsync().ConfigureAwait(false);
                    throw new HttpClientException(ClientErrorKind.RedirectRefused,
                        $"The {response.StatusCode} response's Location '{location}' is not an http or https URI.", wire, true);
                }

                via.Add(response);
                if (via.Count > _options.MaxRedirects)
                {
                    await response.DisposeAsync().ConfigureAwait(false);
                    throw new HttpClientException(ClientErrorKind.TooManyRedirects,
                        $"Stopped after {_options.MaxRedirects} redirects.", wire, true);
                }
                switch (_options.CheckRedirect?.Invoke(next!, via) ?? RedirectDecision.Follow)
                {
                    case RedirectDecision.ReturnResponse:
                        return Deliver(response, askedForEncoding, ref deadline);
                    case RedirectDecision.Refuse:
                        await response.DisposeAsync().ConfigureAwait(false);
                        throw new HttpClientException(ClientErrorKind.RedirectRefused,
                            $"The redirect policy refused to follow {response.StatusCode} to {next!.Uri}.", wire, true);
                }
                await response.DisposeAsync().ConfigureAwait(false);
                if (next!.Content is { IsReplayable: true } body) body.Rewind();
                hop = next;
            }
        }
        catch (Exception e) when (deadline is { IsCancellationRequested: true } || ct.IsCancellationRequested)
        {
            // Whatever surfaced once a token fired (OperationCanceledException, or the transport's
            // own Canceled or an I/O error from a torn-down exchange) is reported as what caused it.
            var written = e is not HttpClientException h || h.RequestWritten;
            if (ct.IsCancellationRequested)
                throw new OperationCanceledException("The request was cancelled by its caller.",
                    new HttpClientException(ClientErrorKind.Canceled, "The request was cancelled by its caller.", hop, written, e), ct);
            throw new HttpClientException(ClientErrorKind.RequestTimeout,
                $"The request did not complete within {_options.RequestTimeout}.", hop, written, e);
        }
        finally
        {
            deadline?.Dispose();
        }
    }

    // Everything the client adds to the caller's request for the wire. The hop itself stays as
    // the caller made it, so that redirect rules decide on the caller's fields, not on ours.
    private ClientRequest PrepareWire(ClientRequest hop, out bool askedForEncoding)
    {
        var uri = hop.Uri;
        var headers = hop.Headers.Remove("Content-Length").Remove("Transfer-Encoding");
        // Host first, as RFC 9112 §3.2 recommends; the transport writes it as given.
        var host = headers.GetValue("Host") ?? Authority(uri);
        headers = RequestHeaders.From(new[] { KeyValuePair.Create("Host", host) }.Concat(headers.Remove("Host")));

        // An explicitly empty User-Agent means "send none" (Go's convention).
        if (headers.GetValue("User-Agent") is { Length: 0 }) headers = headers.Remove("User-Agent");
        else if (!headers.Contains("User-Agent") && _options.UserAgent.Length > 0) headers = headers.Add("User-Agent", _options.UserAgent);

        // Go skips Range (a slice of a compressed body is useless) and HEAD (no body to decode).
        askedForEncoding = !_options.DisableCompression && !headers.Contains("Accept-Encoding")
            && !headers.Contains("Range") && hop.Method != "HEAD";
        if (askedForEncoding) headers = headers.Add("Accept-Encoding", AcceptedEncodings);

        if (_options.Cookies is { } jar && jar.GetCookieHeader(uri) is { Length: > 0 } cookies)
            headers = headers.GetValue("Cookie") is { Length: > 0 } own
                ? headers.Set("Cookie", own + "; " + cookies)
                : headers.Set("Cookie", cookies);
        return ReferenceEquals(headers, hop.Headers) ? hop : hop with { Headers = headers };
    }

    private void StoreCookies(ClientResponse response)
    {
        if (_options.Cookies is not { } jar) return;
        foreach (var field in response.Headers.GetFields("Set-Cookie"))
        {
            try
            {
                jar.SetCookies(response.Request.Uri, field.Value);
            }
            catch (CookieException)
            {
                // A malformed or foreign-domain cookie is dropped, as browsers and Go's jar do.
            }
        }
    }

    // Hands the final response over: decoded when we asked for an encoding and got one, with the
    // deadline moved into the body so it keeps running while the caller reads (ownership of the
    // token source goes with it: the caller's finally no longer disposes it).
    private static ClientResponse Deliver(ClientResponse response, bool askedForEncoding, ref CancellationTokenSource? deadline)
    {
        // A 101's body is the connection for another protocol: neither decoded nor under this call's deadline.
        if (response.StatusCode == 101) return response;
        string? encoding = null;
        if (askedForEncoding && response.StatusCode is not (204 or 304)
            && response.Headers.GetValue("Content-Encoding")?.Trim() is { } ce
            && (ce.Equals("gzip", StringComparison.OrdinalIgnoreCase) || ce.Equals("x-gzip", StringComparison.OrdinalIgnoreCase)
                || ce.Equals("deflate", StringComparison.OrdinalIgnoreCase)))
            encoding = ce;
        if (encoding is null && deadline is null) return response;

        var headers = response.Headers;
        var body = response.Body;
        if (encoding is not null)
        {
            headers = HeaderCollection.FromFields(response.Headers
                .Where(f => !f.Name.Equals("Content-Encoding", StringComparison.OrdinalIgnoreCase)
                    && !f.Name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                .Select(f => KeyValuePair.Create(f.Name, f.Value)));
            body = ClientBodyStream.Decoder(encoding, body);
        }
        var delivered = response.With(headers, new ClientBodyStream(body, deadline, response.Request));
        deadline = null;
        return delivered;
    }

    private static string Authority(Uri uri)
    {
        // IdnHost gives IPv6 literals without their brackets; Host keeps them.
        var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host : uri.IdnHost;
        return uri.IsDefaultPort ? host : $"{host}:{uri.Port}";
    }

    private static ClientRequest WithBody(string method, Uri uri, string contentType, RequestContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return new ClientRequest(method, uri, content) { Headers = RequestHeaders.From(("Content-Type", contentType)) };
    }
}
