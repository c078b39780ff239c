using System.Text;
using ActorHttp.Protocol;

namespace ActorHttp.Server.Routing;

/// <summary>
/// A parsed ServeMux pattern, Go 1.22 syntax: <c>[METHOD ][HOST]/[PATH]</c>.
/// </summary>
/// <remarks>
/// <para><b>Syntax.</b> METHOD, when present, is an HTTP token followed by one or more spaces or tabs.
/// HOST is everything before the first '/'. PATH is made of '/'-separated segments, each a literal,
/// <c>{name}</c> (one segment), <c>{name...}</c> (the rest of the path; last only) or <c>{$}</c>
/// (the end of the path after a slash; last only). A path ending in '/' matches a whole subtree,
/// as if it ended in an anonymous <c>{...}</c>. Names are identifiers and distinct within a pattern.</para>
/// <para><b>Literals.</b> Each literal segment is unescaped (<c>/%61</c> is <c>/a</c>, <c>/a%2Fb</c> is one
/// segment <c>a/b</c>) and matched case-sensitively against the unescaped request segment.</para>
/// <para><b>Methods.</b> No method matches every method; GET also matches HEAD; anything else matches
/// only itself, case-sensitively.</para>
/// <para><b>Hosts.</b> Compared without regard to case, against the request's Host with its port removed
/// (so a host pattern with a port, <c>example.com:9000/</c>, can only match CONNECT requests, whose
/// host keeps its port — as in Go).</para>
/// </remarks>
public sealed class RoutePattern
{
    private RoutePattern(string text, string method, string host, string path, RouteSegment[] segments, string[] wildcardNames)
    {
        Text = text;
        Method = method;
        Host = host;
        Path = path;
        Segments = segments;
        SegmentArray = segments;
        WildcardNames = wildcardNames;
        Normalized = (method.Length == 0 ? "" : method + " ") + host.ToLowerInvariant() + path;
    }

    /// <summary>The pattern exactly as written.</summary>
    public string Text { get; }

    /// <summary>The method, or "" for any method.</summary>
    public string Method { get; }

    /// <summary>The host, or "" for any host.</summary>
    public string Host { get; }

    /// <summary>The path part as written (escapes and wildcards included), starting with '/'.</summary>
    public string Path { get; }

    /// <summary>The path as segments; a trailing '/' appears as an anonymous <see cref="RouteSegmentKind.Remainder"/>.</summary>
    public IReadOnlyList<RouteSegment> Segments { get; }

    /// <summary>Names of the value-capturing wildcards, in path order; <see cref="PathValues"/> uses the same order.</summary>
    public IReadOnlyList<string> WildcardNames { get; }

    /// <summary>
    /// The pattern with its whitespace and host case normalised (<c>METHOD host/path</c>): two texts
    /// with the same normalised form are the same pattern, which is what <see cref="RouteTable{THandler}.Remove"/> compares.
    /// </summary>
    public string Normalized { get; }

    internal RouteSegment[] SegmentArray { get; }

    internal RouteSegment LastSegment => SegmentArray[^1];

    /// <summary>Parses <paramref name="text"/>; throws <see cref="RoutePatternException"/> saying why when it is not a valid pattern.</summary>
    public static RoutePattern Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            throw new RoutePatternException(text, RoutePatternErrorKind.EmptyPattern, -1, "empty pattern");
        }

        var method = "";
        var restStart = 0;
        var separator = text.AsSpan().IndexOfAny(' ', '\t');
        if (separator >= 0)
        {
            method = text[..separator];
            restStart = separator + 1;
            while (restStart < text.Length && text[restStart] is ' ' or '\t')
            {
                restStart++;
            }
            // Go takes an empty method (the pattern starts with a space) as no method at all.
            if (method.Length > 0 && !IsToken(method))
            {
                throw new RoutePatternException(text, RoutePatternErrorKind.InvalidMethod, 0, $"invalid method \"{method}\"");
            }
        }

        var slash = text.IndexOf('/', restStart);
        if (slash < 0)
        {
            throw new RoutePatternException(text, RoutePatternErrorKind.MissingSlash, restStart, "host/path missing /");
        }
        var host = text[restStart..slash];
        var brace = host.IndexOf('{');
        if (brace >= 0)
        {
            throw new RoutePatternException(text, RoutePatternErrorKind.HostContainsBrace, restStart + brace, "host contains '{' (missing initial '/'?)");
        }
        var path = text[slash..];

        // Request paths are cleaned before matching (CONNECT excepted), so such a pattern could never match.
        if (method.Length > 0 && method != "CONNECT" && !HttpPath.IsClean(path))
        {
            throw new RoutePatternException(text, RoutePatternErrorKind.UncleanPath, slash, "non-CONNECT pattern with unclean path can never match");
        }

        var segments = new List<RouteSegment>();
        var names = new List<string>();
        var i = slash; // invariant: text[i] == '/'
        while (i < text.Length)
        {
            var start = i + 1;
            if (start == text.Length)
            {
                segments.Add(new RouteSegment(RouteSegmentKind.Remainder, ""));
                break;
            }
            var end = text.IndexOf('/', start);
            if (end < 0)
            {
                end = text.Length;
            }
            var segment = text[start..end];
            var atEnd = end == text.Length;
            i = end;

            var open = segment.IndexOf('{');
            if (open < 0)
            {
                segments.Add(new RouteSegment(RouteSegmentKind.Literal, UnescapeOrKeep(segment)));
                continue;
            }
            if (open != 0)
            {
                throw new RoutePatternException(text, RoutePatternErrorKind.BadWildcardSegment, start, "bad wildcard segment (must start with '{')");
            }
            if (segment[^1] != '}' || segment.Length < 2)
            {
                throw new RoutePatternException(text, RoutePatternErrorKind.BadWildcardSegment, start, "bad wildcard segment (must end with '}')");
            }
            var name = segment[1..^1];
            if (name == "$")
            {
                if (!atEnd)
                {
                    throw new RoutePatternException(text, RoutePatternErrorKind.EndNotAtEnd, start, "{$} not at end");
                }
                segments.Add(new RouteSegment(RouteSegmentKind.End, ""));
                break;
            }
            var remainder = name.EndsWith("...", StringComparison.Ordinal);
            if (remainder)
            {
                name = name[..^3];
                if (!atEnd)
                {
                    throw new RoutePatternException(text, RoutePatternErrorKind.RemainderNotAtEnd, start, "{...} wildcard not at end");
                }
            }
            if (name.Length == 0)
            {
                throw new RoutePatternException(text, RoutePatternErrorKind.EmptyWildcard, start, "empty wildcard");
            }
            if (!IsIdentifier(name))
            {
                throw new RoutePatternException(text, RoutePatternErrorKind.BadWildcardName, start, $"bad wildcard name \"{name}\"");
            }
            if (names.Contains(name))
            {
                throw new RoutePatternException(text, RoutePatternErrorKind.DuplicateWildcardName, start, $"duplicate wildcard name \"{name}\"");
            }
            names.Add(name);
            segments.Add(new RouteSegment(remainder ? RouteSegmentKind.Remainder : RouteSegmentKind.Wildcard, name));
        }
        return new RoutePattern(text, method, host, path, segments.ToArray(), names.ToArray());
    }

    /// <summary>
    /// True when some request matches both patterns and neither takes precedence: they match the
    /// same requests, or each matches a request the other does not. A pattern with a host never
    /// conflicts with one without (the host wins), nor with one for another host.
    /// </summary>
    public bool ConflictsWith(RoutePattern other) => PatternComparison.ConflictsWith(this, other);

    /// <summary>The pattern as written.</summary>
    public override string ToString() => Text;

    private static string UnescapeOrKeep(string segment) =>
        PercentEncoding.TryUnescapePath(segment, out var unescaped) ? unescaped : segment;

    // RFC 9110 token: the ASCII characters a method may use.
    private static bool IsToken(string s)
    {
        if (s.Length == 0)
        {
            return false;
        }
        foreach (var c in s)
        {
            if (!char.IsAsciiLetterOrDigit(c) && "!#$%&'*+-.^_`|~".IndexOf(c) < 0)
            {
                return false;
            }
        }
        return true;
    }

    // A Go identifier: a Unicode letter or '_' first, then letters, digits or '_'.
    private static bool IsIdentifier(string s)
    {
        var first = true;
        foreach (var rune in s.EnumerateRunes())
        {
            if (!Rune.IsLetter(rune) && rune.Value != '_' && (first || !Rune.IsDigit(rune)))
            {
                return false;
            }
            first = false;
        }
        return !first;
    }
}
