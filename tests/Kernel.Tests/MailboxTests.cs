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

    private sealed class Tally(int perRound, SemaphoreSlim roundDone) : UntypedActor
    {
        private int _count;

        protected override void OnReceive(object message)
        {
            if (++_count % perRound == 0) roundDone.Release();
        }
    }

    [Fact]
    public void A_message_posted_while_the_actor_goes_idle_always_wakes_it()
    {
        // Every round starts with the actor idle or going idle, and several threads post at once:
        // a lost wake-up leaves a message in the queue with nobody scheduled, and the round hangs.
        const int producers = 3, rounds = 3_000;
        using var roundDone = new SemaphoreSlim(0);
        var tally = Sys.ActorOf(Props.Create(() => new Tally(producers, roundDone)));
        using var go = new Barrier(producers + 1);
        var threads = Enumerable.Range(0, producers).Select(_ => new Thread(() =>
        {
            for (var r = 0; r < rounds; r++)
            {
                go.SignalAndWait();
                tally.Tell(r, ActorRefs.NoSender);
            }
        })).ToArray();
        foreach (var t in threads) t.Start();
        for (var r = 0; r < rounds; r++)
        {
            go.SignalAndWait();
            Assert.True(roundDone.Wait(TimeSpan.FromSeconds(20)), $"round {r}: a message was not processed");
        }
        foreach (var t in threads) t.Join();
    }

    private sealed class Leaf2 : UntypedActor
    {
        protected override void OnReceive(object message) { }
    }

    private sealed class RecordingSupervisor : ReceiveActor
    {
        private readonly List<string> _decided;

        public RecordingSupervisor(List<string> decided, ManualResetEventSlim gate, IActorRef probe)
        {
            _decided = decided;
            Receive<string>(s => s == "block", _ =>
            {
                probe.Tell("blocked");
                gate.Wait();
            });
            ReceiveAny(m => probe.Tell(m));
        }

        protected override void PreStart()
        {
            for (var i = 0; i < 5; i++) Context.ActorOf(Props.Create<Leaf2>(), "c" + i);
        }

        protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(e =>
        {
            _decided.Add(e.Message);
            return Directive.Resume;
        });
    }

    [Fact]
    public void System_messages_run_in_the_order_they_were_sent_and_before_queued_user_messages()
    {
        var decided = new List<string>();
        using var gate = new ManualResetEventSlim();
        var probe = CreateTestProbe();
        var parent = Sys.ActorOf(Props.Create(() => new RecordingSupervisor(decided, gate, probe.Ref)));
        parent.Tell("block", TestActor);
        probe.ExpectMsg("blocked");

        // While the parent is busy: a user message first, then failures reported in a known order.
        parent.Tell("user", TestActor);
        var cell = ((LocalActorRef)parent).Cell;
        for (var i = 0; i < 5; i++)
        {
            var child = cell.Child("c" + i);
            cell.SendSystemMessage(new Failed(child, new InvalidOperationException(i.ToString()), child.Path.Uid));
        }
        gate.Set();

        probe.ExpectMsg("user");
        Assert.Equal(new[] { "0", "1", "2", "3", "4" }, decided);
        Sys.Stop(parent);
        ExpectNoActorsUnderAtEnd("/user/");
    }

    [Fact]
    public void A_system_message_still_linked_in_a_mailbox_is_refused()
    {
        var a = (LocalActorRef)Sys.ActorOf(Props.Create<Leaf2>());
        var b = (LocalActorRef)Sys.ActorOf(Props.Create<Leaf2>());
        var watch = new Watch(a, b);
        watch.Next = new Suspend(); // as if it sat in another mailbox's stack
        Assert.Throws<InvalidOperationException>(() => a.SendSystemMessage(watch));
        Sys.Stop(a);
        Sys.Stop(b);
        ExpectNoActorsUnderAtEnd("/user/");
    }
}
