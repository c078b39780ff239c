namespace ActorHttp.Protocol;

/// <summary>
/// How a message's body is delimited and whether the connection must close after it: the
/// RFC 9112 §6.3 decision, written once for both roles. Requests and responses differ only in
/// the inputs (a response also depends on the request method and its own status).
/// </summary>
/// <param name="Kind">How the body ends.</param>
/// <param name="ContentLength">The body length for <see cref="BodyKind.ContentLength"/>; 0 otherwise.</param>
/// <param name="MustClose">True when the framing itself forbids reusing the connection (read-to-close, faulty framing).</param>
public readonly record struct MessageFraming(BodyKind Kind, long ContentLength, bool MustClose)
{
    /// <summary>A message without a body.</summary>
    public static MessageFraming NoBody => new(BodyKind.None, 0, false);

    /// <summary>A body of exactly <paramref name="length"/> bytes.</summary>
    public static MessageFraming Length(long length) => new(BodyKind.ContentLength, length, false);

    /// <summary>A chunked body.</summary>
    public static MessageFraming Chunked => new(BodyKind.Chunked, 0, false);

    /// <summary>A body that ends when the connection closes.</summary>
    public static MessageFraming ReadToClose => new(BodyKind.ReadToClose, 0, true);

    /// <summary>True when body bytes may follow the head.</summary>
    public bool HasBody => Kind switch
    {
        BodyKind.None => false,
        BodyKind.ContentLength => ContentLength > 0,
        _ => true,
    };

    /// <summary>The framing of a request (server role), or the reason it is refused.</summary>
    internal static ProtocolError ForRequest(HttpProtocolVersion version, in FieldFacts facts, out MessageFraming framing)
    {
        framing = NoBody;
        if (facts.HasTransferEncoding)
        {
            // RFC 9112 §6.1: an HTTP/1.0 message with Transfer-Encoding has faulty framing.
            if (version == HttpProtocolVersion.Http10) return ProtocolError.TransferEncodingInHttp10;
            // RFC 9112 §6.1: both fields on a request is what smuggling looks like; refuse, then close.
            if (facts.ContentLength >= 0) return ProtocolError.ContentLengthWithTransferEncoding;
            // RFC 9112 §6.3: chunked present but not final (or repeated) makes the length undeterminable: 400.
            if (facts.TransferEncodingMalformed || facts.CodingCount == 0 || facts.ChunkedCount > 1 ||
                (facts.ChunkedCount == 1 && !facts.LastCodingIsChunked))
                return ProtocolError.InvalidTransferEncoding;
            // Any other coding is one this server does not decode: 501, as RFC 9112 §6.1 suggests and
            // Go does. (§6.3 reads as 400 when chunked is not final; the issue asks for 501, which says
            // more, and the connection closes either way.)
            if (facts.CodingCount != 1 || !facts.LastCodingIsChunked) return ProtocolError.UnsupportedTransferEncoding;
            framing = Chunked;
            return ProtocolError.None;
        }
        if (facts.ContentLength >= 0) framing = Length(facts.ContentLength);
        return ProtocolError.None;
    }

    /// <summary>
    /// The framing of a response (client role) to a request made with <paramref name="requestMethod"/>,
    /// or the reason it is refused.
    /// </summary>
    internal static ProtocolError ForResponse(HttpProtocolVersion version, int status, RequestMethod requestMethod,
        in FieldFacts facts, out MessageFraming framing)
    {
        // RFC 9112 §6.3 rules 1 and 2: whatever the fields say, these carry no content.
        if (requestMethod == RequestMethod.Head || status is < 200 or 204 or 304 ||
            (requestMethod == RequestMethod.Connect && status is >= 200 and < 300))
        {
            framing = NoBody;
            return ProtocolError.None;
        }
        if (facts.HasTransferEncoding)
        {
            // RFC 9112 §6.1: HTTP/1.0 + Transfer-Encoding is faulty framing, even with a Content-Length.
            if (version == HttpProtocolVersion.Http10) framing = ReadToClose;
            // Rule 4: Transfer-Encoding overrides Content-Length; a final chunked frames the body, and
            // the mixture means the connection is not to be trusted afterwards.
            else if (facts.LastCodingIsChunked && facts.ChunkedCount == 1 && !facts.TransferEncodingMalformed)
                framing = Chunked with { MustClose = facts.ContentLength >= 0 };
            // Rule 4: any other coding on a response is read until the server closes.
            else framing = ReadToClose;
            return ProtocolError.None;
        }
        framing = facts.ContentLength >= 0 ? Length(facts.ContentLength) : ReadToClose;
        return ProtocolError.None;
    }
}
