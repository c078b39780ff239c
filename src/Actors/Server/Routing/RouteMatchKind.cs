namespace ActorHttp.Server.Routing;

/// <summary>What <see cref="RouteTable{THandler}.Match"/> decided for a request.</summary>
public enum RouteMatchKind
{
    /// <summary>A pattern matched: run its handler with the path values.</summary>
    Found,

    /// <summary>Answer 301 with the Location: the path was unclean, or a subtree was asked for without its trailing slash.</summary>
    Redirect,

    /// <summary>Answer 405 with the Allow header: some pattern matches the host and path, but none the method.</summary>
    MethodNotAllowed,

    /// <summary>Answer 404: nothing matches.</summary>
    NotFound,
}
