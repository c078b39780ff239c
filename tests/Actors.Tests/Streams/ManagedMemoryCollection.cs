namespace ActorHttp.Actors.Tests.Streams;

/// <summary>
/// The tests that bound the process's live managed memory (GC.GetTotalMemory is process-wide): they run alone, so that
/// no other test's buffers count against their bound.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ManagedMemoryCollection
{
    public const string Name = "managed memory";
}
