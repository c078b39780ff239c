using ActorHttp.Kernel;
using ActorHttp.TestKit;
using Xunit.Abstractions;

namespace ActorHttp.Kernel.Tests;

public class TimerTests(ITestOutputHelper output)
    : TestKit.TestKit(new ActorSystemSetup { Scheduler = new TestScheduler() }, output)
{
    private sealed record StartSingle(string Key, string Msg, TimeSpan After);

    private sealed record StartPeriodic(string Key, string Msg, TimeSpan Every);

    private sealed record CancelAfter(string Key, TaskCompletionSource Gate);

    private sealed record CancelTimer(string Key);

    private sealed record IsActive(string Key);

    private sealed class TimerActor : ReceiveActor, IWithTimers
    {
        public TimerActor(IActorRef probe)
        {
            Receive<StartSingle>(s =>
            {
                Timers.StartSingleTimer(s.Key, s.Msg, s.After);
                Sender.Tell("started");
            });
            Receive<StartPeriodic>(s =>
            {
                Timers.StartPeriodicTimer(s.Key, s.Msg, s.Every);
                Sender.Tell("started");
            });
            Receive<CancelTimer>(c =>
            {
                Timers.Cancel(c.Key);
                Sender.Tell("cancelled");
            });
            ReceiveAsync<CancelAfter>(async c =>
            {
                var sender = Sender;
                await c.Gate.Task;
                Timers.Cancel(c.Key);
                sender.Tell("cancelled");
            });
            Receive<IsActive>(a => Sender.Tell(Timers.IsTimerActive(a.Key)));
            Receive<Exception>(e => throw e);
            Receive<string>(s => probe.Tell(s, Self));
        }

        public ITimerScheduler Timers { get; set; } = null!;
    }

    private IActorRef Start(TestProbe probe) => Sys.ActorOf(Props.Create(() => new TimerActor(probe.Ref)));

    [Fact]
    public void A_single_timer_fires_once_at_its_time_and_is_then_inactive()
    {
        var probe = CreateTestProbe();
        var actor = Start(probe);
        actor.Tell(new StartSingle("k", "tick", TimeSpan.FromSeconds(1)), TestActor);
        ExpectMsg("started");
        Scheduler.Advance(TimeSpan.FromMilliseconds(999));
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        Scheduler.Advance(TimeSpan.FromMilliseconds(1));
        probe.ExpectMsg("tick");
        actor.Tell(new IsActive("k"), TestActor);
        ExpectMsg(false);
        Scheduler.Advance(TimeSpan.FromSeconds(5));
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void A_periodic_timer_fires_every_interval_until_cancelled()
    {
        var probe = CreateTestProbe();
        var actor = Start(probe);
        actor.Tell(new StartPeriodic("p", "beat", TimeSpan.FromSeconds(1)), TestActor);
        ExpectMsg("started");
        Scheduler.Advance(TimeSpan.FromSeconds(3));
        probe.ExpectMsg("beat");
        probe.ExpectMsg("beat");
        probe.ExpectMsg("beat");
        actor.Tell(new IsActive("p"), TestActor);
        ExpectMsg(true);
        actor.Tell(new CancelTimer("p"), TestActor);
        ExpectMsg("cancelled");
        Scheduler.Advance(TimeSpan.FromSeconds(3));
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void A_message_of_a_cancelled_timer_is_not_delivered_even_if_already_queued()
    {
        var probe = CreateTestProbe();
        var actor = Start(probe);
        actor.Tell(new StartSingle("k", "tick", TimeSpan.FromSeconds(1)), TestActor);
        ExpectMsg("started");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        actor.Tell(new CancelAfter("k", gate), TestActor); // the actor now waits on the gate
        Scheduler.Advance(TimeSpan.FromSeconds(1));       // the tick is queued behind it
        gate.SetResult();
        ExpectMsg("cancelled");
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Restarting_a_timer_with_the_same_key_replaces_it()
    {
        var probe = CreateTestProbe();
        var actor = Start(probe);
        actor.Tell(new StartSingle("k", "first", TimeSpan.FromSeconds(1)), TestActor);
        actor.Tell(new StartSingle("k", "second", TimeSpan.FromSeconds(2)), TestActor);
        ExpectMsg("started");
        ExpectMsg("started");
        Scheduler.Advance(TimeSpan.FromSeconds(1));
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        Scheduler.Advance(TimeSpan.FromSeconds(1));
        probe.ExpectMsg("second");
    }

    [Fact]
    public void Timers_die_with_their_incarnation()
    {
        var probe = CreateTestProbe();
        var actor = Start(probe);
        actor.Tell(new StartPeriodic("p", "beat", TimeSpan.FromSeconds(1)), TestActor);
        ExpectMsg("started");
        actor.Tell(new InvalidOperationException("restart me"), TestActor);
        actor.Tell(new IsActive("p"), TestActor);
        ExpectMsg(false);
        Scheduler.Advance(TimeSpan.FromSeconds(3));
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(50));

        actor.Tell(new StartPeriodic("p", "beat", TimeSpan.FromSeconds(1)), TestActor);
        ExpectMsg("started");
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);
        Scheduler.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(0, Scheduler.PendingCount);
    }

    private sealed class Idle : ReceiveActor
    {
        public Idle(IActorRef probe)
        {
            Context.SetReceiveTimeout(TimeSpan.FromSeconds(2));
            Receive<ReceiveTimeout>(_ => probe.Tell("timeout", Self));
            Receive<string>(s => s == "off", _ =>
            {
                Context.SetReceiveTimeout(null);
                Sender.Tell("off");
            });
            Receive<string>(s => Sender.Tell("ack:" + s));
        }
    }

    [Fact]
    public void ReceiveTimeout_fires_after_inactivity_is_pushed_back_by_messages_and_can_be_turned_off()
    {
        var probe = CreateTestProbe();
        var actor = Sys.ActorOf(Props.Create(() => new Idle(probe.Ref)));
        actor.Tell("ping", TestActor);
        ExpectMsg("ack:ping");
        Scheduler.Advance(TimeSpan.FromSeconds(1));
        actor.Tell("ping", TestActor); // activity at t=1s
        ExpectMsg("ack:ping");
        Scheduler.Advance(TimeSpan.FromSeconds(1)); // t=2s: only 1s idle
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        Scheduler.Advance(TimeSpan.FromSeconds(1)); // t=3s: 2s idle
        probe.ExpectMsg("timeout");
        Scheduler.Advance(TimeSpan.FromSeconds(2)); // repeats while idle
        probe.ExpectMsg("timeout");
        actor.Tell("off", TestActor);
        ExpectMsg("off");
        Scheduler.Advance(TimeSpan.FromSeconds(10));
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void ScheduleTellOnce_and_repeatedly_on_the_system_scheduler_can_be_cancelled()
    {
        var once = Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(1), TestActor, "once", ActorRefs.NoSender);
        var repeated = Sys.Scheduler.ScheduleTellRepeatedly(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TestActor, "again", ActorRefs.NoSender);
        Scheduler.Advance(TimeSpan.FromSeconds(2));
        ExpectMsg("once");
        ExpectMsg("again");
        ExpectMsg("again");
        repeated.Cancel();
        once.Cancel();
        Assert.True(repeated.IsCancellationRequested);
        Scheduler.Advance(TimeSpan.FromSeconds(2));
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }
}
