namespace ActorHttp.Protocol;

/// <summary>
/// The fields the parser recognises while parsing, because framing and connection management
/// depend on them. Recognition compares bytes; it never allocates.
/// </summary>
public enum KnownHeader : byte
{
    /// <summary>Any other field.</summary>
    None = 0,
    /// <summary>Host.</summary>
    Host,
    /// <summary>Content-Length.</summary>
    ContentLength,
    /// <summary>Transfer-Encoding.</summary>
    TransferEncoding,
    /// <summary>Connection.</summary>
    Connection,
    /// <summary>Expect.</summary>
    Expect,
    /// <summary>Upgrade.</summary>
    Upgrade,
    /// <summary>Trailer.</summary>
    Trailer,
    /// <summary>TE.</summary>
    TE,
}
