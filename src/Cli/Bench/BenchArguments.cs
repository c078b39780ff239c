namespace ActorHttp.Cli.Bench;

/// <summary>What <c>actorhttp bench</c> was asked to do, as parsed from its command line.</summary>
/// <param name="Url">The absolute http URL every request goes to.</param>
/// <param name="Concurrency">-c: request loops, each with one request in flight.</param>
/// <param name="MaxConns">--max-conns: the pool's max-conns-per-host for the target.</param>
/// <param name="Requests">-n: recorded requests in total; null when running for <paramref name="Duration"/>.</param>
/// <param name="Duration">-z: how long to record; null when running for <paramref name="Requests"/>.</param>
/// <param name="Warmup">--warmup: unrecorded time before recording starts.</param>
/// <param name="Method">-X: the method.</param>
/// <param name="Data">-d: the body of every request, UTF-8; null for none.</param>
/// <param name="ResultLine">--result-line: print only the benchmark driver's RESULT line.</param>
internal sealed record BenchArguments(
    Uri Url,
    int Concurrency,
    int MaxConns,
    long? Requests,
    TimeSpan? Duration,
    TimeSpan Warmup,
    string Method,
    byte[]? Data,
    bool ResultLine);
