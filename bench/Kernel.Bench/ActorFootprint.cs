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

    /// <param name="byType">Also prints, per shape, which types the retained bytes are (a heap walk
    /// with ClrMD, which BenchmarkDotNet already brings in; it writes a dump of this process to /tmp).</param>
    public static async Task RunAsync(bool byType)
    {
        var system = ActorSystem.Create("footprint");
        try
        {
            await MeasureAsync(system, "UntypedActor, empty", () => Props.Create(() => new Empty()), byType);
            await MeasureAsync(system, "ReceiveActor, 1 Receive", () => Props.Create(() => new OneReceive()), byType);
            await MeasureAsync(system, "ReceiveActor, 10 Receives", () => Props.Create(() => new TenReceives()), byType);
            await MeasureAsync(system, "ReceiveActor, 10 Receives, 10 messages seen", () => Props.Create(() => new TenReceives()), byType, SendOneOfEachAsync);
            await MeasureAsync(system, "connection-shaped: parent + 2 children + timer", () => Props.Create(() => new Parent()), byType);
        }
        finally
        {
            await system.Terminate();
        }
    }

    private static async Task MeasureAsync(ActorSystem system, string label, Func<Props> props, bool byType, Func<IReadOnlyList<IActorRef>, Task>? work = null)
    {
        var refs = new List<IActorRef>();
        for (var i = 0; i < 10; i++) refs.Add(system.ActorOf(props()));   // warm every code path first
        await WaitForCountAsync(system, 10 * PerActor(label));
        if (work is not null) await work(refs);
        var before = Retained();
        var typesBefore = byType ? ActorHttp.Bench.HeapHistogram.Take() : null;
        for (var i = 0; i < Count; i++) refs.Add(system.ActorOf(props()));
        await WaitForCountAsync(system, (Count + 10) * PerActor(label));
        if (work is not null) await work(refs.GetRange(10, Count));
        var after = Retained();
        Console.WriteLine($"{label,-40} {(after - before) / Count,7:N0} B retained per spawn (children included)");
        if (typesBefore is not null) ActorHttp.Bench.HeapHistogram.PrintGrowth(typesBefore, ActorHttp.Bench.HeapHistogram.Take(), Count);
        foreach (var actor in refs) system.Stop(actor);
        await WaitForCountAsync(system, 0);
    }

    // One message of each registered type per actor, then wait until all were handled: what an
    // actor that has done some work keeps (ReceiveActor's per-type dispatch cache included).
    private static async Task SendOneOfEachAsync(IReadOnlyList<IActorRef> actors)
    {
        var target = Interlocked.Read(ref _handled) + 10L * actors.Count;
        object[] messages = ["s", 1, 1L, 1.0, (byte)1, (short)1, 'c', 1f, 1m, true];
        foreach (var actor in actors)
            foreach (var m in messages) actor.Tell(m, ActorRefs.NoSender);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Interlocked.Read(ref _handled) < target && DateTime.UtcNow < deadline) await Task.Yield();
    }

    private static long _handled;

    private static void Handled() => Interlocked.Increment(ref _handled);

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
            Receive<string>(_ => Handled()); Receive<int>(_ => Handled()); Receive<long>(_ => Handled()); Receive<double>(_ => Handled());
            Receive<byte>(_ => Handled()); Receive<short>(_ => Handled()); Receive<char>(_ => Handled()); Receive<float>(_ => Handled());
            Receive<decimal>(_ => Handled()); Receive<bool>(_ => Handled());
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
