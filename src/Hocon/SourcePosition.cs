namespace ActorHttp.Hocon;

/// <summary>
/// A place in a configuration source: the source's name (a file path, <c>string</c>, or
/// <c>resource:assembly/name</c>) and a 1-based line and column.
/// </summary>
public readonly record struct SourcePosition(string Source, int Line, int Column)
{
    /// <summary>Renders as <c>source:line:column</c>, the form compilers use.</summary>
    public override string ToString() => $"{Source}:{Line}:{Column}";
}
