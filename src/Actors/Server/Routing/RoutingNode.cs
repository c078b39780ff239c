namespace ActorHttp.Server.Routing;

/// <summary>
/// A node of the path part of the routing tree (Go's <c>routingNode</c>): a leaf holds one
/// registration; an interior node branches on the next path segment. Built once by
/// <see cref="RoutingTree{THandler}"/> and never changed after, so any number of threads may read it.
/// </summary>
internal sealed class RoutingNode<THandler> where THandler : class
{
    private Dictionary<string, RoutingNode<THandler>>? _literals;
    private Dictionary<string, RoutingNode<THandler>>.AlternateLookup<ReadOnlySpan<char>> _literalLookup;

    /// <summary>The registration that ends here, or null for an interior node.</summary>
    public RouteEntry<THandler>? Entry { get; private set; }

    /// <summary>Child for a <c>{name}</c> segment.</summary>
    public RoutingNode<THandler>? Wildcard { get; private set; }

    /// <summary>Child (a leaf) for a <c>{name...}</c> or trailing-slash remainder.</summary>
    public RoutingNode<THandler>? Remainder { get; private set; }

    /// <summary>Child (a leaf) for <c>{$}</c>.</summary>
    public RoutingNode<THandler>? End { get; private set; }

    /// <summary>The child for an unescaped literal segment, or null.</summary>
    public RoutingNode<THandler>? FindLiteral(ReadOnlySpan<char> segment) =>
        _literals is not null && _literalLookup.TryGetValue(segment, out var child) ? child : null;

    // Building: only RoutingTree calls these, before the tree is published.

    public void Add(ReadOnlySpan<RouteSegment> segments, RouteEntry<THandler> entry)
    {
        var node = this;
        foreach (var segment in segments)
        {
            node = segment.Kind switch
            {
                RouteSegmentKind.Literal => node.LiteralChild(segment.Value),
                RouteSegmentKind.Wildcard => node.Wildcard ??= new RoutingNode<THandler>(),
                RouteSegmentKind.Remainder => node.Remainder ??= new RoutingNode<THandler>(),
                _ => node.End ??= new RoutingNode<THandler>(),
            };
        }
        // Equivalent patterns are refused as conflicts before the tree is built, so a leaf is set once.
        if (node.Entry is not null)
        {
            throw new InvalidOperationException($"{entry.Pattern} and {node.Entry.Pattern} end on the same node");
        }
        node.Entry = entry;
    }

    private RoutingNode<THandler> LiteralChild(string literal)
    {
        if (_literals is null)
        {
            _literals = new Dictionary<string, RoutingNode<THandler>>(StringComparer.Ordinal);
            _literalLookup = _literals.GetAlternateLookup<ReadOnlySpan<char>>();
        }
        if (!_literals.TryGetValue(literal, out var child))
        {
            child = new RoutingNode<THandler>();
            _literals.Add(literal, child);
        }
        return child;
    }
}
