using ActorHttp.Kernel;
using Xunit.Abstractions;

namespace ActorHttp.Kernel.Tests;

public class StashTests(ITestOutputHelper output) : TestKit.TestKit(output)
{
    private sealed class Stasher : ReceiveActor, IWithUnboundedStash
    {
        public Stasher(IActorRef probe)
        {
            Receive<string>(s => s == "open", _ =>
            {
                Become(() => ReceiveAny(m => probe.Tell(m, Self)));
                Stash.UnstashAll();
            });
            Receive<string>(s => s == "fail", _ => throw new InvalidOperationException("restart"));
            Receive<string>(s => s == "count", _ => Sender.Tell(Stash.Count));
            ReceiveAny(_ => Stash.Stash());
        }

        public IStash Stash { get; set; } = null!;
    }

    [Fact]
    public void Stashed_messages_come_back_in_order_before_newer_ones()
    {
        var probe = CreateTestProbe();
        var actor = Sys.ActorOf(Props.Create(() => new Stasher(probe.Ref)));
        actor.Tell(1, TestActor);
        actor.Tell(2, TestActor);
        actor.Tell("open", TestActor);
        actor.Tell(3, TestActor);
        probe.ExpectMsg(1);
        probe.ExpectMsg(2);
        probe.ExpectMsg(3);
    }

    [Fact]
    public void The_stash_survives_a_restart()
    {
        var probe = CreateTestProbe();
        var actor = Sys.ActorOf(Props.Create(() => new Stasher(probe.Ref)));
        actor.Tell(1, TestActor);
        actor.Tell(2, TestActor);
        actor.Tell("count", TestActor);
        ExpectMsg(2);
        actor.Tell("fail", TestActor); // restart: 1 and 2 go back in front of the mailbox
        actor.Tell("count", TestActor); // the new instance stashes 1 and 2 again, then answers
        ExpectMsg(2);
        actor.Tell("open", TestActor);
        probe.ExpectMsg(1);
        probe.ExpectMsg(2);
    }

    [Fact]
    public void Stashed_messages_of_a_stopped_actor_become_dead_letters()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        var actor = Sys.ActorOf(Props.Create(() => new Stasher(TestActor)));
        actor.Tell(1, TestActor);
        actor.Tell("count", TestActor);
        ExpectMsg(1);
        Sys.Stop(actor);
        Assert.Equal(1, ExpectMsg<DeadLetter>().Message);
    }
}
