namespace ActorHttp.Server.Routing;

/// <summary>The closed set of reasons a pattern is refused by <see cref="RoutePattern.Parse"/>; each maps to Go's wording.</summary>
public enum RoutePatternErrorKind
{
    /// <summary>"empty pattern"</summary>
    EmptyPattern,

    /// <summary>"invalid method": the text before the first space or tab is not an HTTP token.</summary>
    InvalidMethod,

    /// <summary>"host/path missing /"</summary>
    MissingSlash,

    /// <summary>"host contains '{' (missing initial '/'?)"</summary>
    HostContainsBrace,

    /// <summary>"non-CONNECT pattern with unclean path can never match": request paths are cleaned before matching.</summary>
    UncleanPath,

    /// <summary>"bad wildcard segment": a wildcard must be a whole segment, '{' first and '}' last.</summary>
    BadWildcardSegment,

    /// <summary>"bad wildcard name": names must be identifiers (a letter or '_', then letters, digits, '_').</summary>
    BadWildcardName,

    /// <summary>"empty wildcard": <c>{}</c> or <c>{...}</c>.</summary>
    EmptyWildcard,

    /// <summary>"{$} not at end"</summary>
    EndNotAtEnd,

    /// <summary>"{...} wildcard not at end"</summary>
    RemainderNotAtEnd,

    /// <summary>"duplicate wildcard name"</summary>
    DuplicateWildcardName,
}
