namespace ActorHttp.Protocol;

/// <summary>
/// The one exception type of the wire protocol: a message that violates RFC 9112 or a configured
/// limit. <see cref="Kind"/> is the closed reason; the message text is for people, not code.
/// Every rejection leaves the connection unusable: the caller answers (server) or fails the
/// exchange (client) and closes, because the stream can no longer be delimited.
/// </summary>
public sealed class HttpProtocolException : Exception
{
    /// <summary>Creates the exception for <paramref name="kind"/>.</summary>
    public HttpProtocolException(ProtocolError kind)
        : base($"HTTP protocol error: {kind} (status {kind.ToStatusCode()}).")
    {
        Kind = kind;
    }

    /// <summary>Why the message was rejected.</summary>
    public ProtocolError Kind { get; }

    /// <summary>The status code a server answers with (see <see cref="ProtocolErrors.ToStatusCode"/>).</summary>
    public int StatusCode => Kind.ToStatusCode();

    /// <summary>True when a configured limit was exceeded.</summary>
    public bool IsLimitExceeded => Kind.IsLimitExceeded();

    /// <summary>True when the framing was ambiguous (a request-smuggling shape).</summary>
    public bool IsFramingAmbiguity => Kind.IsFramingAmbiguity();

    /// <summary>True when the error was found in a body rather than a head.</summary>
    public bool IsBodyError => Kind.IsBodyError();
}
