using System.Collections;

namespace ActorHttp.Protocol;

/// <summary>
/// The decoded pairs of a query string, in received order, repeated names kept — Go's
/// <c>url.Values</c> as <c>url.ParseQuery</c> builds it, but ordered.
/// </summary>
/// <remarks>
/// Parsing follows <c>url.ParseQuery</c>: pairs are split on '&amp;' only; a pair containing ';'
/// is skipped and reported (Go ≥ 1.17); empty pairs are ignored; a pair without '=' has an empty
/// value; names and values are decoded with '+' as space; a pair with a bad escape is skipped
/// and reported. Parsing never throws on bad input; the first problem is returned beside the
/// pairs that did parse, so a server can choose to reject the request or carry on as Go does.
/// Lookups scan linearly: queries are short, and this keeps the collection one array.
/// </remarks>
public sealed class QueryParameters : IReadOnlyList<QueryParameter>
{
    private readonly QueryParameter[] _pairs;

    private QueryParameters(QueryParameter[] pairs) => _pairs = pairs;

    /// <summary>A collection with no pairs.</summary>
    public static QueryParameters Empty { get; } = new([]);

    /// <summary>Number of pairs, repeated names counted each time.</summary>
    public int Count => _pairs.Length;

    /// <summary>The pair at <paramref name="index"/> in received order.</summary>
    public QueryParameter this[int index] => _pairs[index];

    /// <summary>Parses a raw query (without the '?'); bad pairs are skipped silently.</summary>
    public static QueryParameters Parse(string? rawQuery) => Parse(rawQuery, out _);

    /// <summary>Parses a raw query (without the '?'); <paramref name="firstError"/> is the first pair skipped as invalid, if any.</summary>
    public static QueryParameters Parse(string? rawQuery, out QueryParseError? firstError)
    {
        firstError = null;
        if (string.IsNullOrEmpty(rawQuery))
        {
            return Empty;
        }
        var pairs = new List<QueryParameter>();
        var start = 0;
        while (start <= rawQuery.Length)
        {
            var end = rawQuery.IndexOf('&', start);
            if (end < 0)
            {
                end = rawQuery.Length;
            }
            var pair = rawQuery.AsSpan(start, end - start);
            start = end + 1;
            if (pair.IsEmpty)
            {
                continue;
            }
            if (pair.Contains(';'))
            {
                firstError ??= new QueryParseError(QueryParseErrorKind.InvalidSemicolonSeparator, pair.ToString());
                continue;
            }
            var eq = pair.IndexOf('=');
            var rawName = eq < 0 ? pair : pair[..eq];
            var rawValue = eq < 0 ? [] : pair[(eq + 1)..];
            if (!PercentEncoding.TryUnescapeQueryComponent(rawName.ToString(), out var name) ||
                !PercentEncoding.TryUnescapeQueryComponent(rawValue.ToString(), out var value))
            {
                firstError ??= new QueryParseError(QueryParseErrorKind.InvalidEscape, pair.ToString());
                continue;
            }
            pairs.Add(new QueryParameter(name, value));
        }
        return pairs.Count == 0 ? Empty : new QueryParameters(pairs.ToArray());
    }

    /// <summary>The first value for <paramref name="name"/> (case-sensitive, as in Go), or null when absent.</summary>
    public string? Get(string name)
    {
        foreach (var pair in _pairs)
        {
            if (string.Equals(pair.Name, name, StringComparison.Ordinal))
            {
                return pair.Value;
            }
        }
        return null;
    }

    /// <summary>Every value for <paramref name="name"/> in received order; empty when absent.</summary>
    public IReadOnlyList<string> GetAll(string name)
    {
        List<string>? values = null;
        foreach (var pair in _pairs)
        {
            if (string.Equals(pair.Name, name, StringComparison.Ordinal))
            {
                (values ??= []).Add(pair.Value);
            }
        }
        return values is null ? [] : values;
    }

    /// <summary>True when at least one pair has <paramref name="name"/>.</summary>
    public bool Contains(string name) => Get(name) is not null;

    /// <inheritdoc />
    public IEnumerator<QueryParameter> GetEnumerator() => ((IEnumerable<QueryParameter>)_pairs).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
