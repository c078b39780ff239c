namespace ActorHttp.Actors.Tests.Support.Peers;

/// <summary>The broken responses <see cref="FaultScripts.Malformed"/> can send.</summary>
public enum MalformedResponse
{
    /// <summary>A status code that is not three digits: <c>HTTP/1.1 2x0 OK</c>.</summary>
    BadStatusLine,
    /// <summary>A status line that is not HTTP at all.</summary>
    NotHttp,
    /// <summary>A chunked body whose first chunk size is not hex.</summary>
    BadChunkSize,
    /// <summary>Both Content-Length and <c>Transfer-Encoding: chunked</c>; the chunked body is well formed (RFC 9112 §6.1: chunked wins, then close).</summary>
    ContentLengthAndTransferEncoding,
    /// <summary>Two different Content-Length values.</summary>
    ConflictingContentLength,
    /// <summary>A header section of 1 MiB, past any sane client limit.</summary>
    HugeHeaderSection,
    /// <summary>A header line ended by a bare LF.</summary>
    BareLineFeed,
    /// <summary>Content-Length promises more bytes than are sent before the close.</summary>
    TruncatedBody,
}
