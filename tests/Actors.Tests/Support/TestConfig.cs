using ActorHttp.Configuration;
using ActorHttp.Protocol;

namespace ActorHttp.Actors.Tests.Support;

/// <summary>Configuration the actor tests share.</summary>
public static class TestConfig
{
    /// <summary>
    /// Server settings for loopback tests: a short header timeout so that the slow-client test
    /// finishes quickly (the timeout itself is what it waits on, not a sleep).
    /// </summary>
    public const string Server = """
        actorhttp.server {
          header-read-timeout = 1s
          shutdown-timeout = 10s
        }
        """;

    /// <summary>The reference protocol limits (every default from hocon/http.conf).</summary>
    public static HttpParserLimits ParserLimits { get; } = HttpParserLimitsSettings.Reference;
}
