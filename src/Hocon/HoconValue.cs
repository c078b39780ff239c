namespace ActorHttp.Hocon;

/// <summary>
/// A node of a HOCON tree: an object, an array, a literal (string, number, boolean, null), or, before
/// resolution, a substitution, a concatenation or a delayed merge. Values are immutable once built.
/// </summary>
public abstract class HoconValue
{
    private protected HoconValue(SourcePosition? position) => Position = position;

    /// <summary>Where the value was written, when known (values from environment variables have none).</summary>
    public SourcePosition? Position { get; }

    /// <summary>What kind of value this is.</summary>
    public abstract HoconValueType Type { get; }

    /// <summary>True when this value or anything inside it still contains a substitution.</summary>
    internal abstract bool NeedsResolution { get; }

    /// <summary>Renders the value as HOCON text, for diagnostics.</summary>
    public override string ToString() => HoconRenderer.Render(this);
}
