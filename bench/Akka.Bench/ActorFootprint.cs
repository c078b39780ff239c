using ActorHttp.Dispatch;
using Akka.Actor;
using Akka.Configuration;

namespace ActorHttp.Akka.Bench;

/// <summary>
/// Retained managed memory per idle actor and per connection-shaped group (a parent with a reader
/// and a writer child, the parent watched by its own parent), with Akka's default mailbox against
/// ActorHttp's compact one, on the default dispatcher and on the event loops. BenchmarkDotNet
/// measures allocation per operation, not what stays alive, so this is a plain program: spawn
/// <see cref="Count"/> of a shape, collect, compare the heap before and after.
/// </summary>
/// <remarks>Props are made once per shape and shared, as ActorHttp does (a Props per actor costs another 112 B).</remarks>
internal static class ActorFootprint
{
    private const int Count = 20_000;
    private const int Warmup = 100;

    private static int s_live;

    public static async Task RunAsync()
    {
        var system = ActorSystem.Create("footprint", ConfigurationFactory.ParseString("akka.loglevel = WARNING"));
        try
        {
            // Registers the loop dispatchers, and injects hocon/dispatch.conf (the compact mailbox's id).
            var loops = EventLoopDispatchers.IsSupported ? EventLoopDispatchers.Register(system) : null;
            if (loops is null) EventLoopSettings.From(system.Settings);

            var idle = Props.Create<Idle>();
            var compact = idle.WithMailbox(CompactMailbox.Id);
            Console.WriteLine($"{Count:N0} of each shape; bytes retained per actor or per group (children included)");
            await MeasureIdleAsync(system, "idle UntypedActor, default mailbox", _ => idle);
            await MeasureIdleAsync(system, "idle UntypedActor, compact mailbox", _ => compact);
            if (loops is not null)
            {
                var onLoops = Enumerable.Range(0, loops.Count).Select(l => idle.WithDispatcher(loops.DispatcherId(l))).ToArray();
                await MeasureIdleAsync(system, "idle UntypedActor, on a loop (its mailbox-type)", i => onLoops[i % onLoops.Length]);
            }

            await MeasureGroupsAsync(system, "connection group, default mailbox", Props.Create<Child>(), p => p);
            await MeasureGroupsAsync(system, "connection group, compact mailbox", Props.Create<Child>().WithMailbox(CompactMailbox.Id),
                p => p.WithMailbox(CompactMailbox.Id));
            if (loops is not null)
            {
                // One loop for the whole group, as a connection and its socket share one.
                var id = loops.DispatcherId(0);
                await MeasureGroupsAsync(system, "connection group, on a loop (its mailbox-type)", Props.Create<Child>().WithDispatcher(id), p => p.WithDispatcher(id));
            }
        }
        finally
        {
            await system.Terminate();
        }
    }

    private static async Task MeasureIdleAsync(ActorSystem system, string label, Func<int, Props> props)
    {
        var warm = new List<IActorRef>();
        for (var i = 0; i < Warmup; i++) warm.Add(system.ActorOf(props(i)));
        await WaitForLiveAsync(Warmup);

        var before = Retained();
        var actors = new List<IActorRef>(Count);
        for (var i = 0; i < Count; i++) actors.Add(system.ActorOf(props(i)));
        await WaitForLiveAsync(Warmup + Count);
        var after = Retained();
        Print(label, before, after);

        foreach (var actor in actors.Concat(warm)) system.Stop(actor);
        await WaitForLiveAsync(0);
    }

    private static async Task MeasureGroupsAsync(ActorSystem system, string label, Props child, Func<Props, Props> place)
    {
        var parent = place(Props.Create(() => new Parent(child)));
        var pool = system.ActorOf(place(Props.Create(() => new Pool(parent))));
        pool.Tell(Warmup);
        await WaitForLiveAsync(1 + 3 * Warmup);

        var before = Retained();
        pool.Tell(Count);
        await WaitForLiveAsync(1 + 3 * (Warmup + Count));
        var after = Retained();
        Print(label, before, after);

        system.Stop(pool);
        await WaitForLiveAsync(0);
    }

    private static void Print(string label, long before, long after) =>
        Console.WriteLine($"{label,-50} {(after - before) / Count,7:N0} B");

    // Actors start and stop asynchronously; wait until exactly this many are alive.
    private static async Task WaitForLiveAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Volatile.Read(ref s_live) != count)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{Volatile.Read(ref s_live)} actors alive, waiting for {count}");
            await Task.Delay(1);
        }
    }

    private static long Retained()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private abstract class Counted : UntypedActor
    {
        protected override void PreStart() => Interlocked.Increment(ref s_live);

        protected override void PostStop() => Interlocked.Decrement(ref s_live);
    }

    private sealed class Idle : Counted
    {
        protected override void OnReceive(object message)
        {
        }
    }

    private sealed class Child : Counted
    {
        protected override void OnReceive(object message)
        {
        }
    }

    /// <summary>The connection: a reader and a writer child.</summary>
    private sealed class Parent(Props child) : Counted
    {
        protected override void PreStart()
        {
            base.PreStart();
            Context.ActorOf(child, "reader");
            Context.ActorOf(child, "writer");
        }

        protected override void OnReceive(object message)
        {
        }
    }

    /// <summary>The host pool: starts connections on request and watches each.</summary>
    private sealed class Pool(Props parent) : Counted
    {
        protected override void OnReceive(object message)
        {
            if (message is not int count) return;
            for (var i = 0; i < count; i++) Context.Watch(Context.ActorOf(parent));
        }
    }
}
