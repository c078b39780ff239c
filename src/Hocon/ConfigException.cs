namespace ActorHttp.Hocon;

/// <summary>
/// The one exception type of the HOCON reader: a parse error, a failed substitution, or a getter
/// that could not produce the value asked for. <see cref="Kind"/> says which; the message names the
/// path and source position when they are known, but its text is not an API.
/// </summary>
public class ConfigException : Exception
{
    /// <summary>Creates an exception of the given kind.</summary>
    public ConfigException(ConfigErrorKind kind, string message, string? path = null, SourcePosition? position = null, Exception? inner = null)
        : base(Compose(message, path, position), inner)
    {
        Kind = kind;
        Path = path;
        Position = position;
    }

    /// <summary>Why the exception was thrown.</summary>
    public ConfigErrorKind Kind { get; }

    /// <summary>The full configuration path concerned, when there is one.</summary>
    public string? Path { get; }

    /// <summary>Where in the source the offending value or text is, when known.</summary>
    public SourcePosition? Position { get; }

    /// <summary>True when the path is not defined at all.</summary>
    public bool IsMissing => Kind == ConfigErrorKind.Missing;

    /// <summary>True when the value exists but has another type than the one asked for.</summary>
    public bool IsWrongType => Kind == ConfigErrorKind.WrongType;

    private static string Compose(string message, string? path, SourcePosition? position)
    {
        var text = path is null ? message : $"path '{path}': {message}";
        return position is { } p ? $"{p}: {text}" : text;
    }
}
