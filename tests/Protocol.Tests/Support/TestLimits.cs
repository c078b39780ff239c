namespace ActorHttp.Protocol.Tests.Support;

/// <summary>Limits for the protocol tests.</summary>
public static class TestLimits
{
    /// <summary>The shipped defaults.</summary>
    public static HttpParserLimits Default { get; } = new(
        MaxRequestLineLength: 8192, MaxHeaderBytes: 32768, MaxHeaderCount: 100, MaxChunkExtensionBytes: 16384,
        MaxTrailerBytes: 16384, MaxStatusLineLength: 8192, MaxResponseHeaderBytes: 65536);

    /// <summary>Small limits so limit cases stay short.</summary>
    public static HttpParserLimits Small { get; } = new(
        MaxRequestLineLength: 32, MaxHeaderBytes: 64, MaxHeaderCount: 3, MaxChunkExtensionBytes: 8,
        MaxTrailerBytes: 24, MaxStatusLineLength: 24, MaxResponseHeaderBytes: 64);
}
