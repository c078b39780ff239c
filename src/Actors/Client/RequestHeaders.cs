using System.Collections;
using System.Text;

namespace ActorHttp.Client;

/// <summary>
/// The header fields of a <see cref="ClientRequest"/>: an immutable, ordered list of name/value
/// pairs, repeats kept, names compared case-insensitively. Every change returns a new list, so a
/// request can be told to another actor and edited by the sender afterwards without either seeing
/// the other's change. Names must be tokens and values field-content (checked on add), so nothing
/// that reaches the writer can split a header line.
/// </summary>
public sealed class RequestHeaders : IReadOnlyList<KeyValuePair<string, string>>
{
    /// <summary>A list without fields.</summary>
    public static readonly RequestHeaders Empty = new([]);

    private readonly KeyValuePair<string, string>[] _fields;

    private RequestHeaders(KeyValuePair<string, string>[] fields) => _fields = fields;

    /// <summary>Builds a list from pairs, in order.</summary>
    /// <exception cref="ArgumentException">A name is not a token or a value contains a control character or a character above U+00FF.</exception>
    public static RequestHeaders From(IEnumerable<KeyValuePair<string, string>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var array = fields.ToArray();
        foreach (var (name, value) in array) Validate(name, value);
        return array.Length == 0 ? Empty : new RequestHeaders(array);
    }

    /// <summary>Builds a list from <c>(name, value)</c> tuples, in order.</summary>
    public static RequestHeaders From(params (string Name, string Value)[] fields) =>
        From(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)));

    /// <summary>Number of field lines.</summary>
    public int Count => _fields.Length;

    /// <summary>The field line at <paramref name="index"/>.</summary>
    public KeyValuePair<string, string> this[int index] => _fields[index];

    /// <summary>True when a field named <paramref name="name"/> is present.</summary>
    public bool Contains(string name) => IndexOf(name) >= 0;

    /// <summary>The value of the first field named <paramref name="name"/>, or null.</summary>
    public string? GetValue(string name)
    {
        int i = IndexOf(name);
        return i >= 0 ? _fields[i].Value : null;
    }

    /// <summary>The values of every field named <paramref name="name"/>, in order.</summary>
    public IReadOnlyList<string> GetValues(string name) =>
        _fields.Where(f => Is(f.Key, name)).Select(f => f.Value).ToArray();

    /// <summary>True when a field named <paramref name="name"/> lists <paramref name="token"/> among its comma-separated
    /// elements, compared case-insensitively (as <c>Connection: keep-alive, Upgrade</c> lists <c>upgrade</c>).</summary>
    public bool HasToken(string name, string token)
    {
        foreach (var (key, value) in _fields)
        {
            if (!Is(key, name)) continue;
            foreach (var range in value.AsSpan().Split(','))
                if (value.AsSpan(range).Trim().Equals(token, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    /// <summary>This list with one more field at the end.</summary>
    public RequestHeaders Add(string name, string value)
    {
        Validate(name, value);
        var copy = new KeyValuePair<string, string>[_fields.Length + 1];
        _fields.CopyTo(copy, 0);
        copy[^1] = KeyValuePair.Create(name, value);
        return new RequestHeaders(copy);
    }

    /// <summary>
    /// This list with <paramref name="name"/> set to the single <paramref name="value"/>: the
    /// first field of that name keeps its position, later ones are removed; appended if absent.
    /// </summary>
    public RequestHeaders Set(string name, string value)
    {
        Validate(name, value);
        int first = IndexOf(name);
        if (first < 0) return Add(name, value);
        var list = new List<KeyValuePair<string, string>>(_fields.Length);
        for (int i = 0; i < _fields.Length; i++)
        {
            if (i == first) list.Add(KeyValuePair.Create(name, value));
            else if (!Is(_fields[i].Key, name)) list.Add(_fields[i]);
        }
        return new RequestHeaders(list.ToArray());
    }

    /// <summary>This list without any field named <paramref name="name"/> (itself when there is none).</summary>
    public RequestHeaders Remove(string name)
    {
        if (IndexOf(name) < 0) return this;
        var kept = _fields.Where(f => !Is(f.Key, name)).ToArray();
        return kept.Length == 0 ? Empty : new RequestHeaders(kept);
    }

    /// <summary>Enumerates the fields in order.</summary>
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, string>>)_fields).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The fields as written on the wire, one per line (values included: these are heads, not bodies).</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var (name, value) in _fields) sb.Append(name).Append(": ").Append(value).Append('\n');
        return sb.ToString();
    }

    private int IndexOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        for (int i = 0; i < _fields.Length; i++)
            if (Is(_fields[i].Key, name)) return i;
        return -1;
    }

    private static bool Is(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    // The rules of HttpMessageWriter (RFC 9110 §5.1, §5.5), repeated here because that check is
    // internal to the protocol assembly; failing on add points at the caller's line, not the writer's.
    private static void Validate(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (name.Length == 0) throw new ArgumentException("A field name must not be empty.", nameof(name));
        foreach (char c in name)
            if (c > 0x7E || c <= 0x20 || "\"(),/:;<=>?@[\\]{}".Contains(c))
                throw new ArgumentException($"'{name}' is not a token.", nameof(name));
        foreach (char c in value)
            if (c > 0xFF || (c < 0x20 && c != '\t') || c == 0x7F)
                throw new ArgumentException($"The value of '{name}' contains a control character or a character above U+00FF.", nameof(value));
    }
}
