namespace ActorHttp.Protocol;

/// <summary>The first problem found while parsing a query string: its kind and the raw pair that was skipped.</summary>
/// <param name="Kind">What was wrong.</param>
/// <param name="Pair">The raw, undecoded text between '&amp;' separators.</param>
public sealed record QueryParseError(QueryParseErrorKind Kind, string Pair)
{
    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        QueryParseErrorKind.InvalidSemicolonSeparator => "invalid semicolon separator in query",
        _ => $"invalid URL escape in query pair \"{Pair}\"",
    };
}
