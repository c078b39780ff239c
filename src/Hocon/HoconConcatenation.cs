namespace ActorHttp.Hocon;

/// <summary>
/// Values written next to each other on one line, at least one of them a substitution:
/// <c>${a} foo</c>, <c>${list} [4, 5]</c>, <c>${base} { x = 1 }</c>. The parts (and the whitespace
/// between them, as whitespace literals) are folded into one value once substitutions are resolved.
/// </summary>
internal sealed class HoconConcatenation : HoconValue
{
    internal HoconConcatenation(IReadOnlyList<HoconValue> parts, SourcePosition? position)
        : base(position) => Parts = parts;

    public IReadOnlyList<HoconValue> Parts { get; }

    public override HoconValueType Type => HoconValueType.Unresolved;

    internal override bool NeedsResolution => true;
}
