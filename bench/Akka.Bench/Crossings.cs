using System.Diagnostics;
using ActorHttp.Dispatch;
using Akka.Actor;
using Akka.Configuration;

namespace ActorHttp.Akka.Bench;

/// <summary>
/// Round trips between a pinger and an echo placed on the same loop, on two loops, and between a
/// loop and the default dispatcher: what a hand-off across threads costs when the other side is
/// asleep. A plain program, because the figure of interest is the wake-up latency of an idle
/// thread, which BenchmarkDotNet's loops would hide behind warm spinning threads.
/// </summary>
internal static class Crossings
{
    private const int RoundTrips = 20_000;

    public static async Task RunAsync()
    {
        var system = ActorSystem.Create("crossings", ConfigurationFactory.ParseString("akka.loglevel = WARNING"));
        try
        {
            var loops = EventLoopDispatchers.Register(system);
            var other = loops.Count > 1 ? 1 : 0;
            var echo = Props.Create<EchoActor>();
            var echoOnLoop0 = system.ActorOf(echo.WithDispatcher(loops.DispatcherId(0)));
            var echoOnDefault = system.ActorOf(echo);
            Console.WriteLine($"{RoundTrips:N0} sequential round trips; microseconds per round trip");
            for (var run = 1; run <= 3; run++)
            {
                Console.WriteLine($"run {run}: " +
                    $"loop 0 -> loop 0 {await PingAsync(system, echoOnLoop0, loops.DispatcherId(0)),6:F2}  " +
                    $"loop {other} -> loop 0 {await PingAsync(system, echoOnLoop0, loops.DispatcherId(other)),6:F2}  " +
                    $"default -> loop 0 {await PingAsync(system, echoOnLoop0, null),6:F2}  " +
                    $"loop {other} -> default {await PingAsync(system, echoOnDefault, loops.DispatcherId(other)),6:F2}  " +
                    $"default -> default {await PingAsync(system, echoOnDefault, null),6:F2}");
            }
        }
        finally
        {
            await system.Terminate();
        }
    }

    private static async Task<double> PingAsync(ActorSystem system, IActorRef echo, string? dispatcher)
    {
        var props = Props.Create(() => new PingActor(echo));
        if (dispatcher is not null) props = props.WithDispatcher(dispatcher);
        var pinger = system.ActorOf(props);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = Stopwatch.StartNew();
        pinger.Tell(new Start(RoundTrips, done), ActorRefs.NoSender);
        await done.Task;
        var perRoundTrip = clock.Elapsed.TotalMicroseconds / RoundTrips;
        system.Stop(pinger);
        return perRoundTrip;
    }
}
