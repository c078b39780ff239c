using ActorHttp.Kernel;

namespace ActorHttp.Kernel.Bench;

/// <summary>
/// Retained managed memory per live actor, by shape: what an idle actor costs while it waits.
/// BenchmarkDotNet measures allocation per operation, not what stays alive, so this is a plain
/// program: spawn N actors, collect, compare the heap before and after.
/// </summary>
/// <remarks>
/// Every server connection is three actors (connection, reader, writer), so this figure times
/// three is most of a keep-alive connection's idle cost (see `bench.sh conns` in ../shared/bench).
/// </remarks>
internal static class ActorFootprint
{
    private const int Count = 5000;

    public static async Task RunAsync()
    {
        var system = ActorSystem.Create("footprint");
        try
        {
            await MeasureAsync(system, "UntypedActor, empty", () => Props.Create(() => new Empty()));
            await MeasureAsync(system, "ReceiveActor, 1 Receive", () => Props.Create(() => new OneReceive()));
            await MeasureAsync(system, "ReceiveActor, 10 Receives", () => Props.Create(() => new TenReceives()));
            await MeasureAsync(system, "connection-shaped: parent + 2 children + timer", () => Props.Create(() => new Parent()));
        }
        finally
        {
            await system.Terminate();
        }
    }

    private static async Task MeasureAsync(ActorSystem system, string label, Func<Props> props)
    {
        var refs = new List<IActorRef>();
        for (var i = 0; i < 10; i++) refs.Add(system.ActorOf(props()));   // warm every code path first
        await WaitForCountAsync(system, 10 * PerActor(label));
        var before = Retained();
        for (var i = 0; i < Count; i++) refs.Add(system.ActorOf(props()));
        await WaitForCountAsync(system, (Count + 10) * PerActor(label));
        var after = Retained();
        Console.WriteLine($"{label,-40} {(after - before) / Count,7:N0} B retained per spawn (children included)");
        foreach (var actor in refs) system.Stop(actor);
        await WaitForCountAsync(system, 0);
    }

    private static int PerActor(string label) => label.Contains("children", StringComparison.Ordinal) ? 3 : 1;

    // Children start asynchronously; wait until they are all alive (or all gone) before measuring.
    private static async Task WaitForCountAsync(ActorSystem system, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (system.LiveActorCount("/user/") != count && DateTime.UtcNow < deadline) await Task.Yield();
    }

    private static long Retained()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private sealed class Empty : UntypedActor
    {
        protected override void OnReceive(object message) { }
    }

    private sealed class OneReceive : ReceiveActor
    {
        public OneReceive() => Receive<string>(_ => { });
    }

    private sealed class TenReceives : ReceiveActor
    {
        public TenReceives()
        {
            Receive<string>(_ => { }); Receive<int>(_ => { }); Receive<long>(_ => { }); Receive<double>(_ => { });
            Receive<byte>(_ => { }); Receive<short>(_ => { }); Receive<char>(_ => { }); Receive<float>(_ => { });
            Receive<decimal>(_ => { }); Receive<bool>(_ => { });
        }
    }

    private sealed class Parent : ReceiveActor, IWithTimers
    {
        public Parent() => Receive<string>(_ => { });

        public ITimerScheduler Timers { get; set; } = null!;

        protected override void PreStart()
        {
            Context.ActorOf(Props.Create(() => new OneReceive()), "a");
            Context.ActorOf(Props.Create(() => new OneReceive()), "b");
            Timers.StartSingleTimer("idle", "check", TimeSpan.FromMinutes(5));
        }
    }
}
