namespace ActorHttp.Protocol;

/// <summary>Why a pair of a query string was skipped by <see cref="QueryParameters.Parse(string?, out QueryParseError?)"/>.</summary>
public enum QueryParseErrorKind
{
    /// <summary>The pair contains ';', which Go 1.17+ (and so this parser) no longer treats as a separator.</summary>
    InvalidSemicolonSeparator,

    /// <summary>The name or value has a '%' not followed by two hex digits.</summary>
    InvalidEscape,
}
