using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace ActorHttp.Server.Routing;

/// <summary>
/// The values a request path gave the wildcards of the pattern it matched — Go's
/// <c>Request.PathValue</c>. <c>{name}</c> gets its unescaped segment; <c>{name...}</c> the
/// unescaped rest of the path (possibly empty).
/// </summary>
/// <remarks>A struct over the pattern's name list and one array of values, so a match without wildcards allocates nothing.</remarks>
public readonly struct PathValues : IReadOnlyList<KeyValuePair<string, string>>
{
    private readonly IReadOnlyList<string>? _names;
    private readonly string[]? _values;

    internal PathValues(IReadOnlyList<string> names, string[] values)
    {
        _names = names;
        _values = values;
    }

    /// <summary>No values.</summary>
    public static PathValues Empty => default;

    /// <summary>Number of captured values.</summary>
    public int Count => _values?.Length ?? 0;

    /// <summary>The name and value of the wildcard at <paramref name="index"/>, in pattern order.</summary>
    public KeyValuePair<string, string> this[int index] =>
        _values is null || (uint)index >= (uint)_values.Length
            ? throw new ArgumentOutOfRangeException(nameof(index))
            : new(_names![index], _values[index]);

    /// <summary>The value of wildcard <paramref name="name"/>, or null when the pattern has no such wildcard.</summary>
    public string? GetValue(string name) => TryGetValue(name, out var value) ? value : null;

    /// <summary>Looks up the value of wildcard <paramref name="name"/>.</summary>
    public bool TryGetValue(string name, [NotNullWhen(true)] out string? value)
    {
        if (_values is not null)
        {
            for (var i = 0; i < _values.Length; i++)
            {
                if (string.Equals(_names![i], name, StringComparison.Ordinal))
                {
                    value = _values[i];
                    return true;
                }
            }
        }
        value = null;
        return false;
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The values as <c>name=value</c> pairs, for logs and test output.</summary>
    public override string ToString() => string.Join(", ", this.Select(p => $"{p.Key}={p.Value}"));
}
