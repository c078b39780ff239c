using System.Text;

namespace ActorHttp.Server.Routing;

/// <summary>
/// The precedence algebra of Go 1.22's ServeMux (<c>pattern.go</c>): how the request sets of two
/// patterns relate, whether they conflict, and the example paths used to explain a conflict.
/// </summary>
/// <remarks>
/// A pattern is more specific than another when it matches a strict subset of its requests. The
/// method part and the path part are compared separately and the two answers combined: for
/// example "GET /" against "/a" is more specific in method but more general in path, so they
/// overlap and conflict. Hosts are handled before any of this (<see cref="ConflictsWith"/>).
/// </remarks>
internal static class PatternComparison
{
    /// <summary>True when p1 and p2 share a host (or both have none) and are equivalent or overlap.</summary>
    public static bool ConflictsWith(RoutePattern p1, RoutePattern p2)
    {
        // Different hosts: either one is empty and the host-specific pattern wins outright,
        // or they name different hosts and no request matches both.
        if (!string.Equals(p1.Host, p2.Host, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var relationship = ComparePathsAndMethods(p1, p2);
        return relationship is RouteRelationship.Equivalent or RouteRelationship.Overlaps;
    }

    public static RouteRelationship ComparePathsAndMethods(RoutePattern p1, RoutePattern p2)
    {
        var methods = CompareMethods(p1, p2);
        if (methods == RouteRelationship.Disjoint)
        {
            return RouteRelationship.Disjoint;
        }
        return Combine(methods, ComparePaths(p1, p2));
    }

    /// <summary>No method is the most general; GET covers HEAD; any other method covers only itself.</summary>
    public static RouteRelationship CompareMethods(RoutePattern p1, RoutePattern p2)
    {
        if (p1.Method == p2.Method)
        {
            return RouteRelationship.Equivalent;
        }
        if (p1.Method.Length == 0)
        {
            return RouteRelationship.MoreGeneral;
        }
        if (p2.Method.Length == 0)
        {
            return RouteRelationship.MoreSpecific;
        }
        if (p1.Method == "GET" && p2.Method == "HEAD")
        {
            return RouteRelationship.MoreGeneral;
        }
        if (p1.Method == "HEAD" && p2.Method == "GET")
        {
            return RouteRelationship.MoreSpecific;
        }
        return RouteRelationship.Disjoint;
    }

    public static RouteRelationship ComparePaths(RoutePattern p1, RoutePattern p2)
    {
        var s1 = p1.SegmentArray;
        var s2 = p2.SegmentArray;
        // Without a remainder a pattern only matches paths with exactly its number of segments.
        if (s1.Length != s2.Length && !p1.LastSegment.IsRemainder && !p2.LastSegment.IsRemainder)
        {
            return RouteRelationship.Disjoint;
        }
        var relationship = RouteRelationship.Equivalent;
        var common = Math.Min(s1.Length, s2.Length);
        for (var i = 0; i < common; i++)
        {
            relationship = Combine(relationship, CompareSegments(s1[i], s2[i]));
            if (relationship == RouteRelationship.Disjoint)
            {
                return relationship;
            }
        }
        if (s1.Length == s2.Length)
        {
            return relationship;
        }
        // The shorter pattern can only still match if it ends in a remainder, which is then more
        // general than whatever the longer one has left.
        if (s1.Length < s2.Length && p1.LastSegment.IsRemainder)
        {
            return Combine(relationship, RouteRelationship.MoreGeneral);
        }
        if (s2.Length < s1.Length && p2.LastSegment.IsRemainder)
        {
            return Combine(relationship, RouteRelationship.MoreSpecific);
        }
        return RouteRelationship.Disjoint;
    }

    public static RouteRelationship CompareSegments(RouteSegment s1, RouteSegment s2)
    {
        if (s1.IsRemainder && s2.IsRemainder)
        {
            return RouteRelationship.Equivalent;
        }
        if (s1.IsRemainder)
        {
            return RouteRelationship.MoreGeneral;
        }
        if (s2.IsRemainder)
        {
            return RouteRelationship.MoreSpecific;
        }
        var wild1 = s1.Kind == RouteSegmentKind.Wildcard;
        var wild2 = s2.Kind == RouteSegmentKind.Wildcard;
        if (wild1 && wild2)
        {
            return RouteRelationship.Equivalent;
        }
        if (wild1)
        {
            // A single wildcard never matches the empty end that {$} stands for.
            return s2.Kind == RouteSegmentKind.End ? RouteRelationship.Disjoint : RouteRelationship.MoreGeneral;
        }
        if (wild2)
        {
            return s1.Kind == RouteSegmentKind.End ? RouteRelationship.Disjoint : RouteRelationship.MoreSpecific;
        }
        // Literals and end anchors: equal or nothing in common.
        return s1 == s2 ? RouteRelationship.Equivalent : RouteRelationship.Disjoint;
    }

    /// <summary>
    /// The relationship of two patterns given the relationships of two parts of them (method and
    /// path, or a prefix and the next segment): more general one way and more specific the other
    /// makes an overlap; disjoint anywhere is disjoint overall.
    /// </summary>
    public static RouteRelationship Combine(RouteRelationship r1, RouteRelationship r2) => r1 switch
    {
        RouteRelationship.Equivalent => r2,
        RouteRelationship.Disjoint => RouteRelationship.Disjoint,
        RouteRelationship.Overlaps => r2 == RouteRelationship.Disjoint ? RouteRelationship.Disjoint : RouteRelationship.Overlaps,
        _ when r2 == RouteRelationship.Equivalent => r1,
        _ when r2 == Inverse(r1) => RouteRelationship.Overlaps,
        _ => r2,
    };

    /// <summary>If p1 relates to p2 as <paramref name="r"/>, p2 relates to p1 as the result.</summary>
    public static RouteRelationship Inverse(RouteRelationship r) => r switch
    {
        RouteRelationship.MoreGeneral => RouteRelationship.MoreSpecific,
        RouteRelationship.MoreSpecific => RouteRelationship.MoreGeneral,
        _ => r,
    };

    /// <summary>Explains, in Go's words, why two conflicting patterns conflict.</summary>
    public static string DescribeConflict(RoutePattern p1, RoutePattern p2)
    {
        var methods = CompareMethods(p1, p2);
        var paths = ComparePaths(p1, p2);
        var relationship = Combine(methods, paths);
        var common = CommonPath(p1, p2);
        if (relationship == RouteRelationship.Equivalent)
        {
            return $"{p1} matches the same requests as {p2} (both match \"{common}\")";
        }
        if (relationship != RouteRelationship.Overlaps)
        {
            throw new InvalidOperationException($"{p1} and {p2} do not conflict");
        }
        if (paths == RouteRelationship.Overlaps)
        {
            return $"{p1} and {p2} both match some paths, like \"{common}\".\n" +
                   "But neither is more specific than the other.\n" +
                   $"{p1} matches \"{DifferencePath(p1, p2)}\", but {p2} doesn't.\n" +
                   $"{p2} matches \"{DifferencePath(p2, p1)}\", but {p1} doesn't.";
        }
        if (methods == RouteRelationship.MoreGeneral && paths == RouteRelationship.MoreSpecific)
        {
            return $"{p1} matches more methods than {p2}, but has a more specific path pattern (both match \"{common}\")";
        }
        if (methods == RouteRelationship.MoreSpecific && paths == RouteRelationship.MoreGeneral)
        {
            return $"{p1} matches fewer methods than {p2}, but has a more general path pattern (both match \"{common}\")";
        }
        throw new InvalidOperationException($"unexpected way for {p1} and {p2} to conflict: methods {methods}, paths {paths}");
    }

    /// <summary>A path both patterns match; they must not be disjoint.</summary>
    public static string CommonPath(RoutePattern p1, RoutePattern p2)
    {
        var b = new StringBuilder();
        var s1 = p1.SegmentArray;
        var s2 = p2.SegmentArray;
        var common = Math.Min(s1.Length, s2.Length);
        for (var i = 0; i < common; i++)
        {
            // Where p1 has a literal, p2 must accept it (or they would be disjoint); otherwise take p2's.
            WriteSegment(b, s1[i].Kind == RouteSegmentKind.Wildcard || s1[i].IsRemainder ? s2[i] : s1[i]);
        }
        WriteMatchingPath(b, s1.Length > common ? s1.AsSpan(common) : s2.AsSpan(common));
        return b.ToString();
    }

    /// <summary>A path p1 matches and p2 does not; p1 must overlap or be more general than p2.</summary>
    public static string DifferencePath(RoutePattern p1, RoutePattern p2)
    {
        var b = new StringBuilder();
        var s1 = p1.SegmentArray;
        var s2 = p2.SegmentArray;
        var common = Math.Min(s1.Length, s2.Length);
        for (var i = 0; i < common; i++)
        {
            var a = s1[i];
            var c = s2[i];
            if (a.IsRemainder && c.IsRemainder)
            {
                // From here on both match the same paths; the difference lies earlier.
                b.Append('/');
                return b.ToString();
            }
            if (a.IsRemainder)
            {
                // A trailing slash tells them apart, unless p2 ends in {$}: then any segment does.
                b.Append('/');
                if (c.Kind == RouteSegmentKind.End)
                {
                    b.Append(a.Value.Length > 0 ? a.Value : "x");
                }
                return b.ToString();
            }
            if (a.Kind == RouteSegmentKind.Wildcard && c.Kind != RouteSegmentKind.Wildcard && !c.IsRemainder && a.Value == c.Value)
            {
                // Any segment but p2's literal will do; the wildcard's name is that literal, so tweak it.
                b.Append('/').Append(Escape(c.Value)).Append('x');
                continue;
            }
            WriteSegment(b, a);
        }
        WriteMatchingPath(b, s1.Length > common ? s1.AsSpan(common) : s2.AsSpan(common));
        return b.ToString();
    }

    private static void WriteMatchingPath(StringBuilder b, ReadOnlySpan<RouteSegment> segments)
    {
        foreach (var segment in segments)
        {
            WriteSegment(b, segment);
        }
    }

    // A wildcard is shown by its name, which is a fine example value for it.
    private static void WriteSegment(StringBuilder b, RouteSegment segment)
    {
        b.Append('/');
        if (segment.Kind is RouteSegmentKind.Literal or RouteSegmentKind.Wildcard)
        {
            b.Append(Escape(segment.Value));
        }
    }

    // Literals are stored unescaped; an example path must be written escaped to mean the same thing.
    private static string Escape(string value) =>
        value.AsSpan().IndexOfAny('/', '%') < 0 ? value : value.Replace("%", "%25").Replace("/", "%2F");
}
