using System.Text;

namespace ActorHttp.Protocol;

/// <summary>
/// A parsed request head (server role): request line, header fields and the framing and
/// connection facts derived from them. Owns a copy of the head's bytes; strings are
/// materialised on first use. Immutable, so it can travel between actors.
/// </summary>
public sealed class RequestHead
{
    private readonly byte[] _buffer;
    private readonly int _targetStart, _targetLength, _pathStart, _pathLength, _queryStart, _queryLength;
    private readonly int _authorityStart, _authorityLength;
    private string? _rawTarget, _path, _query, _host;

    internal RequestHead(byte[] buffer, string method, RequestMethod methodKind, HttpProtocolVersion version,
        RequestTargetForm form, int targetStart, int targetLength, int pathStart, int pathLength,
        int queryStart, int queryLength, int authorityStart, int authorityLength,
        HeaderCollection headers, MessageFraming framing, ConnectionOptions connection, bool expectsContinue, int hostIndex)
    {
        _buffer = buffer;
        Method = method;
        MethodKind = methodKind;
        Version = version;
        TargetForm = form;
        _targetStart = targetStart;
        _targetLength = targetLength;
        _pathStart = pathStart;
        _pathLength = pathLength;
        _queryStart = queryStart;
        _queryLength = queryLength;
        _authorityStart = authorityStart;
        _authorityLength = authorityLength;
        Headers = headers;
        Framing = framing;
        Connection = connection;
        ExpectsContinue = expectsContinue;
        HostIndex = hostIndex;
    }

    /// <summary>The method token; an interned string for the common methods.</summary>
    public string Method { get; }

    /// <summary>The method when it is one of the common ones, else <see cref="RequestMethod.Other"/>.</summary>
    public RequestMethod MethodKind { get; }

    /// <summary>The request target exactly as received.</summary>
    public string RawTarget => _rawTarget ??= Encoding.ASCII.GetString(RawTargetSpan);

    /// <summary>The request target bytes.</summary>
    public ReadOnlySpan<byte> RawTargetSpan => _buffer.AsSpan(_targetStart, _targetLength);

    /// <summary>Which of the four forms the target has.</summary>
    public RequestTargetForm TargetForm { get; }

    /// <summary>
    /// The path, still percent-encoded: up to '?' for origin and absolute form ("/" when an
    /// absolute target has none), "*" for asterisk form, empty for authority form.
    /// </summary>
    public string Path => _path ??= _pathLength == 0 && TargetForm == RequestTargetForm.Absolute
        ? "/"
        : Encoding.ASCII.GetString(PathSpan);

    /// <summary>The path bytes (empty for an absolute target without a path).</summary>
    public ReadOnlySpan<byte> PathSpan => _buffer.AsSpan(_pathStart, _pathLength);

    /// <summary>The query after '?', still encoded; null when the target has no '?'.</summary>
    public string? Query => _queryStart < 0 ? null : _query ??= Encoding.ASCII.GetString(QuerySpan);

    /// <summary>The query bytes (empty when absent).</summary>
    public ReadOnlySpan<byte> QuerySpan => _queryStart < 0 ? default : _buffer.AsSpan(_queryStart, _queryLength);

    /// <summary>
    /// The authority the request is for: the target's authority in absolute and authority form
    /// (RFC 9112 §3.2.2: it replaces Host), else the Host field; empty when neither is there.
    /// </summary>
    public string Host => _host ??= _authorityLength > 0
        ? Encoding.ASCII.GetString(_buffer, _authorityStart, _authorityLength)
        : HostIndex >= 0 ? Headers[HostIndex].Value : string.Empty;

    /// <summary>HTTP/1.0 or HTTP/1.1.</summary>
    public HttpProtocolVersion Version { get; }

    /// <summary>The header fields in received order.</summary>
    public HeaderCollection Headers { get; }

    /// <summary>How the body is delimited.</summary>
    public MessageFraming Framing { get; }

    /// <summary>The options of the Connection fields.</summary>
    public ConnectionOptions Connection { get; }

    /// <summary>True for an HTTP/1.1 request with <c>Expect: 100-continue</c> (HTTP/1.0 ones are ignored, RFC 9110 §10.1.1).</summary>
    public bool ExpectsContinue { get; }

    /// <summary>True when the client lets the connection persist after this exchange (RFC 9112 §9.3).</summary>
    public bool KeepAlive => !Framing.MustClose && Protocol.KeepAlive.IsPersistent(Version, Connection);

    /// <summary>Index of the Host field in <see cref="Headers"/>, or -1.</summary>
    internal int HostIndex { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Method} {RawTarget} HTTP/1.{(Version == HttpProtocolVersion.Http11 ? 1 : 0)} ({Headers.Count} fields, {Framing.Kind})";
}
