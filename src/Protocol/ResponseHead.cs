using System.Text;

namespace ActorHttp.Protocol;

/// <summary>
/// A parsed response head (client role): status line, header fields and the framing and
/// connection facts derived from them and from the request method. Owns a copy of the head's
/// bytes; strings are materialised on first use. Immutable.
/// </summary>
public sealed class ResponseHead
{
    private readonly byte[] _buffer;
    private readonly int _reasonStart, _reasonLength;
    private string? _reason;

    internal ResponseHead(byte[] buffer, HttpProtocolVersion version, int statusCode, int reasonStart, int reasonLength,
        HeaderCollection headers, MessageFraming framing, ConnectionOptions connection)
    {
        _buffer = buffer;
        Version = version;
        StatusCode = statusCode;
        _reasonStart = reasonStart;
        _reasonLength = reasonLength;
        Headers = headers;
        Framing = framing;
        Connection = connection;
    }

    /// <summary>HTTP/1.0 or HTTP/1.1 (a higher 1.x minor is treated as 1.1, RFC 9110 §2.5).</summary>
    public HttpProtocolVersion Version { get; }

    /// <summary>The three-digit status code.</summary>
    public int StatusCode { get; }

    /// <summary>The reason phrase, possibly empty; carries no meaning (RFC 9112 §4).</summary>
    public string ReasonPhrase => _reason ??= Encoding.Latin1.GetString(_buffer, _reasonStart, _reasonLength);

    /// <summary>The header fields in received order (obs-fold replaced by spaces).</summary>
    public HeaderCollection Headers { get; }

    /// <summary>How the body is delimited, given the request method this answers.</summary>
    public MessageFraming Framing { get; }

    /// <summary>The options of the Connection fields.</summary>
    public ConnectionOptions Connection { get; }

    /// <summary>True for 1xx: an interim response, another head follows (except after 101).</summary>
    public bool IsInformational => StatusCode is >= 100 and < 200;

    /// <summary>True when the server lets the connection persist after this response (RFC 9112 §9.3).</summary>
    public bool KeepAlive => !Framing.MustClose && Protocol.KeepAlive.IsPersistent(Version, Connection);

    /// <inheritdoc />
    public override string ToString() => $"HTTP/1.{(Version == HttpProtocolVersion.Http11 ? 1 : 0)} {StatusCode} ({Headers.Count} fields, {Framing.Kind})";
}
