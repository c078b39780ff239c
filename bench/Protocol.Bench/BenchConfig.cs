using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;

namespace ActorHttp.Protocol.Bench;

/// <summary>A short job (1 launch, 2 warm-ups, 5 iterations) so the whole suite stays under five minutes, with allocations.</summary>
public sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(5).WithId("short"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(new MessagesPerSecondColumn(), new BytesPerSecondColumn());
        HideColumns(Column.Error, Column.StdDev, Column.Job);
    }
}
