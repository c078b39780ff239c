namespace ActorHttp.Protocol;

/// <summary>
/// The connection options found in a message's <c>Connection</c> field (RFC 9110 §7.6.1),
/// compared case-insensitively token by token.
/// </summary>
[Flags]
public enum ConnectionOptions : byte
{
    /// <summary>No option the protocol acts on.</summary>
    None = 0,
    /// <summary><c>close</c>: the sender closes after this message.</summary>
    Close = 1,
    /// <summary><c>keep-alive</c>: an HTTP/1.0 peer asks to persist.</summary>
    KeepAlive = 2,
    /// <summary><c>upgrade</c>: the Upgrade field is meant for this hop.</summary>
    Upgrade = 4,
}
