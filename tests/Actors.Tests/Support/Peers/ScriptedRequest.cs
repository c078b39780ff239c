using ActorHttp.Protocol;

namespace ActorHttp.Actors.Tests.Support.Peers;

/// <summary>
/// A request a <see cref="ScriptedConnection"/> read: the head as the protocol's parser saw it,
/// the decoded body (empty when not read) and the trailers of a chunked body.
/// </summary>
/// <param name="Head">The parsed request head.</param>
/// <param name="Body">The body bytes, de-chunked; empty when the body was not read.</param>
/// <param name="Trailers">Trailer fields of a chunked body; empty otherwise.</param>
/// <param name="BodyRead">False when the script asked for the head only.</param>
public sealed record ScriptedRequest(RequestHead Head, byte[] Body, HeaderCollection Trailers, bool BodyRead)
{
    /// <summary>The method token.</summary>
    public string Method => Head.Method;

    /// <summary>The request target as received.</summary>
    public string Target => Head.RawTarget;

    /// <summary>The header fields in received order.</summary>
    public HeaderCollection Headers => Head.Headers;

    /// <summary>The body as UTF-8 text.</summary>
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);

    /// <inheritdoc />
    public override string ToString() => $"{Head} body {Body.Length} bytes{(BodyRead ? "" : " (unread)")}";
}
