namespace ActorHttp.Server.Routing;

/// <summary>What one piece of a pattern's path matches.</summary>
public enum RouteSegmentKind
{
    /// <summary>Exactly one path segment equal to <see cref="RouteSegment.Value"/> (compared unescaped, case-sensitively).</summary>
    Literal,

    /// <summary><c>{name}</c>: any one path segment, but not the empty remainder after a trailing slash.</summary>
    Wildcard,

    /// <summary><c>{name...}</c>, or a trailing '/' (anonymous): the rest of the path, possibly empty. Always last.</summary>
    Remainder,

    /// <summary><c>{$}</c>: the end of the path right after a slash. Always last.</summary>
    End,
}
