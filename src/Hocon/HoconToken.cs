namespace ActorHttp.Hocon;

/// <summary>One token of HOCON text, with the position of its first character.</summary>
internal readonly record struct HoconToken(HoconTokenKind Kind, string Text, SourcePosition Position)
{
    /// <summary>For <see cref="HoconTokenKind.Substitution"/>: the path inside the braces.</summary>
    public HoconPath? Path { get; init; }

    /// <summary>For <see cref="HoconTokenKind.Substitution"/>: written <c>${?...}</c>.</summary>
    public bool Optional { get; init; }

    /// <summary>For <see cref="HoconTokenKind.QuotedString"/>: written with triple quotes.</summary>
    public bool TripleQuoted { get; init; }

    /// <summary>Names the token for error messages.</summary>
    public string Describe() => Kind switch
    {
        HoconTokenKind.Whitespace => "whitespace",
        HoconTokenKind.Newline => "end of line",
        HoconTokenKind.Unquoted => $"'{Text}'",
        HoconTokenKind.QuotedString => $"string {HoconRenderer.Quote(Text)}",
        HoconTokenKind.Substitution => $"substitution ${{{(Optional ? "?" : "")}{Path}}}",
        HoconTokenKind.End => "end of input",
        _ => $"'{Text}'",
    };
}
