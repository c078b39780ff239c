using System.Net;
using ActorHttp.Protocol;
using ActorHttp.Server.Routing;

namespace ActorHttp.Server;

/// <summary>
/// An HTTP request as a handler sees it: the parsed head, the body as a stream read on demand,
/// the route that matched and its path values. Go's <c>*http.Request</c> on the server side.
/// </summary>
public sealed class ServerRequest
{
    private readonly RequestBody _body;
    private readonly Connection.ConnectionFlags _connection;
    private PathValues _pathValues;

    internal ServerRequest(RequestHead head, RequestBody body, EndPoint? remote, EndPoint? local, Connection.ConnectionFlags connection,
        Tls.TlsConnectionInfo? tls = null)
    {
        Head = head;
        _body = body;
        RemoteEndPoint = remote;
        LocalEndPoint = local;
        _connection = connection;
        Tls = tls;
    }

    /// <summary>What the connection's TLS handshake agreed on (Go's <c>r.TLS</c>); null on a plain-HTTP connection.</summary>
    public Tls.TlsConnectionInfo? Tls { get; }

    /// <summary>True when the request came over TLS (ASP.NET Core's <c>Request.IsHttps</c>).</summary>
    public bool IsHttps => Tls is not null;

    /// <summary>The parsed request head, as received.</summary>
    public RequestHead Head { get; }

    /// <summary>The request method, e.g. <c>GET</c>.</summary>
    public string Method => Head.Method;

    /// <summary>The request-target exactly as received (origin, absolute, authority or asterisk form).</summary>
    public string RawTarget => Head.RawTarget;

    /// <summary>The path, still percent-encoded, as routing sees it.</summary>
    public string Path => Head.Path;

    /// <summary>The query without its <c>?</c>, still encoded; null when the target had none.</summary>
    public string? RawQuery => Head.Query;

    /// <summary>The host the request is for (Host header, or the authority of an absolute target).</summary>
    public string Host => Head.Host;

    /// <summary>The protocol version.</summary>
    public HttpProtocolVersion Version => Head.Version;

    /// <summary>The version as it is written on the wire: <c>HTTP/1.1</c> or <c>HTTP/1.0</c>.</summary>
    public string Proto => Head.Version == HttpProtocolVersion.Http11 ? "HTTP/1.1" : "HTTP/1.0";

    /// <summary>The header fields in received order.</summary>
    public HeaderCollection Headers => Head.Headers;

    /// <summary>The declared body length; null for chunked bodies, 0 when there is no body.</summary>
    public long? ContentLength => Head.Framing.Kind switch
    {
        BodyKind.None => 0,
        BodyKind.ContentLength => Head.Framing.ContentLength,
        _ => null,
    };

    /// <summary>
    /// The body, read on demand with back-pressure: the connection reads the socket only as fast as
    /// the handler reads this stream. The first read sends <c>100 Continue</c> when the client asked.
    /// </summary>
    public Stream Body => _body.Stream;

    /// <summary>Trailer fields of a chunked body; empty until the body has been read to its end.</summary>
    public HeaderCollection Trailers => _body.Trailers;

    /// <summary>The pattern of the route that matched, e.g. <c>GET /items/{id}</c>; null when none did.</summary>
    public string? Pattern { get; internal set; }

    /// <summary>The peer's address.</summary>
    public EndPoint? RemoteEndPoint { get; }

    /// <summary>The address the connection was accepted on.</summary>
    public EndPoint? LocalEndPoint { get; }

    /// <summary>
    /// Cancelled when the connection is lost or the server aborts the request: it closes, or the handler ran past
    /// <c>request-timeout</c> (ASP.NET Core's <c>HttpContext.RequestAborted</c>, Go's <c>r.Context().Done()</c>).
    /// </summary>
    public CancellationToken Aborted
    {
        get
        {
            var token = _connection.Aborted;
            // Read after the token: TimeOut sets the flag before it swaps the connection's source out, so a token taken
            // from the next request's source is never returned to this one.
            return _timedOut ? new CancellationToken(canceled: true) : token;
        }
    }

    // Set by the connection actor when it stopped waiting for this request's handler; read by the handler's threads.
    private volatile bool _timedOut;

    /// <summary>The connection stopped waiting for this request's handler: cancels <see cref="Aborted"/>, for this request only.</summary>
    internal void TimeOut()
    {
        _timedOut = true;
        _connection.CancelRequest();
    }

    /// <summary>The value of wildcard <paramref name="name"/> in the matched pattern (<c>{name}</c> or <c>{name...}</c>); null when absent.</summary>
    public string? PathValue(string name) =>
        _pathValues.GetValue(name);

    internal void SetRoute(string pattern, PathValues values)
    {
        Pattern = pattern;
        _pathValues = values;
    }

    internal RequestBody BodyState => _body;

    /// <inheritdoc />
    public override string ToString() => $"{Method} {RawTarget} {Proto}";
}
