namespace ActorHttp.Actors.Tests.Dispatch;

/// <summary>
/// The tests that watch the process-wide event loops (what ran where, whether a loop slept): they run
/// alone, so that no other test's actors or sockets share the loops meanwhile.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EventLoopCollection
{
    public const string Name = "event loops";
}
