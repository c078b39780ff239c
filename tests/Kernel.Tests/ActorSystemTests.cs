using ActorHttp.Kernel;
using Xunit.Abstractions;
using static ActorHttp.Kernel.Tests.TestActors;

namespace ActorHttp.Kernel.Tests;

public class ActorSystemTests(ITestOutputHelper output) : TestKit.TestKit(output)
{
    [Fact]
    public void Paths_follow_the_hierarchy_and_print_with_the_scheme()
    {
        var a = Sys.ActorOf(Props.Create(() => new Supervisor(SupervisorStrategy.DefaultStrategy)), "a");
        a.Tell((Props.Create<Echo>(), "b"), TestActor);
        var b = ExpectMsg<IActorRef>();
        Assert.Equal($"actorhttp://{Sys.Name}/user/a/b", b.Path.ToString());
        Assert.Equal("b", b.Path.Name);
        Assert.Equal(a.Path, b.Path.Parent);
        Assert.Equal(new[] { "user", "a", "b" }, b.Path.Elements);
    }

    [Fact]
    public void Generated_names_are_dollar_a_dollar_b()
    {
        var first = Sys.ActorOf(Props.Create<Echo>());
        var second = Sys.ActorOf(Props.Create<Echo>());
        Assert.Equal("$a", first.Path.Name);
        Assert.Equal("$b", second.Path.Name);
    }

    public static TheoryData<string> InvalidNames => new() { "", "$x", "a/b", "a b", "a#b" };

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public void Invalid_names_are_rejected(string name) =>
        Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(Props.Create<Echo>(), name));

    [Fact]
    public void Names_are_unique_among_siblings_until_the_sibling_has_terminated()
    {
        var first = Sys.ActorOf(Props.Create<Echo>(), "same");
        Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(Props.Create<Echo>(), "same"));
        Watch(first);
        Sys.Stop(first);
        ExpectTerminated(first);
        AwaitAssert(() => Assert.NotEqual(ActorRefs.Nobody, Sys.ActorOf(Props.Create<Echo>(), "same")));
    }

    [Fact]
    public void References_compare_by_path_and_incarnation()
    {
        var first = Sys.ActorOf(Props.Create<Echo>(), "x");
        Watch(first);
        Sys.Stop(first);
        ExpectTerminated(first);
        IActorRef second = ActorRefs.Nobody;
        AwaitAssert(() => second = Sys.ActorOf(Props.Create<Echo>(), "x"));
        Assert.Equal(first.Path, second.Path);
        Assert.NotEqual(first, second);
        Assert.Equal(first, first);
    }

    [Fact]
    public void Tell_delivers_with_sender_and_implicit_sender_is_the_current_actor()
    {
        var echo = Sys.ActorOf(Props.Create<Echo>());
        echo.Tell("hi", TestActor);
        ExpectMsg("hi");
        Assert.Equal(echo, LastSender);

        var forwarder = Sys.ActorOf(Props.Create(() => new Forwarder(echo)));
        forwarder.Tell("via", TestActor);
        ExpectMsg("via");
        Assert.Equal(echo, LastSender);
    }

    [Fact]
    public void Sender_is_dead_letters_when_there_is_none()
    {
        var probe = CreateTestProbe();
        var actor = Sys.ActorOf(Props.Create(() => new SenderReporter(probe.Ref)));
        actor.Tell("x", ActorRefs.NoSender);
        Assert.Equal(Sys.DeadLetters, probe.ExpectMsg<IActorRef>());
    }

    private sealed class SenderReporter : ReceiveActor
    {
        public SenderReporter(IActorRef probe) => ReceiveAny(_ => probe.Tell(Sender));
    }

    [Fact]
    public void Child_returns_nobody_when_absent_and_children_lists_them()
    {
        var parent = Sys.ActorOf(Props.Create(() => new Supervisor(SupervisorStrategy.DefaultStrategy)));
        parent.Tell((Props.Create<Echo>(), "kid"), TestActor);
        var kid = ExpectMsg<IActorRef>();
        var cell = ((LocalActorRef)parent).Cell;
        Assert.Equal(kid, cell.Child("kid"));
        Assert.Equal(ActorRefs.Nobody, cell.Child("none"));
        Assert.Single(cell.Children);
    }

    [Fact]
    public void Identify_answers_with_the_reference()
    {
        var echo = Sys.ActorOf(Props.Create<Echo>());
        echo.Tell(new Identify(42), TestActor);
        var id = ExpectMsg<ActorIdentity>();
        Assert.Equal(42, id.MessageId);
        Assert.Equal(echo, id.Subject);
    }

    [Fact]
    public async Task Terminate_stops_every_actor_children_first_and_completes_WhenTerminated()
    {
        var probe = CreateTestProbe();
        var parent = Sys.ActorOf(Props.Create(() => new Lifecycle(probe.Ref, "p")), "p");
        probe.ExpectMsg("p:ctor");
        probe.ExpectMsg("p:preStart");
        parent.Tell(Props.Create(() => new Lifecycle(probe.Ref, "c")), TestActor);
        ExpectMsg<IActorRef>();
        probe.ExpectMsg("c:ctor");
        probe.ExpectMsg("c:preStart");
        await Sys.Terminate().WaitAsync(TimeSpan.FromSeconds(5));
        probe.ExpectMsg("c:postStop"); // the probe's own actor is under /system, stopped after /user
        probe.ExpectMsg("p:postStop");
        Assert.Empty(Sys.LiveActorPaths());
    }

    [Fact]
    public async Task ActorOf_after_terminate_fails()
    {
        await Sys.Terminate().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Throws<InvalidOperationException>(() => Sys.ActorOf(Props.Create<Echo>()));
    }

    [Fact]
    public void Creating_an_actor_with_new_is_refused()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new Echo());
        Assert.Contains("Props", e.Message);
    }

    [Fact]
    public void Calling_thread_dispatcher_runs_the_actor_on_the_telling_thread()
    {
        var probe = CreateTestProbe();
        var actor = Sys.ActorOf(Props.Create(() => new ThreadReporter(probe.Ref)).WithDispatcher(Dispatchers.CallingThreadDispatcherId));
        var thread = Environment.CurrentManagedThreadId;
        actor.Tell("which", ActorRefs.NoSender);
        Assert.Equal(thread, probe.ExpectMsg<int>());
    }

    private sealed class ThreadReporter : ReceiveActor
    {
        public ThreadReporter(IActorRef probe) => ReceiveAny(_ => probe.Tell(Environment.CurrentManagedThreadId));
    }
}
