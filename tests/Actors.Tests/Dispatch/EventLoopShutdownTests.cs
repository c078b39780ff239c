using ActorHttp.Actors.Tests.Net;
using ActorHttp.Dispatch;
using Akka.Actor;
using Akka.Configuration;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Dispatch;

/// <summary>
/// Akka shuts a dispatcher's executor down once it has had no actors for <c>shutdown-timeout</c>; for
/// a loop that must change nothing: the next actor runs on the same loop thread.
/// </summary>
[Collection(EventLoopCollection.Name)]
public sealed class EventLoopShutdownTests(ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit(ConfigurationFactory.ParseString("actorhttp.dispatch.event-loop.shutdown-timeout = 100ms"), output: output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    [EpollFact]
    public async Task A_loop_dispatcher_outlives_its_shutdown_timeout_with_no_actors()
    {
        var loops = EventLoopDispatchers.Register(Sys);
        Assert.Equal(TimeSpan.FromMilliseconds(100), loops.Settings.ShutdownTimeout);
        var id = loops.DispatcherId(0);
        var dispatcher = (EventLoopDispatcher)Sys.Dispatchers.Lookup(id);

        var first = Sys.ActorOf(WhereActor.Props.WithDispatcher(id));
        first.Tell("where?");
        var before = await ExpectMsgAsync<Where>(Patience);
        Watch(first);
        Sys.Stop(first);
        await ExpectTerminatedAsync(first, Patience);

        // No actors left: after the timeout Akka shuts the executor down.
        await AwaitConditionAsync(() => Task.FromResult(dispatcher.Executors.Shutdowns == 1), Patience);

        var second = Sys.ActorOf(WhereActor.Props.WithDispatcher(id));
        second.Tell("where?");
        var after = await ExpectMsgAsync<Where>(Patience);
        Assert.Equal(2, dispatcher.Executors.Produced);
        Assert.Equal(before.ThreadId, after.ThreadId);
        Assert.Equal(loops.Loop(0).ManagedThreadId, after.ThreadId);
        Assert.Equal(0, after.Loop);
    }
}
