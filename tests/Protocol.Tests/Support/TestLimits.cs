namespace ActorHttp.Protocol.Tests.Support;

/// <summary>Limits for the protocol tests.</summary>
public static class TestLimits
{
    /// <summary>The shipped defaults, read from hocon/http.conf.</summary>
    public static HttpParserLimits Default { get; } = ActorHttp.Configuration.HttpParserLimitsSettings.Reference;

    /// <summary>Small limits so limit cases stay short.</summary>
    public static HttpParserLimits Small { get; } = new(
        MaxRequestLineLength: 32, MaxHeaderBytes: 64, MaxHeaderCount: 3, MaxChunkExtensionBytes: 8,
        MaxTrailerBytes: 24, MaxStatusLineLength: 24, MaxResponseHeaderBytes: 64);
}
