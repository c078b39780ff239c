using ActorHttp.Kernel;
using Xunit.Abstractions;

namespace ActorHttp.Kernel.Tests;

public class MailboxTests(ITestOutputHelper output) : TestKit.TestKit(output)
{
    private sealed record Numbered(int Producer, int Seq);

    private sealed class OrderChecker : ReceiveActor
    {
        public OrderChecker(int producers, int perProducer)
        {
            var next = new int[producers];
            var total = 0;
            var violations = 0;
            Receive<Numbered>(n =>
            {
                if (n.Seq != next[n.Producer]) violations++;
                next[n.Producer] = n.Seq + 1;
                if (++total == producers * perProducer) Sender.Tell(violations);
            });
        }
    }

    [Fact]
    public async Task Messages_from_many_threads_keep_per_sender_order()
    {
        const int producers = 8, perProducer = 20_000;
        var checker = Sys.ActorOf(Props.Create(() => new OrderChecker(producers, perProducer)));
        using var start = new Barrier(producers);
        var threads = Enumerable.Range(0, producers).Select(p => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < perProducer; i++) checker.Tell(new Numbered(p, i), TestActor);
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        Assert.Equal(0, await ExpectMsgAsync<int>(TimeSpan.FromSeconds(20)));
    }

    private sealed class Spawner : ReceiveActor
    {
        public Spawner()
        {
            Receive<int>(n =>
            {
                for (var i = 0; i < n; i++) Context.ActorOf(Props.Create<Leaf>());
                Sender.Tell("spawned");
            });
            Receive<string>(s => s == "stop-all", _ =>
            {
                foreach (var child in Context.Children) Context.Stop(child);
            });
        }
    }

    private sealed class Leaf : ReceiveActor
    {
        public Leaf() => ReceiveAny(_ => { });
    }

    [Fact]
    public void Ten_thousand_actors_spawned_and_stopped_leave_nothing_behind()
    {
        var baseline = Sys.LiveActorPaths().Count;
        var spawner = Sys.ActorOf(Props.Create<Spawner>(), "spawner");
        spawner.Tell(5_000, TestActor);
        // Spawning 5,000 actors on a loaded 2-core CI machine can outlast the 3 s default.
        ExpectMsg("spawned", TimeSpan.FromSeconds(30));
        for (var i = 0; i < 5_000; i++) Sys.ActorOf(Props.Create<Leaf>()).Tell(PoisonPill.Instance, ActorRefs.NoSender);
        spawner.Tell("stop-all", TestActor);
        AwaitCondition(() => Sys.LiveActorPaths().Count == baseline + 1, TimeSpan.FromSeconds(20));
        Assert.Equal(new[] { "/user/spawner" }, Sys.LiveActorPaths("/user/"));
        Assert.Empty(((LocalActorRef)spawner).Cell.Children);
        Sys.Stop(spawner);
        ExpectNoActorsUnderAtEnd("/user/");
    }

    private sealed class Order : ReceiveActor
    {
        public Order(IActorRef probe)
        {
            Receive<string>(s => s == "block", _ =>
            {
                // A stop requested while this message runs takes effect before the next user message.
                Context.Stop(Self);
                Self.Tell("after-stop");
            });
            ReceiveAny(m => probe.Tell(m));
        }
    }

    [Fact]
    public void System_messages_overtake_queued_user_messages()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        var probe = CreateTestProbe();
        var actor = Sys.ActorOf(Props.Create(() => new Order(probe.Ref)));
        actor.Tell("block", TestActor);
        actor.Tell("queued", TestActor);
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        var letters = ReceiveN(2).Cast<DeadLetter>().Select(d => d.Message).ToHashSet();
        Assert.Equal(new HashSet<object> { "queued", "after-stop" }, letters);
    }
}
