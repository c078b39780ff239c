namespace ActorHttp.Cli.Get;

/// <summary>Parses curl's <c>-H 'Name: value'</c> arguments.</summary>
internal static class HeaderArgument
{
    /// <summary>
    /// Splits <paramref name="text"/> at its first colon; the name must be non-empty with no
    /// whitespace (RFC 9112 §5.1 forbids it before the colon), the value loses its surrounding
    /// whitespace and may be empty.
    /// </summary>
    /// <exception cref="FormatException">No colon, an empty name, or whitespace in the name.</exception>
    public static KeyValuePair<string, string> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int colon = text.IndexOf(':');
        if (colon < 0) throw new FormatException($"Header '{text}' is not 'Name: value'.");
        var name = text[..colon];
        if (name.Length == 0) throw new FormatException($"Header '{text}' has an empty name.");
        if (name.Any(char.IsWhiteSpace)) throw new FormatException($"Header name '{name}' contains whitespace.");
        return KeyValuePair.Create(name, text[(colon + 1)..].Trim(' ', '\t'));
    }
}
