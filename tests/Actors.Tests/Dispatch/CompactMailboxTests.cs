using ActorHttp.Actors.Tests.Net;
using ActorHttp.Dispatch;
using Akka.Actor;
using Akka.Dispatch.MessageQueues;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Dispatch;

/// <summary>
/// The compact mailbox: FIFO per producer under concurrent producers, no lost wake-up, Akka's deque
/// semantics for stashing actors, and the mailbox every actor of a loop gets.
/// </summary>
[Collection(EventLoopCollection.Name)]
public sealed class CompactMailboxTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(EventLoopSettings.Reference(), output: output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private sealed record Numbered(int Producer, int Sequence);

    private sealed record Expect(int Producers, int PerProducer);

    private sealed record Checked(bool InOrder, int Received);

    /// <summary>Checks that each producer's numbers arrive in order and answers once all arrived.</summary>
    private sealed class Sequencer : UntypedActor
    {
        private int[] _next = [];
        private int _expected;
        private int _received;
        private bool _inOrder = true;
        private IActorRef _reportTo = ActorRefs.Nobody;

        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case Expect e:
                    _next = new int[e.Producers];
                    _expected = e.Producers * e.PerProducer;
                    _received = 0;
                    _inOrder = true;
                    _reportTo = Sender;
                    Sender.Tell("ready");
                    break;
                case Numbered n:
                    _inOrder &= _next[n.Producer]++ == n.Sequence;
                    if (++_received == _expected) _reportTo.Tell(new Checked(_inOrder, _received));
                    break;
            }
        }
    }

    /// <summary>Answers with the type of its own message queue.</summary>
    private sealed class QueueType : UntypedActor
    {
        protected override void OnReceive(object message) => Sender.Tell(((ActorCell)Context).Mailbox!.MessageQueue.GetType());
    }

    /// <summary>Stashes everything until "open", then unstashes and echoes in order.</summary>
    private sealed class Stasher : UntypedActor, IWithUnboundedStash
    {
        public IStash Stash { get; set; } = null!;

        protected override void OnReceive(object message)
        {
            if (message is "open")
            {
                Become(Open);
                Stash.UnstashAll();
            }
            else
            {
                Stash.Stash();
            }
        }

        private void Open(object message) => Sender.Tell(message);
    }

    [Fact]
    public async Task Concurrent_producers_keep_their_order_and_no_wake_up_is_lost()
    {
        var actor = Sys.ActorOf(Props.Create<Sequencer>().WithMailbox(CompactMailbox.Id));
        await ProduceInRoundsAsync(actor);
    }

    [EpollFact]
    public async Task On_a_loop_concurrent_producers_keep_their_order_and_no_wake_up_is_lost()
    {
        var loops = EventLoopDispatchers.Register(Sys);
        var actor = Sys.ActorOf(Props.Create<Sequencer>().WithDispatcher(loops.DispatcherId(0)));
        await ProduceInRoundsAsync(actor);
    }

    // Many short rounds rather than one long one: each round ends with the actor idle, so every
    // round races producers against the mailbox going idle (where a lost wake-up would hang it).
    private async Task ProduceInRoundsAsync(IActorRef actor)
    {
        const int Producers = 4, PerProducer = 250, Rounds = 40;
        for (var round = 0; round < Rounds; round++)
        {
            actor.Tell(new Expect(Producers, PerProducer));
            await ExpectMsgAsync<string>(Patience);
            using var start = new Barrier(Producers);
            var threads = Enumerable.Range(0, Producers).Select(p => new Thread(() =>
            {
                start.SignalAndWait();
                for (var i = 0; i < PerProducer; i++) actor.Tell(new Numbered(p, i), ActorRefs.NoSender);
            })).ToList();
            threads.ForEach(t => t.Start());
            var result = await ExpectMsgAsync<Checked>(Patience);
            threads.ForEach(t => t.Join());
            Assert.True(result.InOrder, $"round {round}: a producer's messages arrived out of order");
            Assert.Equal(Producers * PerProducer, result.Received);
        }
    }

    [Fact]
    public void The_queue_keeps_each_producers_order_grows_under_load_and_reports_empty_after()
    {
        const int Producers = 4, PerProducer = 50_000;
        var queue = new CompactMessageQueue();
        Assert.Equal(0, queue.RingLength);
        Assert.False(queue.HasMessages);

        var producers = Enumerable.Range(0, Producers).Select(p => new Thread(() =>
        {
            for (var i = 0; i < PerProducer; i++) queue.Enqueue(ActorRefs.Nobody, new Envelope(new Numbered(p, i), ActorRefs.NoSender));
        })).ToList();
        producers.ForEach(t => t.Start());

        var next = new int[Producers];
        var taken = 0;
        var deadline = DateTime.UtcNow + Patience;
        while (taken < Producers * PerProducer && DateTime.UtcNow < deadline)
        {
            if (!queue.TryDequeue(out var envelope)) continue;
            var numbered = (Numbered)envelope.Message;
            Assert.Equal(next[numbered.Producer]++, numbered.Sequence);
            taken++;
        }

        producers.ForEach(t => t.Join());
        Assert.Equal(Producers * PerProducer, taken);
        Assert.False(queue.HasMessages);
        Assert.Equal(0, queue.Count);
        Assert.False(queue.TryDequeue(out _));
        Assert.True(queue.RingLength > CompactMessageQueue.FirstRingLength);
    }

    [Fact]
    public void One_message_at_a_time_needs_no_ring()
    {
        var queue = new CompactMessageQueue();
        for (var i = 0; i < 10; i++)
        {
            queue.Enqueue(ActorRefs.Nobody, new Envelope(i, ActorRefs.NoSender));
            Assert.True(queue.HasMessages);
            Assert.Equal(1, queue.Count);
            Assert.True(queue.TryDequeue(out var envelope));
            Assert.Equal(i, envelope.Message);
            Assert.False(queue.HasMessages);
        }

        Assert.Equal(0, queue.RingLength);
    }

    // Every mix of enqueues, unstashes and takes up to a few ring lengths, against a LinkedList as the
    // model: the ring made from the single slot, wrapped, and doubled while wrapped, keeps the order.
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void Queue_matches_a_deque_model_through_growth_and_wrap_around(int seed)
    {
        var random = new Random(seed);
        var queue = new CompactMessageQueue();
        var model = new LinkedList<int>();
        var next = 0;
        for (var step = 0; step < 5_000; step++)
        {
            switch (random.Next(model.Count > 40 ? 2 : 5))
            {
                case 0:
                case 1:
                    var took = queue.TryDequeue(out var envelope);
                    Assert.Equal(model.Count > 0, took);
                    if (!took) break;
                    Assert.Equal(model.First!.Value, envelope.Message);
                    model.RemoveFirst();
                    break;
                case 2:
                    queue.EnqueueFirst(new Envelope(next, ActorRefs.NoSender));
                    model.AddFirst(next++);
                    break;
                default:
                    queue.Enqueue(ActorRefs.Nobody, new Envelope(next, ActorRefs.NoSender));
                    model.AddLast(next++);
                    break;
            }

            Assert.Equal(model.Count, queue.Count);
            Assert.Equal(model.Count > 0, queue.HasMessages);
        }
    }

    [Fact]
    public void Enqueue_first_puts_messages_before_the_queue_newest_first()
    {
        var queue = new CompactMessageQueue();
        queue.Enqueue(ActorRefs.Nobody, new Envelope("queued", ActorRefs.NoSender));
        queue.EnqueueFirst(new Envelope("second", ActorRefs.NoSender));
        queue.EnqueueFirst(new Envelope("first", ActorRefs.NoSender));
        Assert.Equal(3, queue.Count);

        var taken = new List<object>();
        while (queue.TryDequeue(out var envelope)) taken.Add(envelope.Message);
        Assert.Equal(["first", "second", "queued"], taken);
        Assert.False(queue.HasMessages);
    }

    [EpollFact]
    public async Task Actors_on_a_loop_get_the_compact_mailbox_and_may_stash()
    {
        var loops = EventLoopDispatchers.Register(Sys);
        var id = loops.DispatcherId(0);
        var plain = Sys.ActorOf(Props.Create<QueueType>().WithDispatcher(id));
        plain.Tell("which queue?");
        Assert.Equal(typeof(CompactMessageQueue), await ExpectMsgAsync<Type>(Patience));

        var stasher = Sys.ActorOf(Props.Create<Stasher>().WithDispatcher(id));
        for (var i = 1; i <= 3; i++) stasher.Tell(i);
        stasher.Tell("open");
        stasher.Tell(4);
        for (var i = 1; i <= 4; i++) Assert.Equal(i, await ExpectMsgAsync<int>(Patience));
    }

    [Fact]
    public async Task Off_the_loops_the_compact_mailbox_is_chosen_by_props()
    {
        var actor = Sys.ActorOf(Props.Create<QueueType>().WithMailbox(CompactMailbox.Id));
        actor.Tell("which queue?");
        Assert.Equal(typeof(CompactMessageQueue), await ExpectMsgAsync<Type>(Patience));
    }
}
