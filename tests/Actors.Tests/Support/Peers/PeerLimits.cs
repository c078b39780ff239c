using ActorHttp.Protocol;

namespace ActorHttp.Actors.Tests.Support.Peers;

/// <summary>
/// The parser limits the test peers read with. A peer is not the system under test: it must
/// accept whatever a client reasonably sends and surface it, so the bounds are generous (4x
/// the common 8 KiB request line and 16 KiB trailers) rather than the runtime's defaults,
/// which live in <c>hocon/http.conf</c> and are not repeated here.
/// </summary>
public static class PeerLimits
{
    /// <summary>Generous limits for parsing what a client under test sends.</summary>
    public static HttpParserLimits Generous { get; } = new(
        MaxRequestLineLength: 32 * 1024, MaxHeaderBytes: 256 * 1024, MaxHeaderCount: 1000,
        MaxChunkExtensionBytes: 64 * 1024, MaxTrailerBytes: 64 * 1024,
        MaxStatusLineLength: 32 * 1024, MaxResponseHeaderBytes: 1024 * 1024);
}
