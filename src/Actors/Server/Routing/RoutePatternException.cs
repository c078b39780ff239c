namespace ActorHttp.Server.Routing;

/// <summary>A routing pattern that cannot be parsed: the pattern, where, and why (one of <see cref="RoutePatternErrorKind"/>).</summary>
public sealed class RoutePatternException : ArgumentException
{
    /// <summary>Creates the exception; the message reads like Go's: <c>parsing "P": at offset N: reason</c>.</summary>
    public RoutePatternException(string pattern, RoutePatternErrorKind kind, int offset, string reason)
        : base(offset < 0 ? $"parsing \"{pattern}\": {reason}" : $"parsing \"{pattern}\": at offset {offset}: {reason}")
    {
        Pattern = pattern;
        Kind = kind;
        Offset = offset;
        Reason = reason;
    }

    /// <summary>The pattern text as given.</summary>
    public string Pattern { get; }

    /// <summary>Why it was refused.</summary>
    public RoutePatternErrorKind Kind { get; }

    /// <summary>Character offset in <see cref="Pattern"/> of the offending part, or -1 when the whole pattern is at fault.</summary>
    public int Offset { get; }

    /// <summary>The reason in words, without the pattern and offset.</summary>
    public string Reason { get; }
}
