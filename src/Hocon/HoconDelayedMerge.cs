namespace ActorHttp.Hocon;

/// <summary>
/// Several definitions of one key that cannot be merged before substitutions are resolved, because
/// one of them is (or contains) a substitution: <c>a = { x = 1 }</c> followed by <c>a = ${b}</c>,
/// or a self-reference such as <c>path = ${path} [x]</c>. Layers are kept strongest first; the
/// resolver folds them from the bottom up, and a layer that refers to its own key sees the value
/// of the layers below it.
/// </summary>
internal sealed class HoconDelayedMerge : HoconValue
{
    internal HoconDelayedMerge(IReadOnlyList<HoconValue> layers)
        : base(layers[0].Position) => Layers = layers;

    /// <summary>The definitions, strongest (latest) first.</summary>
    public IReadOnlyList<HoconValue> Layers { get; }

    public override HoconValueType Type => HoconValueType.Unresolved;

    internal override bool NeedsResolution => true;
}
