namespace ActorHttp.Protocol;

/// <summary>
/// The closed set of reasons for which the wire protocol rejects a message. Each reason maps to
/// exactly one status code through <see cref="ProtocolErrors.ToStatusCode"/>; the text of a
/// reason is not an API, the enum value is.
/// </summary>
public enum ProtocolError
{
    /// <summary>No error; the value of a result that was not rejected.</summary>
    None = 0,

    // Start line (RFC 9112 §3, §4).

    /// <summary>The request line is not <c>method SP request-target SP HTTP-version CRLF</c>.</summary>
    InvalidRequestLine,
    /// <summary>The method is not a token.</summary>
    InvalidMethod,
    /// <summary>The request target contains a byte outside the URI character set or is malformed.</summary>
    InvalidRequestTarget,
    /// <summary>The request-target form does not fit the method (RFC 9112 §3.2): asterisk without OPTIONS, authority without CONNECT, CONNECT without authority.</summary>
    RequestTargetFormMismatch,
    /// <summary>The HTTP-version is not <c>HTTP/DIGIT.DIGIT</c>.</summary>
    InvalidVersion,
    /// <summary>A well-formed HTTP version other than 1.0 or 1.1.</summary>
    UnsupportedVersion,
    /// <summary>The request line exceeds <see cref="HttpParserLimits.MaxRequestLineLength"/>.</summary>
    RequestLineTooLong,

    // Header section (RFC 9112 §5, RFC 9110 §5).

    /// <summary>A field name is empty or not a token, or a field line has no colon.</summary>
    InvalidHeaderName,
    /// <summary>Whitespace between a field name and its colon (RFC 9112 §5.1: MUST reject).</summary>
    WhitespaceBeforeColon,
    /// <summary>Whitespace-preceded line between the start line and the first field (RFC 9112 §2.2).</summary>
    WhitespaceAfterStartLine,
    /// <summary>Obsolete line folding in a request or trailer (RFC 9112 §5.2).</summary>
    ObsoleteLineFolding,
    /// <summary>A NUL byte in a field value (RFC 9110 §5.5: MUST reject or replace).</summary>
    NulInFieldValue,
    /// <summary>A CR not followed by LF (RFC 9112 §2.2).</summary>
    BareCarriageReturn,
    /// <summary>An LF not preceded by CR; accepted by some peers, refused here to avoid framing disagreements.</summary>
    BareLineFeed,
    /// <summary>A control character other than HTAB in a field value.</summary>
    ControlCharacterInFieldValue,
    /// <summary>The request header section exceeds <see cref="HttpParserLimits.MaxHeaderBytes"/>.</summary>
    HeaderSectionTooLarge,
    /// <summary>More field lines than <see cref="HttpParserLimits.MaxHeaderCount"/>.</summary>
    TooManyHeaders,
    /// <summary>An HTTP/1.1 request without a Host field (RFC 9112 §3.2).</summary>
    MissingHost,
    /// <summary>A request with more than one Host field line (RFC 9112 §3.2).</summary>
    DuplicateHost,
    /// <summary>A Host field value that is not <c>uri-host [ ":" port ]</c>.</summary>
    InvalidHost,
    /// <summary>An <c>Expect</c> other than <c>100-continue</c> (RFC 9110 §10.1.1).</summary>
    ExpectationFailed,

    // Framing (RFC 9112 §6).

    /// <summary>A Content-Length value that is not a list of digits.</summary>
    InvalidContentLength,
    /// <summary>A Content-Length value that does not fit in a 64-bit signed integer.</summary>
    ContentLengthOverflow,
    /// <summary>Content-Length values that differ from one another.</summary>
    ConflictingContentLength,
    /// <summary>A request with both Transfer-Encoding and Content-Length: a request-smuggling attempt (RFC 9112 §6.1).</summary>
    ContentLengthWithTransferEncoding,
    /// <summary>An HTTP/1.0 request with Transfer-Encoding: faulty framing (RFC 9112 §6.1).</summary>
    TransferEncodingInHttp10,
    /// <summary>Transfer-Encoding where chunked is not the final coding, is repeated, or the list is malformed (RFC 9112 §6.3).</summary>
    InvalidTransferEncoding,
    /// <summary>A request transfer coding other than chunked, which this server does not implement (RFC 9112 §6.1).</summary>
    UnsupportedTransferEncoding,

    // Body (RFC 9112 §7).

    /// <summary>A chunk-size line that is not <c>1*HEXDIG [ chunk-ext ] CRLF</c>.</summary>
    InvalidChunkSize,
    /// <summary>A chunk size that does not fit in a 64-bit signed integer.</summary>
    ChunkSizeOverflow,
    /// <summary>A malformed chunk extension.</summary>
    InvalidChunkExtension,
    /// <summary>Chunk extensions of one body exceed <see cref="HttpParserLimits.MaxChunkExtensionBytes"/>.</summary>
    ChunkExtensionsTooLong,
    /// <summary>Chunk data not followed by CRLF.</summary>
    InvalidChunkTerminator,
    /// <summary>The trailer section exceeds <see cref="HttpParserLimits.MaxTrailerBytes"/> or the field count limit.</summary>
    TrailerSectionTooLarge,
    /// <summary>The input ended before the body announced by the framing was complete.</summary>
    TruncatedBody,

    // Responses (client role).

    /// <summary>The status line is not <c>HTTP-version SP 3DIGIT SP reason CRLF</c>.</summary>
    InvalidStatusLine,
    /// <summary>The status line exceeds <see cref="HttpParserLimits.MaxStatusLineLength"/>.</summary>
    StatusLineTooLong,
    /// <summary>The response header section exceeds <see cref="HttpParserLimits.MaxResponseHeaderBytes"/>.</summary>
    ResponseHeaderSectionTooLarge,

    /// <summary>A request body longer than the server's limit for its route (RFC 9110 §15.5.14).</summary>
    RequestBodyTooLarge,

    /// <summary>A request head not received within the server's header timeout (RFC 9110 §15.5.9).</summary>
    RequestHeadersTimeout,

    /// <summary>A request body arriving slower than the server's minimum data rate.</summary>
    RequestBodyTimeout,
}
