using System.Buffers;
using ActorHttp.Protocol;

namespace ActorHttp.Server.Routing;

/// <summary>
/// The decision tree of a <see cref="RouteTable{THandler}"/> (Go's <c>routing_tree.go</c>): the root
/// branches on host, the next level on method, the rest on consecutive path segments. Built whole
/// from the registrations and immutable afterwards.
/// </summary>
/// <remarks>
/// At each path node a literal child is tried first, then a <c>{name}</c> child, then the
/// remainder. That order is the precedence rule itself: every registered pair of patterns was
/// checked not to conflict, so where a literal and a wildcard both could match, the literal's
/// pattern is the more specific one. A failed literal branch backtracks to the wildcard.
/// Matching works on spans and looks literals up without allocating.
/// </remarks>
internal sealed class RoutingTree<THandler> where THandler : class
{
    // Unescaped segments up to this length are decoded on the stack for the literal lookup.
    private const int StackSegmentLimit = 256;

    private readonly Dictionary<string, MethodLevel>? _hosts;
    private readonly Dictionary<string, MethodLevel>.AlternateLookup<ReadOnlySpan<char>> _hostLookup;
    private readonly MethodLevel? _anyHost;

    private RoutingTree(Dictionary<string, MethodLevel>? hosts, MethodLevel? anyHost)
    {
        _hosts = hosts;
        if (hosts is not null)
        {
            _hostLookup = hosts.GetAlternateLookup<ReadOnlySpan<char>>();
        }
        _anyHost = anyHost;
    }

    public static RoutingTree<THandler> Build(IEnumerable<RouteEntry<THandler>> entries)
    {
        Dictionary<string, MethodLevel>? hosts = null;
        MethodLevel? anyHost = null;
        foreach (var entry in entries)
        {
            var pattern = entry.Pattern;
            MethodLevel level;
            if (pattern.Host.Length == 0)
            {
                level = anyHost ??= new MethodLevel();
            }
            else
            {
                hosts ??= new Dictionary<string, MethodLevel>(StringComparer.OrdinalIgnoreCase);
                if (!hosts.TryGetValue(pattern.Host, out level!))
                {
                    level = new MethodLevel();
                    hosts.Add(pattern.Host, level);
                }
            }
            level.NodeFor(pattern.Method).Add(pattern.SegmentArray, entry);
        }
        return new RoutingTree<THandler>(hosts, anyHost);
    }

    /// <summary>
    /// The leaf whose pattern matches, or null. Patterns for the request's host are tried first;
    /// when none of them matches, patterns without a host are.
    /// </summary>
    public RoutingNode<THandler>? Match(ReadOnlySpan<char> host, string method, ReadOnlySpan<char> path)
    {
        if (!host.IsEmpty && _hosts is not null && _hostLookup.TryGetValue(host, out var level))
        {
            var leaf = level.Match(method, path);
            if (leaf is not null)
            {
                return leaf;
            }
        }
        return _anyHost?.Match(method, path);
    }

    /// <summary>Adds to <paramref name="methods"/> every method that would match this host and path (GET implying HEAD).</summary>
    public void CollectMatchingMethods(ReadOnlySpan<char> host, ReadOnlySpan<char> path, ISet<string> methods)
    {
        if (!host.IsEmpty && _hosts is not null && _hostLookup.TryGetValue(host, out var level))
        {
            level.CollectMatchingMethods(path, methods);
        }
        _anyHost?.CollectMatchingMethods(path, methods);
        if (methods.Contains("GET"))
        {
            methods.Add("HEAD");
        }
    }

    /// <summary>Go's <c>matchPath</c>: <paramref name="path"/> is what is left of the request path, "" or starting with '/'.</summary>
    internal static RoutingNode<THandler>? MatchPath(RoutingNode<THandler>? node, ReadOnlySpan<char> path)
    {
        if (node is null)
        {
            return null;
        }
        if (path.IsEmpty)
        {
            // Only a leaf ends a match; an interior node means the pattern wanted more segments.
            return node.Entry is null ? null : node;
        }
        if (path is "/")
        {
            // A trailing slash: {$} ends here; a single wildcard never matches the empty segment
            // after it; a remainder matches it (as the empty rest).
            return node.End ?? node.Remainder;
        }

        var next = path[1..].IndexOf('/');
        var segment = next < 0 ? path[1..] : path.Slice(1, next);
        var rest = next < 0 ? [] : path[(next + 1)..];

        var literal = FindLiteral(node, segment);
        if (literal is not null && MatchPath(literal, rest) is { } viaLiteral)
        {
            return viaLiteral;
        }
        if (node.Wildcard is not null && MatchPath(node.Wildcard, rest) is { } viaWildcard)
        {
            return viaWildcard;
        }
        return node.Remainder;
    }

    // Segments are compared unescaped (so "%2F" inside a segment never splits it); an invalid
    // escape leaves the segment as it is, as Go does.
    private static RoutingNode<THandler>? FindLiteral(RoutingNode<THandler> node, ReadOnlySpan<char> segment)
    {
        if (!segment.Contains('%'))
        {
            return node.FindLiteral(segment);
        }
        char[]? rented = null;
        var buffer = segment.Length <= StackSegmentLimit
            ? stackalloc char[StackSegmentLimit]
            : (rented = ArrayPool<char>.Shared.Rent(segment.Length));
        try
        {
            return PercentEncoding.Unescape(segment, buffer, plusAsSpace: false, out var written) == OperationStatus.Done
                ? node.FindLiteral(buffer[..written])
                : node.FindLiteral(segment);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The method level of the tree for one host (or for patterns without a host).</summary>
    private sealed class MethodLevel
    {
        private readonly Dictionary<string, RoutingNode<THandler>> _byMethod = new(StringComparer.Ordinal);
        private RoutingNode<THandler>? _anyMethod;

        public RoutingNode<THandler> NodeFor(string method)
        {
            if (method.Length == 0)
            {
                return _anyMethod ??= new RoutingNode<THandler>();
            }
            if (!_byMethod.TryGetValue(method, out var node))
            {
                node = new RoutingNode<THandler>();
                _byMethod.Add(method, node);
            }
            return node;
        }

        public RoutingNode<THandler>? Match(string method, ReadOnlySpan<char> path)
        {
            if (_byMethod.Count > 0)
            {
                if (_byMethod.TryGetValue(method, out var exact) && MatchPath(exact, path) is { } leaf)
                {
                    return leaf;
                }
                // GET patterns serve HEAD too, but a HEAD pattern, tried just above, wins.
                if (method == "HEAD" && _byMethod.TryGetValue("GET", out var get) && MatchPath(get, path) is { } viaGet)
                {
                    return viaGet;
                }
            }
            return MatchPath(_anyMethod, path);
        }

        public void CollectMatchingMethods(ReadOnlySpan<char> path, ISet<string> methods)
        {
            // Patterns without a method are not consulted: they would have matched already.
            foreach (var (method, node) in _byMethod)
            {
                if (MatchPath(node, path) is not null)
                {
                    methods.Add(method);
                }
            }
        }
    }
}
