using ActorHttp.Protocol;

namespace ActorHttp.Server.Routing;

/// <summary>
/// An immutable ServeMux routing table with Go 1.22 semantics: registrations in, a decision per
/// request out. <see cref="Add(string, THandler)"/> and <see cref="Remove"/> return a new table and leave this one
/// untouched, so one writer (the router actor) can publish tables through a volatile field while
/// every connection matches in parallel without locks.
/// </summary>
/// <remarks>
/// <para><b>Patterns</b> — see <see cref="RoutePattern"/>: <c>[METHOD ][HOST]/[PATH]</c> with
/// <c>{name}</c>, <c>{name...}</c>, <c>{$}</c> and trailing-slash subtrees.</para>
/// <para><b>Precedence.</b> When several patterns match a request the most specific wins: P1 is more
/// specific than P2 when P1 matches a strict subset of P2's requests. Registration order never
/// matters. Two patterns where neither is more specific but some request matches both conflict,
/// and the second registration is refused (<see cref="RouteConflictException"/>). One exception: a
/// pattern with a host beats one without, whatever their paths.</para>
/// <para><b>Methods.</b> GET patterns also serve HEAD. When the host and path match some pattern
/// but the method matches none, the answer is 405 with <c>Allow</c>; otherwise 404.</para>
/// <para><b>Redirects (301).</b> A path with empty, <c>.</c> or <c>..</c> segments is redirected to its
/// clean form (not for CONNECT). A request for <c>/x</c> that only a subtree <c>/x/</c> (or <c>/x/{rest...}</c>)
/// would match is redirected to <c>/x/</c>. Both keep the query.</para>
/// <para><b>Request sanitising.</b> The port is removed from Host before matching (not for CONNECT,
/// as in Go); hosts compare without regard to case. Paths are matched escaped and unescaped one
/// segment at a time, so <c>%2F</c> never splits a segment.</para>
/// <para><b>Cost.</b> Add and Remove rebuild the tree and check the new pattern against every other:
/// O(n), fine for registrations. Match allocates nothing for a pattern without wildcards, and only
/// the captured values otherwise.</para>
/// </remarks>
public sealed class RouteTable<THandler> where THandler : class
{
    // A path this long or shorter gets its trailing-slash variant built on the stack.
    private const int StackPathLimit = 512;

    private readonly RouteEntry<THandler>[] _entries;
    private readonly RoutePattern[] _patterns;
    private readonly RoutingTree<THandler> _tree;

    private RouteTable(RouteEntry<THandler>[] entries)
    {
        _entries = entries;
        _patterns = Array.ConvertAll(entries, e => e.Pattern);
        _tree = RoutingTree<THandler>.Build(entries);
    }

    /// <summary>The table with no routes: every request is a 404 (or a clean-path redirect).</summary>
    public static RouteTable<THandler> Empty { get; } = new([]);

    /// <summary>The registered patterns, in registration order.</summary>
    public IReadOnlyList<RoutePattern> Patterns => _patterns;

    /// <summary>Number of registrations.</summary>
    public int Count => _entries.Length;

    /// <summary>
    /// A new table with <paramref name="pattern"/> routed to <paramref name="handler"/>. Throws
    /// <see cref="RoutePatternException"/> for a malformed pattern and <see cref="RouteConflictException"/>
    /// when it conflicts with a registered one (including the same pattern registered twice).
    /// </summary>
    public RouteTable<THandler> Add(string pattern, THandler handler) => Add(RoutePattern.Parse(pattern), handler);

    /// <summary>As <see cref="Add(string, THandler)"/>, for a pattern already parsed.</summary>
    public RouteTable<THandler> Add(RoutePattern pattern, THandler handler)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(handler);
        foreach (var entry in _entries)
        {
            if (PatternComparison.ConflictsWith(pattern, entry.Pattern))
            {
                throw new RouteConflictException(
                    pattern,
                    entry.Pattern,
                    PatternComparison.DescribeConflict(pattern, entry.Pattern),
                    PatternComparison.CommonPath(pattern, entry.Pattern));
            }
        }
        var entries = new RouteEntry<THandler>[_entries.Length + 1];
        _entries.CopyTo(entries, 0);
        entries[^1] = new RouteEntry<THandler>(pattern, handler);
        return new RouteTable<THandler>(entries);
    }

    /// <summary>
    /// A new table without <paramref name="pattern"/>, compared after normalising whitespace and host
    /// case (<see cref="RoutePattern.Normalized"/>). Returns this same table when it is not registered.
    /// </summary>
    public RouteTable<THandler> Remove(string pattern)
    {
        var normalized = RoutePattern.Parse(pattern).Normalized;
        var index = Array.FindIndex(_entries, e => e.Pattern.Normalized == normalized);
        if (index < 0)
        {
            return this;
        }
        var entries = new RouteEntry<THandler>[_entries.Length - 1];
        Array.Copy(_entries, 0, entries, 0, index);
        Array.Copy(_entries, index + 1, entries, index, entries.Length - index);
        return entries.Length == 0 ? Empty : new RouteTable<THandler>(entries);
    }

    /// <summary>The handler registered for exactly <paramref name="pattern"/> (normalised), or null.</summary>
    public THandler? Find(string pattern)
    {
        var normalized = RoutePattern.Parse(pattern).Normalized;
        return Array.Find(_entries, e => e.Pattern.Normalized == normalized)?.Handler;
    }

    /// <summary>
    /// Routes one request (Go's <c>ServeMux.findHandler</c>).
    /// </summary>
    /// <param name="method">The request method, case-sensitive.</param>
    /// <param name="host">The Host header (or the authority of an absolute-form target); a port is ignored except for CONNECT.</param>
    /// <param name="escapedPath">The path of the request target as received, still percent-encoded, without the query.</param>
    /// <param name="rawQuery">The raw query without '?', or null; carried into redirect locations.</param>
    /// <remarks>
    /// The asterisk-form target (<c>OPTIONS *</c>) is not a path: Go answers it with 400 before
    /// consulting the mux, and so should the caller; here it is simply not found.
    /// </remarks>
    public RouteMatch<THandler> Match(string method, string? host, string escapedPath, string? rawQuery)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(escapedPath);
        if (escapedPath == "*")
        {
            return RouteMatch<THandler>.NotFound();
        }

        var hostSpan = host.AsSpan();
        string path;
        if (method == "CONNECT")
        {
            // CONNECT paths are not canonicalised and the host keeps its port (Go's rules), but the
            // missing-trailing-slash redirect still applies.
            path = escapedPath;
        }
        else
        {
            hostSpan = StripPort(hostSpan);
            path = HttpPath.Clean(escapedPath);
        }

        var leaf = _tree.Match(hostSpan, method, path);
        if (!IsExactMatch(leaf, path) && !path.EndsWith('/') && TryTrailingSlash(hostSpan, method, path) is { } subtree)
        {
            return RouteMatch<THandler>.Redirect(WithQuery(HttpPath.Clean(path) + "/", rawQuery), subtree.Entry!.Pattern);
        }
        if (!ReferenceEquals(path, escapedPath))
        {
            return RouteMatch<THandler>.Redirect(WithQuery(path, rawQuery), leaf?.Entry!.Pattern);
        }
        if (leaf is null)
        {
            return NotMatched(hostSpan, path);
        }
        var entry = leaf.Entry!;
        return RouteMatch<THandler>.Found(entry.Handler, entry.Pattern, PathValueReader.Read(entry.Pattern, path));
    }

    // 405 when another method would match this host and path (or the path with a trailing slash,
    // which the redirect above would have tried), else 404.
    private RouteMatch<THandler> NotMatched(ReadOnlySpan<char> host, string path)
    {
        var methods = new SortedSet<string>(StringComparer.Ordinal);
        _tree.CollectMatchingMethods(host, path, methods);
        if (!path.EndsWith('/'))
        {
            _tree.CollectMatchingMethods(host, path + "/", methods);
        }
        return methods.Count == 0
            ? RouteMatch<THandler>.NotFound()
            : RouteMatch<THandler>.MethodNotAllowed(string.Join(", ", methods));
    }

    // The match for path + "/", when that match is exact (Go's matchOrRedirect).
    private RoutingNode<THandler>? TryTrailingSlash(ReadOnlySpan<char> host, string method, string path)
    {
        var buffer = path.Length < StackPathLimit ? stackalloc char[path.Length + 1] : new char[path.Length + 1];
        path.CopyTo(buffer);
        buffer[^1] = '/';
        var leaf = _tree.Match(host, method, buffer);
        return IsExactMatch(leaf, buffer) ? leaf : null;
    }

    /// <summary>
    /// Go's <c>exactMatch</c>: a match is inexact only when a remainder wildcard swallowed a
    /// non-empty rest of the path (<c>/</c> matching <c>/a</c>). <c>/a/</c> matching <c>/a/</c> is exact.
    /// </summary>
    private static bool IsExactMatch(RoutingNode<THandler>? leaf, ReadOnlySpan<char> path)
    {
        if (leaf is null)
        {
            return false;
        }
        var pattern = leaf.Entry!.Pattern;
        if (!pattern.LastSegment.IsRemainder)
        {
            return true;
        }
        if (path.Length > 0 && path[^1] != '/')
        {
            return false;
        }
        // The remainder is empty when the pattern has as many segments as the path has slashes.
        return pattern.SegmentArray.Length == path.Count('/');
    }

    private static string WithQuery(string path, string? rawQuery) =>
        string.IsNullOrEmpty(rawQuery) ? path : path + "?" + rawQuery;

    /// <summary>
    /// The host without a trailing <c>:port</c> (Go's <c>stripHostPort</c> via <c>net.SplitHostPort</c>):
    /// <c>[::1]:80</c> gives <c>::1</c>; a host that does not split cleanly is used as it is.
    /// </summary>
    internal static ReadOnlySpan<char> StripPort(ReadOnlySpan<char> host)
    {
        var colon = host.LastIndexOf(':');
        if (colon < 0)
        {
            return host;
        }
        if (host[0] == '[')
        {
            var close = host.IndexOf(']');
            // "[v6]:port" splits; "[v6]" alone or anything else after ']' does not.
            return close > 0 && close + 1 == colon && host[(close + 1)..].IndexOfAny('[', ']') < 0
                ? host[1..close]
                : host;
        }
        // More than one colon without brackets is an unbracketed IPv6 address: not splittable.
        return host[..colon].Contains(':') || host[..colon].IndexOfAny('[', ']') >= 0 ? host : host[..colon];
    }
}
