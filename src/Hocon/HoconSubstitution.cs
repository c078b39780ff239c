namespace ActorHttp.Hocon;

/// <summary>
/// A reference to another value, <c>${path}</c> or <c>${?path}</c>. A substitution that came from an
/// included file nested under a key is looked up at that key first (<see cref="Path"/>) and then,
/// as the HOCON spec asks, at the path as written in the included file (<see cref="FallbackPath"/>).
/// </summary>
internal sealed class HoconSubstitution : HoconValue
{
    internal HoconSubstitution(HoconPath path, bool optional, SourcePosition? position, HoconPath? fallbackPath = null)
        : base(position)
    {
        Path = path;
        Optional = optional;
        FallbackPath = fallbackPath;
    }

    /// <summary>The path looked up in the root of the whole configuration.</summary>
    public HoconPath Path { get; }

    /// <summary>The path as written, tried when <see cref="Path"/> was prefixed by an include and is not found.</summary>
    public HoconPath? FallbackPath { get; }

    /// <summary><c>${?path}</c>: a missing value leaves the field undefined instead of failing.</summary>
    public bool Optional { get; }

    public override HoconValueType Type => HoconValueType.Unresolved;

    internal override bool NeedsResolution => true;

    /// <summary>Moves the substitution under <paramref name="prefix"/>, keeping the original path as the fallback.</summary>
    internal HoconSubstitution Relativize(HoconPath prefix) =>
        new(prefix.Append(Path), Optional, Position, FallbackPath ?? Path);

    /// <summary>How the substitution was written, e.g. <c>${?a.b}</c>.</summary>
    public string Describe() => Optional ? $"${{?{(FallbackPath ?? Path)}}}" : $"${{{(FallbackPath ?? Path)}}}";
}
