namespace ActorHttp.Hocon;

/// <summary>
/// An object: keys mapped to values, in the order they were first defined. Keys are
/// case-sensitive. Only the parser (on objects it has just created) and the merge functions (on
/// copies) change an object; once handed out it is immutable.
/// </summary>
public sealed class HoconObject : HoconValue
{
    private readonly OrderedDictionary<string, HoconValue> _fields;

    internal HoconObject(SourcePosition? position)
        : base(position) => _fields = new OrderedDictionary<string, HoconValue>(StringComparer.Ordinal);

    internal HoconObject(SourcePosition? position, IEnumerable<KeyValuePair<string, HoconValue>> fields)
        : this(position)
    {
        foreach (var (key, value) in fields) _fields[key] = value;
    }

    /// <summary>
    /// Set on an object that was put over a non-object: it hid that value and everything below it,
    /// so a fallback merged under it later must not show through. Without this,
    /// <c>{a:{x:1}}</c> over <c>{a:42}</c> over <c>{a:{y:2}}</c> would depend on the order the
    /// merges were done in; HOCON says the result is <c>{a:{x:1}}</c>.
    /// </summary>
    internal bool IgnoresFallbacks { get; private init; }

    /// <summary>A copy that ignores fallbacks (see <see cref="IgnoresFallbacks"/>).</summary>
    internal HoconObject WithoutFallbacks() =>
        IgnoresFallbacks ? this : new HoconObject(Position, _fields) { IgnoresFallbacks = true };

    /// <summary>An object with no keys, at no position.</summary>
    internal static HoconObject CreateEmpty() => new((SourcePosition?)null);

    /// <inheritdoc />
    public override HoconValueType Type => HoconValueType.Object;

    /// <summary>The fields, in definition order.</summary>
    public IReadOnlyDictionary<string, HoconValue> Fields => _fields;

    /// <summary>True when the object has no keys.</summary>
    public bool IsEmpty => _fields.Count == 0;

    internal override bool NeedsResolution => _fields.Values.Any(v => v.NeedsResolution);

    /// <summary>The value of one key, or null.</summary>
    public HoconValue? this[string key] => _fields.GetValueOrDefault(key);

    /// <summary>Sets a key; only for objects still being built.</summary>
    internal void Set(string key, HoconValue value) => _fields[key] = value;

    /// <summary>Removes a key; only for objects still being built.</summary>
    internal void Remove(string key) => _fields.Remove(key);
}
