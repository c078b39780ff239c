namespace ActorHttp.Server.Routing;

/// <summary>How the requests matched by one pattern (p1) relate to those matched by another (p2).</summary>
internal enum RouteRelationship
{
    /// <summary>Both match the same requests.</summary>
    Equivalent,

    /// <summary>p1 matches everything p2 does, and more.</summary>
    MoreGeneral,

    /// <summary>p2 matches everything p1 does, and more.</summary>
    MoreSpecific,

    /// <summary>No request matches both.</summary>
    Disjoint,

    /// <summary>Some request matches both, but neither contains the other.</summary>
    Overlaps,
}
