using ActorHttp.Kernel;
using ActorHttp.TestKit;
using Xunit.Abstractions;
using static ActorHttp.Kernel.Tests.TestActors;

namespace ActorHttp.Kernel.Tests;

public class SupervisionTests(ITestOutputHelper output)
    : TestKit.TestKit(new ActorSystemSetup { Scheduler = new TestScheduler() }, output)
{
    private sealed class ResumeMe(string m) : Exception(m);

    private sealed class RestartMe(string m) : Exception(m);

    private sealed class StopMe(string m) : Exception(m);

    private sealed class EscalateMe(string m) : Exception(m);

    private static readonly IDecider Table = Decider.From(Directive.Restart,
        new KeyValuePair<Type, Directive>(typeof(ResumeMe), Directive.Resume),
        new KeyValuePair<Type, Directive>(typeof(StopMe), Directive.Stop),
        new KeyValuePair<Type, Directive>(typeof(EscalateMe), Directive.Escalate));

    private IActorRef Spawn(SupervisorStrategy strategy, TestProbe probe, string id, out IActorRef supervisor)
    {
        supervisor = Sys.ActorOf(Props.Create(() => new Supervisor(strategy)));
        supervisor.Tell((Props.Create(() => new Lifecycle(probe.Ref, id)), id), TestActor);
        var child = ExpectMsg<IActorRef>();
        probe.ExpectMsg($"{id}:ctor");
        probe.ExpectMsg($"{id}:preStart");
        return child;
    }

    private int State(IActorRef actor)
    {
        actor.Tell("state", TestActor);
        return ExpectMsg<int>();
    }

    [Fact]
    public void Props_with_state_build_each_incarnation_from_that_state()
    {
        var probe = CreateTestProbe();
        var supervisor = Sys.ActorOf(Props.Create(() => new Supervisor(new OneForOneStrategy(Table))));
        var props = Props.Create(static ((IActorRef Probe, string Id) s) => new Lifecycle(s.Probe, s.Id), (probe.Ref, "s"));
        Assert.Equal(typeof(Lifecycle), props.ActorType);
        supervisor.Tell((props, "s"), TestActor);
        var child = ExpectMsg<IActorRef>();
        probe.ExpectMsg("s:ctor");
        probe.ExpectMsg("s:preStart");
        child.Tell(new RestartMe("boom"), TestActor);
        probe.ExpectMsg("s:preRestart:boom:RestartMe");
        probe.ExpectMsg("s:postStop");
        probe.ExpectMsg("s:ctor");
    }

    [Fact]
    public void Resume_keeps_the_instance_and_its_state()
    {
        var probe = CreateTestProbe();
        var child = Spawn(new OneForOneStrategy(Table), probe, "c", out _);
        child.Tell("inc", TestActor);
        child.Tell(new ResumeMe("r"), TestActor);
        Assert.Equal(1, State(child));
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void Restart_creates_a_new_instance_calls_the_hooks_and_does_not_redeliver_the_failed_message()
    {
        var probe = CreateTestProbe();
        var child = Spawn(new OneForOneStrategy(Table), probe, "c", out _);
        child.Tell("inc", TestActor);
        child.Tell(new RestartMe("boom"), TestActor);
        probe.ExpectMsg("c:preRestart:boom:RestartMe");
        probe.ExpectMsg("c:postStop");
        probe.ExpectMsg("c:ctor");
        probe.ExpectMsg("c:postRestart");
        probe.ExpectMsg("c:preStart");
        Assert.Equal(0, State(child));
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void Stop_stops_the_child()
    {
        var probe = CreateTestProbe();
        var child = Spawn(new OneForOneStrategy(Table), probe, "c", out _);
        Watch(child);
        child.Tell(new StopMe("s"), TestActor);
        probe.ExpectMsg("c:postStop");
        ExpectTerminated(child);
    }

    [Fact]
    public void Escalate_fails_the_supervisor_whose_own_supervisor_restarts_it()
    {
        var probe = CreateTestProbe();
        var child = Spawn(new OneForOneStrategy(Table), probe, "c", out var supervisor);
        Watch(child);
        child.Tell(new EscalateMe("up"), TestActor);
        // The supervisor restarts under /user's default strategy: its default PreRestart stops the child.
        probe.ExpectMsg("c:postStop");
        ExpectTerminated(child);
        supervisor.Tell((Props.Create<Echo>(), "again"), TestActor);
        ExpectMsg<IActorRef>();
    }

    [Fact]
    public void An_escalated_failure_that_the_grandparent_resumes_resumes_the_child_with_its_state()
    {
        var probe = CreateTestProbe();
        var grandparent = Sys.ActorOf(Props.Create(() => new Supervisor(new OneForOneStrategy(_ => Directive.Resume))));
        grandparent.Tell((Props.Create(() => new Supervisor(new OneForOneStrategy(Table))), "parent"), TestActor);
        var parent = ExpectMsg<IActorRef>();
        parent.Tell((Props.Create(() => new Lifecycle(probe.Ref, "c")), "c"), TestActor);
        var child = ExpectMsg<IActorRef>();
        child.Tell("inc", TestActor);
        child.Tell(new EscalateMe("up"), TestActor);
        Assert.Equal(1, State(child));
        parent.Tell((Props.Create<Echo>(), "sibling"), TestActor); // the parent works again too
        ExpectMsg<IActorRef>();
        probe.ReceiveN(2); // ctor, preStart
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(50)); // nobody restarted or stopped
    }

    [Fact]
    public void A_restart_directive_after_a_failed_creation_creates_the_actor_again()
    {
        var attempts = new int[1];
        var supervisor = Sys.ActorOf(Props.Create(() => new Supervisor(new OneForOneStrategy(_ => Directive.Restart))));
        supervisor.Tell((Props.Create(() => new FailsOnFirstCreation(attempts)), "flaky"), TestActor);
        var flaky = ExpectMsg<IActorRef>();
        flaky.Tell("ping", TestActor);
        ExpectMsg("pong");
        Assert.Equal(2, attempts[0]);
    }

    private sealed class FailsOnFirstCreation : ReceiveActor
    {
        public FailsOnFirstCreation(int[] attempts)
        {
            if (Interlocked.Increment(ref attempts[0]) == 1) throw new InvalidOperationException("first ctor");
            Receive<string>(_ => Sender.Tell("pong"));
        }
    }

    [Fact]
    public void Default_strategy_restarts_on_exceptions_and_stops_on_Kill_and_initialisation_failures()
    {
        var probe = CreateTestProbe();
        var child = Spawn(SupervisorStrategy.DefaultStrategy, probe, "c", out var supervisor);
        child.Tell(new InvalidOperationException("x"), TestActor);
        probe.ExpectMsg("c:preRestart:x:InvalidOperationException");
        probe.FishForMessage(m => m is "c:preStart");
        Watch(child);
        child.Tell(Kill.Instance, TestActor);
        probe.ExpectMsg("c:postStop");
        ExpectTerminated(child);

        supervisor.Tell((Props.Create(() => new FailingCtor()), "bad"), TestActor);
        var bad = ExpectMsg<IActorRef>();
        Watch(bad);
        ExpectTerminated(bad);
    }

    private sealed class FailingCtor : ReceiveActor
    {
        public FailingCtor() => throw new InvalidOperationException("ctor");
    }

    [Fact]
    public void StoppingStrategy_stops_on_any_failure()
    {
        var probe = CreateTestProbe();
        var child = Spawn(SupervisorStrategy.StoppingStrategy, probe, "c", out _);
        Watch(child);
        child.Tell(new RestartMe("x"), TestActor);
        ExpectTerminated(child);
    }

    [Fact]
    public void Retry_limit_within_a_window_stops_the_child_and_a_new_window_resets_the_count()
    {
        var probe = CreateTestProbe();
        var strategy = new OneForOneStrategy(2, TimeSpan.FromSeconds(10), _ => Directive.Restart);
        var child = Spawn(strategy, probe, "c", out _);
        Watch(child);

        child.Tell(new RestartMe("1"), TestActor);
        probe.FishForMessage(m => m is "c:preStart");
        Scheduler.Advance(TimeSpan.FromSeconds(11)); // window over: the count starts again
        child.Tell(new RestartMe("2"), TestActor);
        probe.FishForMessage(m => m is "c:preStart");
        child.Tell(new RestartMe("3"), TestActor);
        probe.FishForMessage(m => m is "c:preStart");
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        child.Tell(new RestartMe("4"), TestActor); // third within the window: stop
        ExpectTerminated(child);
    }

    [Fact]
    public void Zero_retries_means_stop_at_the_first_failure()
    {
        var probe = CreateTestProbe();
        var child = Spawn(new OneForOneStrategy(0, null, _ => Directive.Restart), probe, "c", out _);
        Watch(child);
        child.Tell(new RestartMe("x"), TestActor);
        ExpectTerminated(child);
    }

    [Fact]
    public void AllForOne_restarts_all_children_and_stops_all_on_stop()
    {
        var probe = CreateTestProbe();
        var supervisor = Sys.ActorOf(Props.Create(() => new Supervisor(new AllForOneStrategy(Table))));
        supervisor.Tell((Props.Create(() => new Lifecycle(probe.Ref, "a")), "a"), TestActor);
        var a = ExpectMsg<IActorRef>();
        supervisor.Tell((Props.Create(() => new Lifecycle(probe.Ref, "b")), "b"), TestActor);
        var b = ExpectMsg<IActorRef>();
        probe.ReceiveN(4);
        b.Tell("inc", TestActor);
        a.Tell(new RestartMe("x"), TestActor);
        AwaitAssert(() => Assert.Equal(0, State(b)));

        Watch(a);
        Watch(b);
        b.Tell(new StopMe("y"), TestActor);
        ExpectMsg<Terminated>();
        ExpectMsg<Terminated>();
    }

    [Fact]
    public void AllForOne_resume_only_resumes_the_failed_child()
    {
        var probe = CreateTestProbe();
        var supervisor = Sys.ActorOf(Props.Create(() => new Supervisor(new AllForOneStrategy(Table))));
        supervisor.Tell((Props.Create(() => new Lifecycle(probe.Ref, "a")), "a"), TestActor);
        var a = ExpectMsg<IActorRef>();
        supervisor.Tell((Props.Create(() => new Lifecycle(probe.Ref, "b")), "b"), TestActor);
        var b = ExpectMsg<IActorRef>();
        a.Tell("inc", TestActor);
        b.Tell("inc", TestActor);
        a.Tell(new ResumeMe("r"), TestActor);
        Assert.Equal(1, State(a));
        Assert.Equal(1, State(b));
    }

    [Fact]
    public void Children_stop_before_their_parents_PostStop()
    {
        var probe = CreateTestProbe();
        var parent = Sys.ActorOf(Props.Create(() => new Lifecycle(probe.Ref, "p")));
        parent.Tell(Props.Create(() => new Lifecycle(probe.Ref, "c")), TestActor);
        var child = ExpectMsg<IActorRef>();
        child.Tell(Props.Create(() => new Lifecycle(probe.Ref, "g")), TestActor);
        ExpectMsg<IActorRef>();
        probe.ReceiveN(6);
        Sys.Stop(parent);
        probe.ExpectMsg("g:postStop");
        probe.ExpectMsg("c:postStop");
        probe.ExpectMsg("p:postStop");
    }

    private sealed class FailTogetherParent : ReceiveActor
    {
        private readonly IActorRef _probe;

        public FailTogetherParent(IActorRef probe)
        {
            _probe = probe;
            Receive<ManualResetEventSlim>(both =>
            {
                // The child fails first; this actor fails while the child's report is in flight.
                Context.Child("child").Tell(both);
                both.Wait(TimeSpan.FromSeconds(5));
                throw new RestartMe("parent");
            });
        }

        protected override void PreStart()
        {
            Context.ActorOf(Props.Create(() => new SignallingChild(_probe)), "child");
            _probe.Tell("p:preStart", Self);
        }
    }

    private sealed class SignallingChild : ReceiveActor
    {
        private readonly IActorRef _probe;

        public SignallingChild(IActorRef probe)
        {
            _probe = probe;
            Receive<ManualResetEventSlim>(ev =>
            {
                ev.Set();
                throw new RestartMe("child");
            });
        }

        protected override void PostStop() => _probe.Tell("c:postStop", Self);

        protected override void PostRestart(Exception reason) => _probe.Tell("c:postRestart", Self);
    }

    [Fact]
    public void A_child_failing_while_its_parent_restarts_is_stopped_once_and_the_parent_comes_back()
    {
        var probe = CreateTestProbe();
        var parent = Sys.ActorOf(Props.Create(() => new FailTogetherParent(probe.Ref)), "parent");
        probe.ExpectMsg("p:preStart");
        using var both = new ManualResetEventSlim();
        parent.Tell(both, TestActor);
        probe.ExpectMsg("c:postStop");
        probe.ExpectMsg("p:preStart"); // the restarted parent made a new child in PreStart
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // the old child was never restarted
        Assert.Equal(2, Sys.LiveActorPaths("/user/parent").Count);
    }

    [Fact]
    public void A_failure_during_restart_is_handled_by_stopping_the_actor()
    {
        var probe = CreateTestProbe();
        var supervisor = Sys.ActorOf(Props.Create(() => new Supervisor(SupervisorStrategy.DefaultStrategy)));
        var attempts = new int[1];
        supervisor.Tell((Props.Create(() => new FailsOnSecondCreation(attempts)), "x"), TestActor);
        var child = ExpectMsg<IActorRef>();
        Watch(child);
        child.Tell("fail", TestActor);
        ExpectTerminated(child);
        Assert.Equal(2, attempts[0]);
    }

    private sealed class FailsOnSecondCreation : ReceiveActor
    {
        public FailsOnSecondCreation(int[] attempts)
        {
            if (Interlocked.Increment(ref attempts[0]) > 1) throw new InvalidOperationException("second ctor");
            Receive<string>(_ => throw new InvalidOperationException("fail"));
        }
    }

    [Fact]
    public void PoisonPill_stops_after_the_messages_before_it()
    {
        var probe = CreateTestProbe();
        var actor = Sys.ActorOf(Props.Create(() => new Lifecycle(probe.Ref, "a")));
        probe.ReceiveN(2);
        actor.Tell("one", TestActor);
        actor.Tell(PoisonPill.Instance, TestActor);
        actor.Tell("two", TestActor);
        probe.ExpectMsg("a:got:one");
        probe.ExpectMsg("a:postStop");
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void Props_strategy_overrides_the_actors_own()
    {
        var probe = CreateTestProbe();
        var supervisor = Sys.ActorOf(Props.Create(() => new Supervisor(SupervisorStrategy.DefaultStrategy))
            .WithSupervisorStrategy(SupervisorStrategy.StoppingStrategy));
        supervisor.Tell((Props.Create(() => new Lifecycle(probe.Ref, "c")), "c"), TestActor);
        var child = ExpectMsg<IActorRef>();
        Watch(child);
        child.Tell(new RestartMe("x"), TestActor);
        ExpectTerminated(child);
    }
}
