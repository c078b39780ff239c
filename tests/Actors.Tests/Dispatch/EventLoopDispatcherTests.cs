using System.Net.Sockets;
using ActorHttp.Actors.Tests.Net;
using ActorHttp.Dispatch;
using Akka.Actor;
using Akka.Dispatch;
using Xunit.Abstractions;
using static ActorHttp.Actors.Tests.Dispatch.LoopTestActors;

namespace ActorHttp.Actors.Tests.Dispatch;

/// <summary>
/// ActorHttp's event loops as Akka dispatchers, on real threads and sockets: where actors run, how
/// a tell between two actors of one loop is handed over, how a sleeping loop is woken, and that a
/// busy pair of actors starves neither other actors nor sockets.
/// </summary>
[Collection(EventLoopCollection.Name)]
public sealed class EventLoopDispatcherTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    [EpollFact]
    public async Task An_actor_on_loop_N_runs_on_that_loops_thread()
    {
        var loops = EventLoopDispatchers.Register(Sys);
        Assert.Same(loops, EventLoopDispatchers.Register(Sys));
        Assert.Equal(Environment.ProcessorCount, loops.Count);
        for (var i = 0; i < loops.Count; i++)
        {
            var dispatcher = Assert.IsType<EventLoopDispatcher>(Sys.Dispatchers.Lookup(loops.DispatcherId(i)));
            Assert.Equal(i, dispatcher.Loop);
            Assert.Equal(0, dispatcher.ThroughputDeadlineTime ?? 0);

            var actor = Sys.ActorOf(WhereActor.Props.WithDispatcher(loops.DispatcherId(i)));
            actor.Tell("where?");
            var where = await ExpectMsgAsync<Where>(Patience);
            Assert.Equal(i, where.Loop);
            Assert.Equal(loops.Loop(i).ManagedThreadId, where.ThreadId);
            Assert.False(where.OnThreadPool);
        }

        Assert.Equal(-1, EventLoopDispatchers.CurrentLoop);
    }

    [EpollFact]
    public async Task A_tell_between_two_actors_of_one_loop_runs_the_receiver_next_on_the_same_thread()
    {
        var loops = EventLoopDispatchers.Register(Sys);
        var loop = loops.Loop(0);
        var id = loops.DispatcherId(0);
        // A chain of four actors on loop 0: the test tells the first, each tells the next in its turn.
        IActorRef? next = null;
        for (var i = 0; i < 4; i++) next = Sys.ActorOf(Props.Create(() => new Hop(loop, TestActor, next)).WithDispatcher(id));

        for (var round = 0; round < 4; round++)
        {
            var localPosts = loop.LocalPosts;
            next!.Tell(0);
            var hops = new List<Hopped>();
            for (var i = 0; i < 4; i++) hops.Add(await ExpectMsgAsync<Hopped>(Patience));
            // Round 0 may find an actor still running its start-up (its mailbox is then already scheduled).
            if (round > 0) Assert.Equal(3, loop.LocalPosts - localPosts);

            for (var i = 0; i < 4; i++)
            {
                Assert.Equal(i, hops[i].Hop);
                Assert.Equal(0, hops[i].Where.Loop);
                Assert.Equal(loop.ManagedThreadId, hops[i].Where.ThreadId);
                Assert.False(hops[i].Where.OnThreadPool);
                // The very next runnable the loop ran after the sender's mailbox run was the receiver's,
                // and each of the three tells went to the loop's local queue: no thread-pool work
                // item, no cross-thread post.
                if (i > 0) Assert.Equal(hops[i - 1].LoopRunsBefore + 1, hops[i].LoopRunsBefore);
            }
        }
    }

    [EpollFact]
    public async Task A_tell_from_another_thread_wakes_a_sleeping_loop()
    {
        var loops = EventLoopDispatchers.Register(Sys);
        var loop = loops.Loop(0);
        var actor = Sys.ActorOf(WhereActor.Props.WithDispatcher(loops.DispatcherId(0)));
        for (var i = 0; i < 20; i++)
        {
            // Nothing else runs on the loops during this collection: it goes back to sleep.
            await AwaitConditionAsync(() => Task.FromResult(loop.IsSleeping), Patience);
            var wakeups = loop.Wakeups;
            actor.Tell("wake up");
            var where = await ExpectMsgAsync<Where>(Patience);
            Assert.Equal(loop.ManagedThreadId, where.ThreadId);
            Assert.True(loop.Wakeups > wakeups, "the loop answered without being woken");
        }
    }

    [EpollFact]
    public async Task A_tell_posted_while_the_loop_decides_to_sleep_is_not_lost()
    {
        var loops = EventLoopDispatchers.Register(Sys);
        var loop = loops.Loop(0);
        var actor = Sys.ActorOf(WhereActor.Props.WithDispatcher(loops.DispatcherId(0)));
        actor.Tell("started?");
        await ExpectMsgAsync<Where>(Patience);
        await AwaitConditionAsync(() => Task.FromResult(loop.IsSleeping), Patience);
        var posted = 0;
        var probe = TestActor;
        // The loop has found its queues empty and has not yet raised its sleeping flag: a tell from
        // another thread now sees the flag down and does not wake it. The loop must see the tell
        // when it looks again after raising the flag, and not sleep.
        loop.BeforeSleep = () =>
        {
            if (Interlocked.Exchange(ref posted, 1) != 0) return;
            var producer = new Thread(() => actor.Tell("posted in the race", probe));
            producer.Start();
            producer.Join();
        };
        try
        {
            var wakeups = loop.Wakeups;
            actor.Tell("first");
            Assert.Equal(0, (await ExpectMsgAsync<Where>(Patience)).Loop);
            Assert.Equal(0, (await ExpectMsgAsync<Where>(Patience)).Loop);
            Assert.Equal(1, posted);
            Assert.Equal(wakeups + 1, loop.Wakeups);   // the first tell's; the second needed none
        }
        finally
        {
            loop.BeforeSleep = null;
        }
    }

    [EpollFact]
    public async Task Tells_from_a_foreign_thread_racing_the_loop_to_sleep_are_never_lost()
    {
        var loops = EventLoopDispatchers.Register(Sys);
        var actor = Sys.ActorOf(WhereActor.Props.WithDispatcher(loops.DispatcherId(0)));
        // Each tell is posted just as the loop, having answered the previous one, goes back to sleep.
        // One producer, so no later post can rescue a lost wake-up: it is an answer that never comes.
        for (var i = 0; i < 1000; i++)
        {
            actor.Tell(i);
            Assert.Equal(0, (await ExpectMsgAsync<Where>(Patience)).Loop);
        }
    }

    [EpollFact]
    public async Task Two_actors_ping_ponging_on_a_loop_starve_neither_a_third_actor_nor_a_socket()
    {
        var loops = EventLoopDispatchers.Register(Sys);
        var id = loops.DispatcherId(0);
        var ping = Sys.ActorOf(Props.Create<PingPong>().WithDispatcher(id));
        var pong = Sys.ActorOf(Props.Create<PingPong>().WithDispatcher(id));
        ping.Tell(new Partner(pong));
        pong.Tell(new Partner(ping));
        ping.Tell(Ball.Instance);   // from here on the two keep loop 0 busy forever

        var (server, client) = await LoopbackPair.OpenAsync();
        using (server)
        using (client)
        {
            try
            {
                // The ball is in play: a third actor of the loop still gets its turns.
                var third = Sys.ActorOf(WhereActor.Props.WithDispatcher(id));
                for (var i = 0; i < 20; i++)
                {
                    third.Tell("still there?");
                    Assert.Equal(0, (await ExpectMsgAsync<Where>(Patience)).Loop);
                }

                // And a socket of the loop is still polled: its owner hears that data arrived.
                var owner = Sys.ActorOf(Props.Create(() => new SocketOwner(loops, 0, server, TestActor)).WithDispatcher(id));
                await ExpectMsgAsync<Parked>(Patience);
                await client.SendAsync("data"u8.ToArray(), SocketFlags.None);
                var readable = await ExpectMsgAsync<Readable>(Patience);
                Assert.Equal(0, readable.Where.Loop);
                Sys.Stop(owner);
            }
            finally
            {
                var returned = await ping.Ask<long>("stop", Patience);
                Assert.True(returned > 100, $"the ping-pong itself hardly ran ({returned} returns)");
            }
        }
    }

    [EpollFact]
    public async Task A_sockets_readiness_reaches_its_owner_on_the_owners_loop_thread()
    {
        var loops = EventLoopDispatchers.Register(Sys);
        for (var i = 0; i < loops.Count; i++)
        {
            var (server, client) = await LoopbackPair.OpenAsync();
            using (server)
            using (client)
            {
                var loop = i;
                var owner = Sys.ActorOf(Props.Create(() => new SocketOwner(loops, loop, server, TestActor)).WithDispatcher(loops.DispatcherId(i)));
                Assert.Equal(i, (await ExpectMsgAsync<Parked>(Patience)).Where.Loop);
                await client.SendAsync("hello"u8.ToArray(), SocketFlags.None);
                var readable = await ExpectMsgAsync<Readable>(Patience);
                Assert.Equal(i, readable.Where.Loop);
                Assert.Equal(loops.Loop(i).ManagedThreadId, readable.Where.ThreadId);
                Watch(owner);
                Sys.Stop(owner);
                await ExpectTerminatedAsync(owner, Patience);
            }
        }
    }

    [EpollFact]
    public async Task Stopping_the_actors_of_a_loop_leaves_nothing_behind()
    {
        var loops = EventLoopDispatchers.Register(Sys);
        var loop = loops.Loop(0);
        var dispatcher = (EventLoopDispatcher)Sys.Dispatchers.Lookup(loops.DispatcherId(0));
        var socketsBefore = loop.RegisteredSockets;
        var actors = new List<IActorRef>();
        var pairs = new List<(Socket Server, Socket Client)>();
        try
        {
            for (var i = 0; i < 20; i++)
            {
                var pair = await LoopbackPair.OpenAsync();
                pairs.Add(pair);
                actors.Add(Sys.ActorOf(Props.Create(() => new SocketOwner(loops, 0, pair.Server, TestActor)).WithDispatcher(loops.DispatcherId(0))));
                await ExpectMsgAsync<Parked>(Patience);
            }

            var instances = new List<WeakReference>();
            var tracked = Props.Create(() => new Tracked(instances)).WithDispatcher(loops.DispatcherId(0));
            for (var i = 0; i < 100; i++)
            {
                var actor = Sys.ActorOf(tracked);
                actor.Tell("hello");
                await ExpectMsgAsync<Where>(Patience);
                actors.Add(actor);
            }

            Assert.Equal(120, dispatcher.ActorCount);
            Assert.Equal(100, instances.Count);
            Assert.Equal(socketsBefore + 20, loop.RegisteredSockets);

            foreach (var actor in actors)
            {
                Watch(actor);
                Sys.Stop(actor);
            }

            // Terminations arrive in any order.
            var terminated = new HashSet<IActorRef>();
            for (var i = 0; i < actors.Count; i++) terminated.Add((await ExpectMsgAsync<Terminated>(Patience)).ActorRef);
            Assert.True(terminated.SetEquals(actors));
            // Akka detaches a stopped actor from its dispatcher at the end of its last turn.
            await AwaitConditionAsync(() => Task.FromResult(dispatcher.ActorCount == 0 && loop.Pending == 0), Patience);
            Assert.Equal(socketsBefore, loop.RegisteredSockets);

            // Nor does the loop keep the stopped actors alive (through a queued mailbox, say).
            actors.Clear();
            terminated.Clear();
            await AwaitConditionAsync(() =>
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                lock (instances) return Task.FromResult(instances.TrueForAll(instance => !instance.IsAlive));
            }, Patience);
        }
        finally
        {
            foreach (var (server, client) in pairs)
            {
                server.Dispose();
                client.Dispose();
            }
        }
    }
}
