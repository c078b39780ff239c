namespace ActorHttp.Hocon;

/// <summary>An ordered list of values, <c>[1, 2, 3]</c>.</summary>
public sealed class HoconArray : HoconValue
{
    private readonly HoconValue[] _elements;

    internal HoconArray(IEnumerable<HoconValue> elements, SourcePosition? position)
        : base(position) => _elements = elements.ToArray();

    /// <inheritdoc />
    public override HoconValueType Type => HoconValueType.Array;

    /// <summary>The elements, in order.</summary>
    public IReadOnlyList<HoconValue> Elements => _elements;

    internal override bool NeedsResolution => _elements.Any(e => e.NeedsResolution);
}
