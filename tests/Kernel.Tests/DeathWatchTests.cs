using ActorHttp.Kernel;
using Xunit.Abstractions;
using static ActorHttp.Kernel.Tests.TestActors;

namespace ActorHttp.Kernel.Tests;

public class DeathWatchTests(ITestOutputHelper output) : TestKit.TestKit(output)
{
    private sealed record WatchIt(IActorRef Subject, object? With = null);

    private sealed record UnwatchIt(IActorRef Subject);

    private sealed record Gate(TaskCompletionSource Open);

    /// <summary>Watches on command and reports what it receives; can hold its mailbox closed on a gate.</summary>
    private sealed class Watcher : ReceiveActor
    {
        public Watcher(IActorRef probe)
        {
            Receive<WatchIt>(w =>
            {
                if (w.With is null) Context.Watch(w.Subject);
                else Context.WatchWith(w.Subject, w.With);
                Sender.Tell("watching");
            });
            Receive<UnwatchIt>(u => Context.Unwatch(u.Subject));
            ReceiveAsync<Gate>(g => g.Open.Task);
            ReceiveAny(m => probe.Tell(m, Self));
        }
    }

    [Fact]
    public void Watch_delivers_exactly_one_Terminated()
    {
        var probe = CreateTestProbe();
        var watcher = Sys.ActorOf(Props.Create(() => new Watcher(probe.Ref)));
        var subject = Sys.ActorOf(Props.Create<Echo>());
        watcher.Tell(new WatchIt(subject), TestActor);
        watcher.Tell(new WatchIt(subject), TestActor); // watching twice is one watch
        ExpectMsg("watching");
        ExpectMsg("watching");
        Sys.Stop(subject);
        var t = probe.ExpectMsg<Terminated>();
        Assert.Equal(subject, t.ActorRef);
        Assert.True(t.ExistenceConfirmed);
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Watching_an_already_dead_actor_delivers_Terminated_at_once()
    {
        var probe = CreateTestProbe();
        var subject = Sys.ActorOf(Props.Create<Echo>());
        Watch(subject);
        Sys.Stop(subject);
        ExpectTerminated(subject);

        var watcher = Sys.ActorOf(Props.Create(() => new Watcher(probe.Ref)));
        watcher.Tell(new WatchIt(subject), TestActor);
        Assert.Equal(subject, probe.ExpectMsg<Terminated>().ActorRef);
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void Unwatch_drops_a_Terminated_that_is_queued_but_not_yet_processed()
    {
        var probe = CreateTestProbe();
        var watcher = Sys.ActorOf(Props.Create(() => new Watcher(probe.Ref)));
        var subject = Sys.ActorOf(Props.Create<Echo>());
        watcher.Tell(new WatchIt(subject), TestActor);
        ExpectMsg("watching");

        // Hold the watcher's user messages while the subject dies: its Terminated gets queued.
        var gate = new Gate(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        watcher.Tell(gate, TestActor);
        watcher.Tell(new UnwatchIt(subject), TestActor);
        Watch(subject);
        Sys.Stop(subject);
        ExpectTerminated(subject);
        AwaitCondition(() => HasQueuedTerminated(watcher, subject));
        gate.Open.SetResult();
        watcher.Tell("marker", TestActor);
        probe.ExpectMsg("marker"); // and no Terminated before it
    }

    // The Terminated travels as a system message first and is queued as a user message when processed;
    // while the gate is closed that processing still happens (system messages are not suspended).
    private static bool HasQueuedTerminated(IActorRef watcher, IActorRef subject)
    {
        const System.Reflection.BindingFlags flags = System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance;
        var extras = typeof(ActorCell).GetField("_extras", flags)!.GetValue(((LocalActorRef)watcher).Cell);
        if (extras is null) return false;
        try
        {
            return ((ActorRefSet)extras.GetType().GetField("TerminatedQueued", flags)!.GetValue(extras)!).Contains(subject);
        }
        catch (InvalidOperationException)
        {
            return false; // read while the actor was writing; try again
        }
    }

    [Fact]
    public void WatchWith_delivers_the_custom_message()
    {
        var probe = CreateTestProbe();
        var watcher = Sys.ActorOf(Props.Create(() => new Watcher(probe.Ref)));
        var subject = Sys.ActorOf(Props.Create<Echo>());
        watcher.Tell(new WatchIt(subject, "subject-gone"), TestActor);
        ExpectMsg("watching");
        Sys.Stop(subject);
        probe.ExpectMsg("subject-gone");
    }

    private sealed class Pact : ReceiveActor
    {
        public Pact(IActorRef subject) => Context.Watch(subject);
    }

    [Fact]
    public void An_unhandled_Terminated_is_a_DeathPactException_which_stops_the_watcher()
    {
        var subject = Sys.ActorOf(Props.Create<Echo>());
        var pact = Sys.ActorOf(Props.Create(() => new Pact(subject)));
        Watch(pact);
        Sys.Stop(subject);
        ExpectTerminated(pact);
    }

    [Fact]
    public void Watching_Nobody_reports_a_non_existing_actor()
    {
        var probe = CreateTestProbe();
        var watcher = Sys.ActorOf(Props.Create(() => new Watcher(probe.Ref)));
        watcher.Tell(new WatchIt(ActorRefs.Nobody), TestActor);
        Assert.False(probe.ExpectMsg<Terminated>().ExistenceConfirmed);
    }

    [Fact]
    public void A_stopped_watcher_is_forgotten_by_its_subject()
    {
        var probe = CreateTestProbe();
        var watcher = Sys.ActorOf(Props.Create(() => new Watcher(probe.Ref)));
        var subject = Sys.ActorOf(Props.Create<Echo>());
        watcher.Tell(new WatchIt(subject), TestActor);
        ExpectMsg("watching");
        Watch(watcher);
        Sys.Stop(watcher);
        ExpectTerminated(watcher);
        AwaitAssert(() => Assert.Empty(WatchedBy(subject)));
    }

    private static IEnumerable<IActorRef> WatchedBy(IActorRef subject)
    {
        var field = typeof(ActorCell).GetField("_watchedBy", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
        return ((ActorRefSet)field.GetValue(((LocalActorRef)subject).Cell)!).ToArray();
    }
}
