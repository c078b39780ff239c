using ActorHttp.Server.Routing;

namespace ActorHttp.Server;

/// <summary>
/// The routing table the router actor publishes and every connection reads: the router is its only
/// writer and swaps in a new immutable table per registration, so connections match in parallel
/// without locks or a trip through the router's mailbox.
/// </summary>
public sealed class RouteTableHolder
{
    private RouteTable<Route> _current = RouteTable<Route>.Empty;

    /// <summary>The table in force.</summary>
    public RouteTable<Route> Current => Volatile.Read(ref _current);

    /// <summary>Publishes a new table. Called by the router actor only.</summary>
    internal void Publish(RouteTable<Route> table) => Volatile.Write(ref _current, table);
}
