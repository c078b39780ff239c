namespace ActorHttp.Protocol;

/// <summary>
/// The persistence rule of RFC 9112 §9.3 for both roles: HTTP/1.1 persists unless a
/// <c>close</c> option is present; HTTP/1.0 persists only with <c>keep-alive</c> and no <c>close</c>.
/// </summary>
public static class KeepAlive
{
    /// <summary>True when a message of <paramref name="version"/> with <paramref name="options"/> lets the connection persist.</summary>
    public static bool IsPersistent(HttpProtocolVersion version, ConnectionOptions options)
    {
        if ((options & ConnectionOptions.Close) != 0) return false;
        return version == HttpProtocolVersion.Http11 || (options & ConnectionOptions.KeepAlive) != 0;
    }

    /// <summary>
    /// True when the connection may carry another exchange after <paramref name="request"/> was
    /// answered by <paramref name="response"/>: both sides must want it and the response framing must allow it.
    /// </summary>
    public static bool AfterExchange(RequestHead request, ResponseHead response) =>
        request.KeepAlive && response.KeepAlive;
}
