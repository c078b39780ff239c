using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using ActorHttp.Server.Routing;

namespace ActorHttp.Actors.Bench;

/// <summary>
/// <see cref="RouteTable{THandler}.Match"/> on a table shaped like a small REST API (static paths,
/// single- and multi-segment wildcards, one host-specific subtree, method-restricted patterns): the
/// cost the connection pays per request before its handler runs, for each outcome.
/// </summary>
[Config(typeof(Config))]
public class RoutingBenchmarks
{
    private const int ParallelMatchesPerThread = 10_000;

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            // In process: the machine is shared and a separate build of the boilerplate can time out.
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(8)
                .WithToolchain(InProcessEmitToolchain.Instance).WithId("short"));
            AddDiagnoser(MemoryDiagnoser.Default);
        }
    }

    private static readonly string[] Patterns =
    [
        "GET /",
        "GET /plaintext",
        "GET /json",
        "POST /echo",
        "GET /users",
        "POST /users",
        "GET /users/{id}",
        "PUT /users/{id}",
        "DELETE /users/{id}",
        "GET /users/{id}/repos",
        "GET /users/{id}/repos/{repo}/issues/{number}",
        "GET /orgs/{org}/members",
        "GET /orgs/{org}/teams/{team}",
        "GET /static/{path...}",
        "GET /files/",
        "GET /search",
        "GET /health",
        "GET api.example.com/v1/items/{id}",
        "POST api.example.com/v1/items",
        "GET api.example.com/v1/",
    ];

    private RouteTable<object> _table = RouteTable<object>.Empty;

    [GlobalSetup]
    public void Setup()
    {
        var handler = new object();
        foreach (var pattern in Patterns) _table = _table.Add(pattern, handler);
    }

    [Benchmark(Baseline = true, Description = "static /plaintext")]
    public RouteMatchKind Static() => _table.Match("GET", "localhost", "/plaintext", null).Kind;

    [Benchmark(Description = "wildcard /users/{id}/repos/{repo}/issues/{number}")]
    public RouteMatchKind Wildcards() => _table.Match("GET", "localhost", "/users/42/repos/actorhttp/issues/7", null).Kind;

    [Benchmark(Description = "rest wildcard /static/{path...}")]
    public RouteMatchKind RestWildcard() => _table.Match("GET", "localhost", "/static/css/site/main.css", null).Kind;

    [Benchmark(Description = "host api.example.com/v1/items/{id}")]
    public RouteMatchKind HostPattern() => _table.Match("GET", "api.example.com:8080", "/v1/items/17", null).Kind;

    [Benchmark(Description = "404 /nowhere/at/all")]
    public RouteMatchKind NotFound() => _table.Match("GET", "localhost", "/nowhere/at/all", null).Kind;

    [Benchmark(Description = "405 PATCH /users/{id}")]
    public RouteMatchKind MethodNotAllowed() => _table.Match("PATCH", "localhost", "/users/42", null).Kind;

    /// <summary>Two threads matching at once on the shared (immutable) table; time is per match.</summary>
    [Benchmark(Description = "2 threads, mixed", OperationsPerInvoke = 2 * ParallelMatchesPerThread)]
    public int Parallel2()
    {
        var found = 0;
        Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, _ =>
        {
            var local = 0;
            for (var i = 0; i < ParallelMatchesPerThread; i++)
            {
                var match = (i & 3) switch
                {
                    0 => _table.Match("GET", "localhost", "/plaintext", null),
                    1 => _table.Match("GET", "localhost", "/users/42/repos", null),
                    2 => _table.Match("GET", "api.example.com", "/v1/items/17", null),
                    _ => _table.Match("GET", "localhost", "/nowhere", null),
                };
                if (match.Kind == RouteMatchKind.Found) local++;
            }

            Interlocked.Add(ref found, local);
        });
        return found;
    }
}
