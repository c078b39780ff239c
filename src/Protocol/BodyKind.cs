namespace ActorHttp.Protocol;

/// <summary>How the end of a message body is found (RFC 9112 §6.3).</summary>
public enum BodyKind : byte
{
    /// <summary>No body: requests without framing fields; HEAD, 1xx, 204, 304 and 2xx-to-CONNECT responses.</summary>
    None,
    /// <summary>Exactly <see cref="MessageFraming.ContentLength"/> bytes.</summary>
    ContentLength,
    /// <summary>The chunked transfer coding; ends at the last chunk and trailer section.</summary>
    Chunked,
    /// <summary>Until the connection closes; responses only.</summary>
    ReadToClose,
}
