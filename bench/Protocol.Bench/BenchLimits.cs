namespace ActorHttp.Protocol.Bench;

/// <summary>The limits the benchmarks parse with: the shipped defaults from hocon/http.conf.</summary>
public static class BenchLimits
{
    public static HttpParserLimits Default { get; } = ActorHttp.Configuration.HttpParserLimitsSettings.Reference;
}
