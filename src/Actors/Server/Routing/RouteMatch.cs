namespace ActorHttp.Server.Routing;

/// <summary>
/// The outcome of routing one request: which handler runs with which path values, or the 301,
/// 405 or 404 answer the router gives instead. A struct, so that routing allocates nothing but
/// the path values.
/// </summary>
public readonly struct RouteMatch<THandler> where THandler : class
{
    private RouteMatch(RouteMatchKind kind, THandler? handler, RoutePattern? pattern, PathValues values, string? location, string? allow)
    {
        Kind = kind;
        Handler = handler;
        Pattern = pattern;
        PathValues = values;
        RedirectLocation = location;
        Allow = allow;
    }

    /// <summary>What was decided.</summary>
    public RouteMatchKind Kind { get; }

    /// <summary>The handler to run; set only for <see cref="RouteMatchKind.Found"/>.</summary>
    public THandler? Handler { get; }

    /// <summary>
    /// The pattern that matched (Found), or the one that will match once the client follows the
    /// redirect (Redirect, when known); null otherwise.
    /// </summary>
    public RoutePattern? Pattern { get; }

    /// <summary>The wildcard values for the handler (Found only).</summary>
    public PathValues PathValues { get; }

    /// <summary>The Location for a 301: an absolute path, with the request's query when it had one.</summary>
    public string? RedirectLocation { get; }

    /// <summary>The Allow header value for a 405: the methods that would match, sorted, comma-separated.</summary>
    public string? Allow { get; }

    /// <summary>The status the router answers with: 200 for Found (the handler decides), 301, 405 or 404.</summary>
    public int StatusCode => Kind switch
    {
        RouteMatchKind.Redirect => 301,
        RouteMatchKind.MethodNotAllowed => 405,
        RouteMatchKind.NotFound => 404,
        _ => 200,
    };

    internal static RouteMatch<THandler> Found(THandler handler, RoutePattern pattern, PathValues values) =>
        new(RouteMatchKind.Found, handler, pattern, values, null, null);

    internal static RouteMatch<THandler> Redirect(string location, RoutePattern? pattern) =>
        new(RouteMatchKind.Redirect, null, pattern, default, location, null);

    internal static RouteMatch<THandler> MethodNotAllowed(string allow) =>
        new(RouteMatchKind.MethodNotAllowed, null, null, default, null, allow);

    internal static RouteMatch<THandler> NotFound() =>
        new(RouteMatchKind.NotFound, null, null, default, null, null);

    /// <summary>A one-line summary for logs and test output.</summary>
    public override string ToString() => Kind switch
    {
        RouteMatchKind.Found => $"Found {Pattern} [{PathValues}]",
        RouteMatchKind.Redirect => $"Redirect {RedirectLocation}",
        RouteMatchKind.MethodNotAllowed => $"MethodNotAllowed (Allow: {Allow})",
        _ => "NotFound",
    };
}
