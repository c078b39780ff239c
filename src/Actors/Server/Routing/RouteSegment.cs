namespace ActorHttp.Server.Routing;

/// <summary>One piece of a parsed pattern path: a literal, a wildcard, a remainder or the <c>{$}</c> end anchor.</summary>
/// <param name="Kind">What the piece matches.</param>
/// <param name="Value">The unescaped literal, the wildcard name, or "" for an anonymous remainder (trailing slash) and for <c>{$}</c>.</param>
public readonly record struct RouteSegment(RouteSegmentKind Kind, string Value)
{
    /// <summary>True for a <c>{name...}</c> or trailing-slash remainder.</summary>
    public bool IsRemainder => Kind == RouteSegmentKind.Remainder;
}
