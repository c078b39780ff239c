using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace ActorHttp.Protocol;

/// <summary>
/// The fields of a header or trailer section, in received order, repeats kept. It holds the
/// head's bytes once plus an offset per field; lookups compare bytes case-insensitively and do
/// not allocate; string names and values are materialised on first use and cached. Immutable
/// once built, so it can be handed to other actors.
/// </summary>
public sealed class HeaderCollection : IReadOnlyList<HeaderField>
{
    /// <summary>A collection without fields.</summary>
    public static readonly HeaderCollection Empty = new([], [], 0);

    private readonly byte[] _buffer;
    private readonly HeaderEntry[] _entries;
    private readonly int _count;
    // Lazily created caches; benign races only ever store equal strings.
    private string?[]? _names;
    private string?[]? _values;

    internal HeaderCollection(byte[] buffer, HeaderEntry[] entries, int count)
    {
        _buffer = buffer;
        _entries = entries;
        _count = count;
    }

    /// <summary>Builds a collection from name/value pairs (for writing and tests; not the parse path).</summary>
    /// <exception cref="ArgumentException">A name is not a token or a value contains CR, LF, NUL or a character above U+00FF.</exception>
    public static HeaderCollection FromFields(IEnumerable<KeyValuePair<string, string>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var list = fields.ToList();
        if (list.Count == 0) return Empty;
        var buffer = new byte[list.Sum(f => f.Key.Length + f.Value.Length)];
        var entries = new HeaderEntry[list.Count];
        int at = 0;
        for (int i = 0; i < list.Count; i++)
        {
            var (name, value) = (list[i].Key, list[i].Value);
            HttpMessageWriter.ValidateName(name);
            HttpMessageWriter.ValidateValue(value);
            int nameStart = at;
            at += Encoding.Latin1.GetBytes(name, buffer.AsSpan(at));
            int valueStart = at;
            at += Encoding.Latin1.GetBytes(value, buffer.AsSpan(at));
            entries[i] = new HeaderEntry(nameStart, name.Length, valueStart, value.Length,
                KnownHeaders.Identify(buffer.AsSpan(nameStart, name.Length)));
        }
        return new HeaderCollection(buffer, entries, list.Count);
    }

    /// <summary>Number of field lines.</summary>
    public int Count => _count;

    /// <summary>The field line at <paramref name="index"/>, in received order.</summary>
    public HeaderField this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_count) throw new ArgumentOutOfRangeException(nameof(index));
            return new HeaderField(this, index);
        }
    }

    /// <summary>True when a field named <paramref name="name"/> (case-insensitive) is present.</summary>
    public bool Contains(string name) => IndexOf(name, 0) >= 0;

    /// <summary>True when the recognised field <paramref name="known"/> is present.</summary>
    public bool Contains(KnownHeader known) => IndexOf(known, 0) >= 0;

    /// <summary>Number of field lines named <paramref name="name"/>.</summary>
    public int CountOf(string name)
    {
        int n = 0;
        for (int i = IndexOf(name, 0); i >= 0; i = IndexOf(name, i + 1)) n++;
        return n;
    }

    /// <summary>The value of the first field named <paramref name="name"/>.</summary>
    public bool TryGetValue(string name, [NotNullWhen(true)] out string? value)
    {
        int i = IndexOf(name, 0);
        value = i >= 0 ? GetValue(i) : null;
        return i >= 0;
    }

    /// <summary>The value of the first field named <paramref name="name"/>, or null.</summary>
    public string? GetValue(string name)
    {
        int i = IndexOf(name, 0);
        return i >= 0 ? GetValue(i) : null;
    }

    /// <summary>The value bytes of the first field named <paramref name="name"/>, without allocating.</summary>
    public bool TryGetValueSpan(string name, out ReadOnlySpan<byte> value)
    {
        int i = IndexOf(name, 0);
        value = i >= 0 ? ValueSpan(i) : default;
        return i >= 0;
    }

    /// <summary>The value of the first recognised field <paramref name="known"/>, or null.</summary>
    public string? GetValue(KnownHeader known)
    {
        int i = IndexOf(known, 0);
        return i >= 0 ? GetValue(i) : null;
    }

    /// <summary>Every field named <paramref name="name"/>, in order, without allocating an enumerator.</summary>
    public NamedFields GetFields(string name) => new(this, name);

    /// <summary>Index of the first field at or after <paramref name="start"/> named <paramref name="name"/>, or -1.</summary>
    public int IndexOf(string name, int start)
    {
        ArgumentNullException.ThrowIfNull(name);
        for (int i = start; i < _count; i++)
        {
            ref readonly var e = ref _entries[i];
            if (e.NameLength == name.Length && Ascii.EqualsIgnoreCase(_buffer.AsSpan(e.NameStart, e.NameLength), name))
                return i;
        }
        return -1;
    }

    /// <summary>Index of the first field at or after <paramref name="start"/> recognised as <paramref name="known"/>, or -1.</summary>
    public int IndexOf(KnownHeader known, int start)
    {
        for (int i = start; i < _count; i++)
            if (_entries[i].Known == known) return i;
        return -1;
    }

    /// <summary>Enumerates the fields in received order without allocating.</summary>
    public Enumerator GetEnumerator() => new(this);

    IEnumerator<HeaderField> IEnumerable<HeaderField>.GetEnumerator()
    {
        for (int i = 0; i < _count; i++) yield return new HeaderField(this, i);
    }

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<HeaderField>)this).GetEnumerator();

    internal ref readonly HeaderEntry Entry(int index) => ref _entries[index];

    internal ReadOnlySpan<byte> NameSpan(int index)
    {
        ref readonly var e = ref _entries[index];
        return _buffer.AsSpan(e.NameStart, e.NameLength);
    }

    internal ReadOnlySpan<byte> ValueSpan(int index)
    {
        ref readonly var e = ref _entries[index];
        return _buffer.AsSpan(e.ValueStart, e.ValueLength);
    }

    internal string GetName(int index)
    {
        var names = _names ??= new string?[_count];
        return names[index] ??= KnownHeaders.CanonicalName(NameSpan(index)) ?? Encoding.Latin1.GetString(NameSpan(index));
    }

    internal string GetValue(int index)
    {
        var values = _values ??= new string?[_count];
        return values[index] ??= Encoding.Latin1.GetString(ValueSpan(index));
    }

    /// <inheritdoc />
    public override string ToString() => $"HeaderCollection({_count} fields)";

    /// <summary>A struct enumerator over all fields.</summary>
    public struct Enumerator
    {
        private readonly HeaderCollection _owner;
        private int _index;

        internal Enumerator(HeaderCollection owner)
        {
            _owner = owner;
            _index = -1;
        }

        /// <summary>The current field.</summary>
        public readonly HeaderField Current => new(_owner, _index);

        /// <summary>Advances to the next field.</summary>
        public bool MoveNext() => ++_index < _owner._count;
    }

    /// <summary>The fields of one name, enumerable without allocating.</summary>
    public readonly struct NamedFields
    {
        private readonly HeaderCollection _owner;
        private readonly string _name;

        internal NamedFields(HeaderCollection owner, string name)
        {
            _owner = owner;
            _name = name;
        }

        /// <summary>Starts the enumeration.</summary>
        public NamedEnumerator GetEnumerator() => new(_owner, _name);
    }

    /// <summary>A struct enumerator over the fields of one name.</summary>
    public struct NamedEnumerator
    {
        private readonly HeaderCollection _owner;
        private readonly string _name;
        private int _index;

        internal NamedEnumerator(HeaderCollection owner, string name)
        {
            _owner = owner;
            _name = name;
            _index = -1;
        }

        /// <summary>The current field.</summary>
        public readonly HeaderField Current => new(_owner, _index);

        /// <summary>Advances to the next field of the name.</summary>
        public bool MoveNext()
        {
            _index = _owner.IndexOf(_name, _index + 1);
            return _index >= 0;
        }
    }
}
