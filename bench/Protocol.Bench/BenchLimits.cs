namespace ActorHttp.Protocol.Bench;

/// <summary>The limits the benchmarks parse with (the shipped defaults; the values only bound, they do not change the work).</summary>
public static class BenchLimits
{
    public static HttpParserLimits Default { get; } = new(8192, 32768, 100, 16384, 16384, 8192, 65536);
}
