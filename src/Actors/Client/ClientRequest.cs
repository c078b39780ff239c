namespace ActorHttp.Client;

/// <summary>
/// An HTTP request to send: method, absolute <c>http</c>/<c>https</c> URI, header fields, an
/// optional body and per-request options. Immutable (edit with <c>with</c>), so it is also the
/// request message of the actor API; <see cref="ToString"/> never prints the body.
/// </summary>
/// <remarks>
/// <para>Framing fields (<c>Content-Length</c>, <c>Transfer-Encoding</c>) come from
/// <see cref="Content"/>; the client removes them from <see cref="Headers"/>. A <c>Host</c> field
/// overrides the URI's authority (Go's <c>Request.Host</c>) for the first request and for
/// redirects to the same authority.</para>
/// </remarks>
public sealed record ClientRequest
{
    private readonly string _method = "";
    private readonly Uri _uri = null!;
    private readonly RequestHeaders _headers = RequestHeaders.Empty;

    /// <summary>A request without body, headers or trace.</summary>
    /// <param name="method">The method token, case-sensitive (RFC 9110 §9.1): "GET", not "get".</param>
    /// <param name="uri">An absolute http or https URI.</param>
    public ClientRequest(string method, Uri uri)
    {
        Method = method;
        Uri = uri;
    }

    /// <summary>A request with a body.</summary>
    public ClientRequest(string method, Uri uri, RequestContent? content) : this(method, uri) => Content = content;

    /// <summary>The method token.</summary>
    public string Method
    {
        get => _method;
        init
        {
            ArgumentException.ThrowIfNullOrEmpty(value);
            foreach (char c in value)
                if (c > 0x7E || c <= 0x20 || "\"(),/:;<=>?@[\\]{}".Contains(c))
                    throw new ArgumentException($"'{value}' is not a method token.", nameof(value));
            _method = value;
        }
    }

    /// <summary>The absolute target URI; its fragment is never sent.</summary>
    public Uri Uri
    {
        get => _uri;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            if (!value.IsAbsoluteUri || (value.Scheme != Uri.UriSchemeHttp && value.Scheme != Uri.UriSchemeHttps))
                throw new ArgumentException($"'{value}' is not an absolute http or https URI.", nameof(value));
            _uri = value;
        }
    }

    /// <summary>The header fields, in order.</summary>
    public RequestHeaders Headers
    {
        get => _headers;
        init => _headers = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The body, or null for none (no <c>Content-Length</c> is sent unless the method expects a body).</summary>
    public RequestContent? Content { get; init; }

    /// <summary>Where the transport reports this request's trace events; null for none.</summary>
    public IClientTrace? Trace { get; init; }

    /// <summary>
    /// True when the request may be sent twice without changing its effect beyond the first
    /// (RFC 9110 §9.2.2), or carries an <c>Idempotency-Key</c> (Go also honours <c>X-Idempotency-Key</c>).
    /// The transport retries only such requests.
    /// </summary>
    public bool IsIdempotent =>
        Method is "GET" or "HEAD" or "OPTIONS" or "TRACE" or "PUT" or "DELETE"
        || Headers.Contains("Idempotency-Key") || Headers.Contains("X-Idempotency-Key");

    /// <summary>True when the request can be sent again: no body, or a replayable one.</summary>
    public bool IsReplayable => Content is null || Content.IsReplayable;

    /// <summary>A GET request for <paramref name="uri"/>.</summary>
    public static ClientRequest Get(Uri uri) => new("GET", uri);

    /// <summary>A GET request for <paramref name="uri"/>.</summary>
    public static ClientRequest Get(string uri) => new("GET", new Uri(uri, UriKind.Absolute));

    /// <summary>This request with one more header field.</summary>
    public ClientRequest WithHeader(string name, string value) => this with { Headers = Headers.Add(name, value) };

    /// <summary>"METHOD uri (n headers, content)"; never the body.</summary>
    public override string ToString() =>
        $"{Method} {Uri} ({Headers.Count} headers{(Content is null ? "" : ", " + Content)})";
}
