using System.Text;

namespace ActorHttp.Hocon;

/// <summary>
/// A path through nested objects, as a list of keys. Written as keys joined by dots; a key that
/// contains a dot (or anything else unquoted text cannot hold) is quoted: <c>a."b.c".d</c>.
/// <see cref="ToString"/> gives that canonical form, which is what read tracking and
/// <see cref="Config.AsEnumerable"/> report.
/// </summary>
internal sealed class HoconPath : IEquatable<HoconPath>
{
    private readonly string[] _segments;
    private string? _rendered;

    internal HoconPath(IEnumerable<string> segments) => _segments = segments.ToArray();

    public static HoconPath Root { get; } = new(Array.Empty<string>());

    public IReadOnlyList<string> Segments => _segments;

    public int Length => _segments.Length;

    public bool IsRoot => _segments.Length == 0;

    public HoconPath Append(HoconPath other) =>
        other.IsRoot ? this : IsRoot ? other : new HoconPath(_segments.Concat(other._segments));

    public HoconPath Append(string key) => new(_segments.Append(key));

    public HoconPath Prefix(int length) => new(_segments.Take(length));

    public HoconPath Skip(int count) => new(_segments.Skip(count));

    /// <summary>True when this path equals <paramref name="prefix"/> or lies below it.</summary>
    public bool StartsWith(HoconPath prefix)
    {
        if (prefix.Length > Length) return false;
        for (var i = 0; i < prefix.Length; i++)
            if (!string.Equals(_segments[i], prefix._segments[i], StringComparison.Ordinal)) return false;
        return true;
    }

    /// <summary>Parses a path expression such as <c>a.b</c> or <c>a."b.c"</c>.</summary>
    /// <exception cref="ConfigException">The expression is empty or malformed (<see cref="ConfigErrorKind.BadPath"/>).</exception>
    public static HoconPath Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        try
        {
            var tokens = HoconLexer.TokenizePath(expression, "path expression");
            return FromTokens(tokens, new SourcePosition("path expression", 1, 1));
        }
        catch (HoconParseException e)
        {
            throw new ConfigException(ConfigErrorKind.BadPath, $"invalid path expression '{expression}': {e.Message}", inner: e);
        }
    }

    /// <summary>
    /// Builds a path from the tokens of a key or a substitution: unquoted text is split at dots,
    /// quoted text is taken whole, whitespace inside the expression is kept.
    /// </summary>
    internal static HoconPath FromTokens(IReadOnlyList<HoconToken> tokens, SourcePosition where)
    {
        var start = 0;
        var end = tokens.Count;
        while (start < end && tokens[start].Kind == HoconTokenKind.Whitespace) start++;
        while (end > start && tokens[end - 1].Kind == HoconTokenKind.Whitespace) end--;
        if (start == end) throw new HoconParseException("expected a key or path, found nothing", where);

        var segments = new List<string>();
        var current = new StringBuilder();
        var started = false;
        for (var i = start; i < end; i++)
        {
            var token = tokens[i];
            switch (token.Kind)
            {
                case HoconTokenKind.QuotedString:
                    current.Append(token.Text);
                    started = true;
                    break;
                case HoconTokenKind.Whitespace:
                    current.Append(token.Text);
                    break;
                case HoconTokenKind.Unquoted:
                    var pieces = token.Text.Split('.');
                    for (var p = 0; p < pieces.Length; p++)
                    {
                        if (p > 0)
                        {
                            EndSegment(token.Position);
                        }
                        current.Append(pieces[p]);
                        if (pieces[p].Length > 0) started = true;
                    }
                    break;
                default:
                    throw new HoconParseException($"{token.Describe()} cannot be part of a key or path", token.Position);
            }
        }
        EndSegment(tokens[end - 1].Position);
        return new HoconPath(segments);

        void EndSegment(SourcePosition at)
        {
            if (!started) throw new HoconParseException("a path has an empty element (two dots, or a dot at the start or end); quote an empty key as \"\"", at);
            segments.Add(current.ToString());
            current.Clear();
            started = false;
        }
    }

    public override string ToString() => _rendered ??= string.Join('.', _segments.Select(RenderKey));

    /// <summary>Renders one key, quoting it when it could not be read back unquoted.</summary>
    internal static string RenderKey(string key)
    {
        if (key.Length > 0 && !key.Contains("//", StringComparison.Ordinal) && key.All(c => c != '.' && HoconLexer.IsUnquotedChar(c)))
            return key;
        return HoconRenderer.Quote(key);
    }

    public bool Equals(HoconPath? other) => other is not null && other.Length == Length && StartsWith(other);

    public override bool Equals(object? obj) => obj is HoconPath other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var s in _segments) hash.Add(s, StringComparer.Ordinal);
        return hash.ToHashCode();
    }
}
