namespace ActorHttp.Protocol;

/// <summary>
/// One field line of a <see cref="HeaderCollection"/>: a view, valid as long as the collection.
/// <see cref="Name"/> and <see cref="Value"/> materialise strings on first use and cache them;
/// the span properties never allocate.
/// </summary>
public readonly struct HeaderField
{
    private readonly HeaderCollection _owner;
    private readonly int _index;

    internal HeaderField(HeaderCollection owner, int index)
    {
        _owner = owner;
        _index = index;
    }

    /// <summary>The field name as received.</summary>
    public string Name => _owner.GetName(_index);

    /// <summary>The field value, OWS trimmed, decoded as Latin-1 so every byte round-trips.</summary>
    public string Value => _owner.GetValue(_index);

    /// <summary>The field name bytes.</summary>
    public ReadOnlySpan<byte> NameSpan => _owner.NameSpan(_index);

    /// <summary>The field value bytes, OWS trimmed.</summary>
    public ReadOnlySpan<byte> ValueSpan => _owner.ValueSpan(_index);

    /// <summary>Which framing-relevant field this is, if any.</summary>
    public KnownHeader Known => _owner.Entry(_index).Known;

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Value}";
}
