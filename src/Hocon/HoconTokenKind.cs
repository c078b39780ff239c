namespace ActorHttp.Hocon;

/// <summary>The kinds of token the <see cref="HoconLexer"/> produces. Comments are dropped.</summary>
internal enum HoconTokenKind
{
    Whitespace,
    Newline,
    /// <summary>Unquoted text; whether it is a number, boolean or null is decided by the parser.</summary>
    Unquoted,
    /// <summary>A quoted or triple-quoted string, escapes already decoded.</summary>
    QuotedString,
    Comma,
    Colon,
    Equals,
    PlusEquals,
    OpenBrace,
    CloseBrace,
    OpenBracket,
    CloseBracket,
    /// <summary><c>${path}</c> or <c>${?path}</c>; the token carries the parsed path.</summary>
    Substitution,
    End,
}
