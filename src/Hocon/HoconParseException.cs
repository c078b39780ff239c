namespace ActorHttp.Hocon;

/// <summary>
/// The text given to the parser is not valid HOCON. The message starts with
/// <c>source:line:column</c>.
/// </summary>
public sealed class HoconParseException : ConfigException
{
    /// <summary>Creates a parse error at a position.</summary>
    public HoconParseException(string message, SourcePosition position, Exception? inner = null)
        : base(ConfigErrorKind.Parse, message, null, position, inner)
    {
    }
}
