using ActorHttp.Kernel;
using Xunit.Abstractions;

namespace ActorHttp.Kernel.Tests;

/// <summary>
/// The default dispatcher's hand-offs: an <see cref="INonBlockingActor"/>'s message to an idle actor
/// runs on the same thread right after the sender's turn, an I/O completion runs its idle owner in
/// place, and neither ever nests turns, loses a wake-up, or applies to actors that did not opt in.
/// </summary>
public sealed class RunNextTests(ITestOutputHelper output) : TestKit.TestKit(output)
{
    /// <summary>Where and when a turn ran.</summary>
    private sealed record Ran(string Who, int Thread, bool SenderTurnOver);

    private sealed class Recorder : ReceiveActor
    {
        public Recorder(IActorRef probe, Flag senderInTurn, Flag? ran = null) => Receive<string>(s =>
        {
            if (ran is not null) ran.Value = true;
            probe.Tell(new Ran(s, Environment.CurrentManagedThreadId, !senderInTurn.Value));
        });
    }

    // Tells the target, then stays in its turn a little longer, so a target that ran nested or
    // concurrently on this thread would see the flag still set.
    private sealed class HandOff : ReceiveActor, INonBlockingActor
    {
        // Tells the target, queues a work item on this thread's local queue (which this thread would
        // run before anything in the global queue), then stays in its turn a little longer, so a
        // target that ran nested or concurrently on this thread would see the flag still set.
        public HandOff(IActorRef target, IActorRef probe, Flag inTurn) => Receive<string>(s =>
        {
            inTurn.Value = true;
            target.Tell(s, Self);
            var thread = Environment.CurrentManagedThreadId;
            ThreadPool.UnsafeQueueUserWorkItem(p => p.Tell(new Ran("work item", Environment.CurrentManagedThreadId, true)), probe, preferLocal: true);
            probe.Tell(new Ran("sender", thread, false));
            inTurn.Value = false;
        });
    }

    private sealed class PlainSender : ReceiveActor
    {
        // Waits (bounded) for the target's answer inside its own turn: legal, if unwise, for an
        // actor that did not promise never to block, so its message must not be parked behind it.
        public PlainSender(IActorRef target) => Receive<string>(s =>
        {
            var answer = target.Ask<string>(s, TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
            Sender.Tell(answer, Self);
        });
    }

    private sealed class Echo : ReceiveActor
    {
        public Echo() => Receive<string>(s => Sender.Tell(s + "!", Self));
    }

    private sealed class PingPong : ReceiveActor, INonBlockingActor
    {
        private IActorRef _peer = ActorRefs.Nobody;

        public PingPong(IActorRef done)
        {
            Receive<IActorRef>(peer => _peer = peer);
            Receive<int>(n =>
            {
                if (n == 0) done.Tell("done", Self);
                else _peer.Tell(n - 1, Self);
            });
        }
    }

    /// <summary>Set while the sending actor is inside its turn.</summary>
    private sealed class Flag
    {
        private volatile bool _value;

        public bool Value { get => _value; set => _value = value; }
    }

    [Fact]
    public async Task A_non_blocking_actor_hands_off_to_an_idle_actor_on_its_own_thread_after_its_turn()
    {
        var probe = CreateTestProbe();
        var inTurn = new Flag();
        var target = Sys.ActorOf(Props.Create(() => new Recorder(probe.Ref, inTurn)));
        var sender = Sys.ActorOf(Props.Create(() => new HandOff(target, probe.Ref, inTurn)));
        for (var i = 0; i < 200; i++)
        {
            // Both reported last round from inside their turns: a target still finishing its turn
            // would take the next message in that turn, on its own thread, and rightly so.
            Assert.True(SpinWait.SpinUntil(() => IsIdle(sender) && IsIdle(target), TimeSpan.FromSeconds(10)));
            sender.Tell("target", TestActor);
            // A work item stolen by another worker may report before the sender does.
            var reports = new List<Ran>();
            for (var r = 0; r < 3; r++) reports.Add(await probe.ExpectMsgAsync<Ran>());
            var senderRan = reports.Single(r => r.Who == "sender");
            var targetRan = reports.Single(r => r.Who == "target");
            var workItem = reports.Single(r => r.Who == "work item");
            Assert.Equal(senderRan.Thread, targetRan.Thread);
            Assert.True(targetRan.SenderTurnOver);
            // Queued, the target would have waited behind the local work item on this thread.
            Assert.True(reports.IndexOf(targetRan) < reports.IndexOf(workItem) || workItem.Thread != senderRan.Thread,
                "the target was queued, not handed off");
        }
    }

    private sealed class FanOut(IActorRef[] targets) : UntypedActor, INonBlockingActor
    {
        protected override void OnReceive(object message)
        {
            for (var i = 0; i < targets.Length; i++) targets[i].Tell("t" + i, Self);
        }
    }

    [Fact]
    public async Task The_first_two_actors_a_turn_wakes_run_after_it_on_its_thread_and_a_third_goes_to_the_pool()
    {
        // Driven from a thread outside the pool, which never picks up pool work: what runs there was parked.
        var probe = CreateTestProbe();
        var targets = Enumerable.Range(0, 3).Select(_ => Sys.ActorOf(Props.Create(() => new ThreadReporter(probe.Ref, true)))).ToArray();
        var fanOut = Sys.ActorOf(Props.Create(() => new FanOut(targets)));
        foreach (var t in targets) t.Tell("started", TestActor);
        for (var i = 0; i < 3; i++) await probe.ExpectMsgAsync<RanOn>();
        for (var round = 0; round < 50; round++)
        {
            Assert.True(SpinWait.SpinUntil(() => IsIdle(fanOut) && targets.All(IsIdle), TimeSpan.FromSeconds(10)));
            var foreign = await CompleteOnForeignThread(fanOut, "go");
            var ran = new List<RanOn>();
            for (var i = 0; i < 3; i++) ran.Add(await probe.ExpectMsgAsync<RanOn>());
            Assert.Equal(foreign, ran.Single(r => r.Who == "t0").Thread);
            Assert.Equal(foreign, ran.Single(r => r.Who == "t1").Thread);
            Assert.True(ran.Single(r => r.Who == "t2").PoolThread, "the third was parked too");
        }
    }

    private static bool IsIdle(IActorRef actor) => ((LocalActorRef)actor).Cell.Mailbox.IsIdle;

    [Fact]
    public async Task An_actor_that_did_not_opt_in_may_wait_for_the_actor_it_told()
    {
        var echo = Sys.ActorOf(Props.Create(() => new Echo()));
        var sender = Sys.ActorOf(Props.Create(() => new PlainSender(echo)));
        for (var i = 0; i < 50; i++)
        {
            sender.Tell("hi", TestActor);
            Assert.Equal("hi!", await ExpectMsgAsync<string>());
        }
    }

    [Fact]
    public async Task A_ping_pong_longer_than_the_chain_limit_loses_no_message()
    {
        var done = CreateTestProbe();
        var a = Sys.ActorOf(Props.Create(() => new PingPong(done.Ref)));
        var b = Sys.ActorOf(Props.Create(() => new PingPong(done.Ref)));
        a.Tell(b, TestActor);
        b.Tell(a, TestActor);
        for (var round = 0; round < 20; round++)
        {
            a.Tell(10_001, TestActor);
            Assert.Equal("done", await done.ExpectMsgAsync<string>());
        }
    }

    [Fact]
    public async Task A_completion_runs_an_idle_owner_before_it_returns()
    {
        var probe = CreateTestProbe();
        var notInTurn = new Flag();
        var ran = new Flag();
        var owner = Sys.ActorOf(Props.Create(() => new Recorder(probe.Ref, notInTurn, ran)));
        // Let the owner finish starting, so its mailbox is idle.
        owner.Tell("started", TestActor);
        await probe.ExpectMsgAsync<Ran>();

        for (var i = 0; i < 100; i++)
        {
            // The owner's previous turn reported before it ended: wait until it has.
            Assert.True(SpinWait.SpinUntil(() => IsIdle(owner), TimeSpan.FromSeconds(10)));
            ran.Value = false;
            var (thread, ranBeforeReturn) = await Task.Run(() =>
            {
                ActorCompletion.Tell(owner, "completion");
                return (Environment.CurrentManagedThreadId, ran.Value);
            });
            Assert.True(ranBeforeReturn);
            Assert.Equal(thread, (await probe.ExpectMsgAsync<Ran>()).Thread);
        }
    }

    [Fact]
    public async Task A_completion_told_inside_a_turn_is_an_ordinary_tell()
    {
        var probe = CreateTestProbe();
        var inTurn = new Flag();
        var owner = Sys.ActorOf(Props.Create(() => new Recorder(probe.Ref, inTurn)));
        var caller = Sys.ActorOf(Props.Create(() => new CompletionInTurn(owner, inTurn)));
        for (var i = 0; i < 100; i++)
        {
            caller.Tell("go", TestActor);
            var callerThread = await ExpectMsgAsync<int>();
            var ran = await probe.ExpectMsgAsync<Ran>();
            Assert.True(ran.SenderTurnOver || ran.Thread != callerThread, "the owner ran nested inside the caller's turn");
        }
    }

    private sealed class CompletionInTurn : ReceiveActor, INonBlockingActor
    {
        public CompletionInTurn(IActorRef owner, Flag inTurn) => Receive<string>(s =>
        {
            inTurn.Value = true;
            ActorCompletion.Tell(owner, s);
            inTurn.Value = false;
            Sender.Tell(Environment.CurrentManagedThreadId, Self);
        });
    }

    /// <summary>Where a turn ran, seen from outside the thread pool.</summary>
    private sealed record RanOn(string Who, int Thread, bool PoolThread);

    private sealed class ThreadReporter(IActorRef probe, bool neverBlocks) : UntypedActor, INonBlockingActor
    {
        bool INonBlockingActor.TurnsNeverBlock => neverBlocks;

        protected override void OnReceive(object message) =>
            probe.Tell(new RanOn((string)message, Environment.CurrentManagedThreadId, Thread.CurrentThread.IsThreadPoolThread));
    }

    private sealed class Forwarder(IActorRef probe, IActorRef target) : UntypedActor, INonBlockingActor
    {
        // The target first: the first actor a turn makes runnable is the one that may take the
        // run-next slot (the probe, which may block, never may off the pool).
        protected override void OnReceive(object message)
        {
            target.Tell(message, Self);
            probe.Tell(new RanOn("forwarder", Environment.CurrentManagedThreadId, Thread.CurrentThread.IsThreadPoolThread));
        }
    }

    // A completion delivered on a thread of our own, as the runtime's epoll thread delivers them
    // when its inline-completions switch is on.
    private static Task<int> CompleteOnForeignThread(IActorRef owner, object message)
    {
        var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            ActorCompletion.Tell(owner, message);
            done.SetResult(Environment.CurrentManagedThreadId);
        }) { IsBackground = true };
        thread.Start();
        return done.Task;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Off_the_thread_pool_only_actors_that_never_block_run_in_place(bool targetNeverBlocks)
    {
        var probe = CreateTestProbe();
        var target = Sys.ActorOf(Props.Create(() => new ThreadReporter(probe.Ref, targetNeverBlocks)));
        var owner = Sys.ActorOf(Props.Create(() => new Forwarder(probe.Ref, target)));
        target.Tell("started", TestActor);
        await probe.ExpectMsgAsync<RanOn>();
        for (var i = 0; i < 50; i++)
        {
            Assert.True(SpinWait.SpinUntil(() => IsIdle(owner) && IsIdle(target), TimeSpan.FromSeconds(10)));
            var foreign = await CompleteOnForeignThread(owner, "target");
            var reports = new[] { await probe.ExpectMsgAsync<RanOn>(), await probe.ExpectMsgAsync<RanOn>() };
            var forwarder = reports.Single(r => r.Who == "forwarder");
            var targetRan = reports.Single(r => r.Who == "target");
            Assert.Equal(foreign, forwarder.Thread);
            Assert.False(forwarder.PoolThread);
            if (targetNeverBlocks)
            {
                Assert.True(foreign == targetRan.Thread, $"the target ran on {targetRan}, not in place on thread {foreign} after {forwarder}");
            }
            else
            {
                Assert.True(targetRan.PoolThread, "an actor that may block ran on the foreign thread");
                Assert.NotEqual(foreign, targetRan.Thread);
            }
        }
    }

    [Fact]
    public async Task Off_the_thread_pool_a_completion_for_an_owner_that_may_block_is_queued()
    {
        var probe = CreateTestProbe();
        var owner = Sys.ActorOf(Props.Create(() => new ThreadReporter(probe.Ref, false)));
        owner.Tell("started", TestActor);
        await probe.ExpectMsgAsync<RanOn>();
        for (var i = 0; i < 50; i++)
        {
            Assert.True(SpinWait.SpinUntil(() => IsIdle(owner), TimeSpan.FromSeconds(10)));
            var foreign = await CompleteOnForeignThread(owner, "completion");
            var ran = await probe.ExpectMsgAsync<RanOn>();
            Assert.True(ran.PoolThread);
            Assert.NotEqual(foreign, ran.Thread);
        }
    }

    [Fact]
    public async Task With_the_limit_at_zero_nothing_is_handed_off()
    {
        var system = ActorSystem.Create("no-run-next", Hocon.ConfigurationFactory.ParseString("actorhttp.kernel.run-next-limit = 0"));
        var dispatcher = (ThreadPoolDispatcher)system.Dispatchers.DefaultDispatcher;
        Assert.Equal(0, dispatcher.RunNextLimit);
        Assert.False(dispatcher.CanRunInline);

        var probe = CreateTestProbe();
        var inTurn = new Flag();
        var target = system.ActorOf(Props.Create(() => new Recorder(probe.Ref, inTurn)));
        var sender = system.ActorOf(Props.Create(() => new HandOff(target, probe.Ref, inTurn)));
        sender.Tell("target", TestActor);
        // Queued, the target races the sender's own report: only the set of reports is fixed.
        var who = new List<string>();
        for (var i = 0; i < 3; i++) who.Add((await probe.ExpectMsgAsync<Ran>()).Who);
        Assert.Equal(["sender", "target", "work item"], who.Order());
        await system.Terminate();
    }
}
