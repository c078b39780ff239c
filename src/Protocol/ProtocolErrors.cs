namespace ActorHttp.Protocol;

/// <summary>
/// The one place where a <see cref="ProtocolError"/> becomes a status code and where its
/// families (limits, smuggling) are defined.
/// </summary>
public static class ProtocolErrors
{
    /// <summary>
    /// The status code a server answers with for <paramref name="error"/>. Reasons only a response
    /// can produce map to 502, the status a gateway reports for an invalid upstream response
    /// (RFC 9110 §15.6.3); a client surfaces them as errors, never as responses.
    /// </summary>
    public static int ToStatusCode(this ProtocolError error) => error switch
    {
        ProtocolError.RequestLineTooLong => 414,
        ProtocolError.HeaderSectionTooLarge or ProtocolError.TooManyHeaders or ProtocolError.TrailerSectionTooLarge => 431,
        ProtocolError.UnsupportedVersion => 505,
        ProtocolError.UnsupportedTransferEncoding => 501,
        ProtocolError.ExpectationFailed => 417,
        ProtocolError.RequestBodyTooLarge => 413,
        ProtocolError.RequestHeadersTimeout or ProtocolError.RequestBodyTimeout => 408,
        ProtocolError.InvalidStatusLine or ProtocolError.StatusLineTooLong or ProtocolError.ResponseHeaderSectionTooLarge => 502,
        ProtocolError.None => throw new ArgumentOutOfRangeException(nameof(error), "ProtocolError.None has no status code."),
        _ => 400,
    };

    /// <summary>True when the reason is a configured limit being exceeded, not malformed syntax.</summary>
    public static bool IsLimitExceeded(this ProtocolError error) => error is
        ProtocolError.RequestLineTooLong or ProtocolError.HeaderSectionTooLarge or ProtocolError.TooManyHeaders or
        ProtocolError.ChunkExtensionsTooLong or ProtocolError.TrailerSectionTooLarge or
        ProtocolError.StatusLineTooLong or ProtocolError.ResponseHeaderSectionTooLarge;

    /// <summary>
    /// True when the reason is an ambiguity in message framing, the raw material of request
    /// smuggling (RFC 9112 §11.2): peers could disagree on where the message ends.
    /// </summary>
    public static bool IsFramingAmbiguity(this ProtocolError error) => error is
        ProtocolError.ContentLengthWithTransferEncoding or ProtocolError.ConflictingContentLength or
        ProtocolError.InvalidContentLength or ProtocolError.ContentLengthOverflow or
        ProtocolError.TransferEncodingInHttp10 or ProtocolError.InvalidTransferEncoding or
        ProtocolError.BareCarriageReturn or ProtocolError.BareLineFeed or ProtocolError.ObsoleteLineFolding or
        ProtocolError.WhitespaceBeforeColon;

    /// <summary>True when the reason was found while decoding a body, after the head was accepted.</summary>
    public static bool IsBodyError(this ProtocolError error) => error is
        ProtocolError.InvalidChunkSize or ProtocolError.ChunkSizeOverflow or ProtocolError.InvalidChunkExtension or
        ProtocolError.ChunkExtensionsTooLong or ProtocolError.InvalidChunkTerminator or
        ProtocolError.TrailerSectionTooLarge or ProtocolError.TruncatedBody or
        ProtocolError.RequestBodyTooLarge or ProtocolError.RequestBodyTimeout;
}
