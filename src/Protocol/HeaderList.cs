using System.Collections;

namespace ActorHttp.Protocol;

/// <summary>
/// An ordered, mutable list of header fields for a message being built (a response on the server,
/// a request on the client): Go's <c>http.Header</c>, but keeping the order fields were added in.
/// </summary>
/// <remarks>
/// Names compare case-insensitively (ASCII). Lists are short (a handful of fields), so a linear
/// scan beats hashing and keeps the order for free. Names and values are validated when the
/// message is written, not here, so building stays cheap.
/// </remarks>
public sealed class HeaderList : IReadOnlyList<KeyValuePair<string, string>>
{
    private readonly List<KeyValuePair<string, string>> _fields = new();

    /// <summary>Number of field lines.</summary>
    public int Count => _fields.Count;

    /// <summary>The field line at <paramref name="index"/>.</summary>
    public KeyValuePair<string, string> this[int index] => _fields[index];

    /// <summary>Adds a field line, keeping any existing ones of the same name.</summary>
    public void Add(string name, string value) => _fields.Add(new(name, value));

    /// <summary>Replaces every field line named <paramref name="name"/> with one holding <paramref name="value"/>.</summary>
    public void Set(string name, string value)
    {
        var i = IndexOf(name);
        if (i < 0)
        {
            _fields.Add(new(name, value));
            return;
        }

        _fields[i] = new(_fields[i].Key, value);
        for (var j = _fields.Count - 1; j > i; j--)
            if (NameEquals(_fields[j].Key, name)) _fields.RemoveAt(j);
    }

    /// <summary>Removes every field line named <paramref name="name"/>; true when there was one.</summary>
    public bool Remove(string name) => _fields.RemoveAll(f => NameEquals(f.Key, name)) > 0;

    /// <summary>The first value of <paramref name="name"/>, or null.</summary>
    public string? Get(string name)
    {
        var i = IndexOf(name);
        return i < 0 ? null : _fields[i].Value;
    }

    /// <summary>Every value of <paramref name="name"/>, in order.</summary>
    public IEnumerable<string> GetAll(string name)
    {
        foreach (var f in _fields)
            if (NameEquals(f.Key, name)) yield return f.Value;
    }

    /// <summary>True when a field named <paramref name="name"/> is present.</summary>
    public bool Contains(string name) => IndexOf(name) >= 0;

    /// <summary>Removes every field line.</summary>
    public void Clear() => _fields.Clear();

    /// <summary>The index of the first field named <paramref name="name"/>, or -1.</summary>
    public int IndexOf(string name)
    {
        for (var i = 0; i < _fields.Count; i++)
            if (NameEquals(_fields[i].Key, name)) return i;
        return -1;
    }

    /// <inheritdoc />
    public List<KeyValuePair<string, string>>.Enumerator GetEnumerator() => _fields.GetEnumerator();

    IEnumerator<KeyValuePair<string, string>> IEnumerable<KeyValuePair<string, string>>.GetEnumerator() => _fields.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _fields.GetEnumerator();

    /// <inheritdoc />
    public override string ToString() => $"HeaderList({Count} fields)";

    private static bool NameEquals(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
