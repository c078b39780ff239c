using System.Threading.Channels;
using ActorHttp.Dispatch;
using Akka.Actor;
using Akka.Configuration;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace ActorHttp.Akka.Bench;

/// <summary>
/// Akka.NET message passing on the default dispatcher and on ActorHttp's event-loop dispatchers,
/// next to the same shapes built on System.Threading.Channels (an unbounded channel drained by one
/// consumer loop per "actor"). Each category has the channel version as its baseline, so Ratio
/// reads "this time / channel time" per message (per round trip for ping-pong and replies).
/// </summary>
/// <remarks>
/// Shapes: one-way floods from one thread and from one thread per core; ping-pong between two
/// actors (on a loop: both on the same loop, so every hand-off is a local-queue post); and request
/// and reply from outside the actors, with <c>Ask</c> against a reply target of our own
/// (<see cref="ReplyTarget"/>). The event loops run on Linux only.
/// </remarks>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 5)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class AkkaVsChannels
{
    private const int OneWayMessages = 200_000;
    private const int RoundTrips = 50_000;
    private const int Replies = 20_000;

    private static readonly int Producers = Math.Max(2, Environment.ProcessorCount);
    private static readonly int Pairs = Environment.ProcessorCount;
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    private ActorSystem _system = null!;
    private IActorRefProvider _provider = null!;
    private IActorRef _counter = null!;
    private IActorRef _loopCounter = null!;
    private IActorRef _echo = null!;
    private IActorRef _loopEcho = null!;
    private IActorRef[] _pingers = null!;
    private IActorRef[] _loopPingers = null!;

    private Channel<object> _oneWay = null!;
    private Channel<(object Message, TaskCompletionSource<object> Reply)> _requests = null!;
    private (Channel<object> A, Channel<object> B)[] _pairs = null!;
    private volatile int _channelRemaining;
    private volatile TaskCompletionSource? _channelDone;

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("bench", ConfigurationFactory.ParseString("akka.loglevel = WARNING"));
        _provider = ((ExtendedActorSystem)_system).Provider;
        var loops = EventLoopDispatchers.Register(_system);

        Props OnLoop(Props props, int loop) => props.WithDispatcher(loops.DispatcherId(loop % loops.Count));

        var counting = Props.Create<CountingActor>();
        var echo = Props.Create<EchoActor>();
        _counter = _system.ActorOf(counting);
        _loopCounter = _system.ActorOf(OnLoop(counting, 0));
        _echo = _system.ActorOf(echo);
        _loopEcho = _system.ActorOf(OnLoop(echo, 0));
        _pingers = new IActorRef[Pairs];
        _loopPingers = new IActorRef[Pairs];
        for (var i = 0; i < Pairs; i++)
        {
            var pong = _system.ActorOf(echo);
            _pingers[i] = _system.ActorOf(Props.Create(() => new PingActor(pong)));
            var loopPong = _system.ActorOf(OnLoop(echo, i));
            _loopPingers[i] = _system.ActorOf(OnLoop(Props.Create(() => new PingActor(loopPong)), i));
        }

        _oneWay = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
        _ = Task.Run(async () =>
        {
            var reader = _oneWay.Reader;
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
                while (reader.TryRead(out _))
                    if (--_channelRemaining == 0) _channelDone!.SetResult();
        });

        _requests = Channel.CreateUnbounded<(object, TaskCompletionSource<object>)>(new UnboundedChannelOptions { SingleReader = true });
        _ = Task.Run(async () =>
        {
            var reader = _requests.Reader;
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
                while (reader.TryRead(out var request))
                    request.Reply.SetResult(request.Message);
        });

        _pairs = new (Channel<object>, Channel<object>)[Pairs];
        for (var i = 0; i < Pairs; i++)
        {
            var pair = (A: Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true }),
                B: Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true }));
            _pairs[i] = pair;
            // The "pong" side: echo everything from B back into A.
            _ = Task.Run(async () =>
            {
                var reader = pair.B.Reader;
                while (await reader.WaitToReadAsync().ConfigureAwait(false))
                    while (reader.TryRead(out var m))
                        pair.A.Writer.TryWrite(m);
            });
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _oneWay.Writer.Complete();
        _requests.Writer.Complete();
        foreach (var (a, b) in _pairs)
        {
            a.Writer.Complete();
            b.Writer.Complete();
        }

        _system.Terminate().WaitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
    }

    // ------------------------------------------------------------------ one-way, 1 producer

    [BenchmarkCategory("OneWay-1-producer"), Benchmark(Baseline = true, OperationsPerInvoke = OneWayMessages)]
    public Task Channel_OneWay_1Producer()
    {
        var done = StartChannelCount(OneWayMessages);
        var writer = _oneWay.Writer;
        for (var i = 0; i < OneWayMessages; i++) writer.TryWrite(Ball.Instance);
        return done;
    }

    [BenchmarkCategory("OneWay-1-producer"), Benchmark(OperationsPerInvoke = OneWayMessages)]
    public Task Default_OneWay_1Producer() => OneWay(_counter);

    [BenchmarkCategory("OneWay-1-producer"), Benchmark(OperationsPerInvoke = OneWayMessages)]
    public Task Loop_OneWay_1Producer() => OneWay(_loopCounter);

    // ------------------------------------------------------------------ one-way, N producers

    [BenchmarkCategory("OneWay-N-producers"), Benchmark(Baseline = true, OperationsPerInvoke = OneWayMessages)]
    public Task Channel_OneWay_NProducers()
    {
        var done = StartChannelCount(OneWayMessages / Producers * Producers);
        var writer = _oneWay.Writer;
        Parallel.For(0, Producers, new ParallelOptions { MaxDegreeOfParallelism = Producers }, _ =>
        {
            for (var i = 0; i < OneWayMessages / Producers; i++) writer.TryWrite(Ball.Instance);
        });
        return done;
    }

    [BenchmarkCategory("OneWay-N-producers"), Benchmark(OperationsPerInvoke = OneWayMessages)]
    public Task Default_OneWay_NProducers() => OneWayFromMany(_counter);

    [BenchmarkCategory("OneWay-N-producers"), Benchmark(OperationsPerInvoke = OneWayMessages)]
    public Task Loop_OneWay_NProducers() => OneWayFromMany(_loopCounter);

    // ------------------------------------------------------------------ ping-pong, 1 pair

    [BenchmarkCategory("PingPong-1-pair"), Benchmark(Baseline = true, OperationsPerInvoke = RoundTrips)]
    public Task Channel_PingPong_1Pair() => ChannelPingPong(_pairs[0], RoundTrips);

    [BenchmarkCategory("PingPong-1-pair"), Benchmark(OperationsPerInvoke = RoundTrips)]
    public Task Default_PingPong_1Pair() => PingPong(_pingers[0], RoundTrips);

    [BenchmarkCategory("PingPong-1-pair"), Benchmark(OperationsPerInvoke = RoundTrips)]
    public Task Loop_PingPong_1Pair() => PingPong(_loopPingers[0], RoundTrips);

    // ------------------------------------------------------------------ ping-pong, one pair per core

    [BenchmarkCategory("PingPong-pair-per-core"), Benchmark(Baseline = true, OperationsPerInvoke = RoundTrips)]
    public Task Channel_PingPong_PairPerCore() => Task.WhenAll(_pairs.Select(p => ChannelPingPong(p, RoundTrips / Pairs)));

    [BenchmarkCategory("PingPong-pair-per-core"), Benchmark(OperationsPerInvoke = RoundTrips)]
    public Task Default_PingPong_PairPerCore() => Task.WhenAll(_pingers.Select(p => PingPong(p, RoundTrips / Pairs)));

    [BenchmarkCategory("PingPong-pair-per-core"), Benchmark(OperationsPerInvoke = RoundTrips)]
    public Task Loop_PingPong_PairPerCore() => Task.WhenAll(_loopPingers.Select(p => PingPong(p, RoundTrips / Pairs)));

    // ------------------------------------------------------------------ request and reply, from outside

    [BenchmarkCategory("Reply-round-trip"), Benchmark(Baseline = true, OperationsPerInvoke = Replies)]
    public async Task Channel_RequestReply()
    {
        var writer = _requests.Writer;
        for (var i = 0; i < Replies; i++)
        {
            var reply = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
            writer.TryWrite((Ball.Instance, reply));
            await reply.Task.ConfigureAwait(false);
        }
    }

    [BenchmarkCategory("Reply-round-trip"), Benchmark(OperationsPerInvoke = Replies)]
    public Task Default_Ask() => AskMany(_echo);

    [BenchmarkCategory("Reply-round-trip"), Benchmark(OperationsPerInvoke = Replies)]
    public Task Default_ReplyTarget() => ReplyTargetMany(_echo);

    [BenchmarkCategory("Reply-round-trip"), Benchmark(OperationsPerInvoke = Replies)]
    public Task Loop_Ask() => AskMany(_loopEcho);

    [BenchmarkCategory("Reply-round-trip"), Benchmark(OperationsPerInvoke = Replies)]
    public Task Loop_ReplyTarget() => ReplyTargetMany(_loopEcho);

    // ------------------------------------------------------------------ helpers

    private Task StartChannelCount(int count)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _channelDone = done;
        _channelRemaining = count;
        return done.Task;
    }

    private static Task OneWay(IActorRef counter)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        counter.Tell(new Start(OneWayMessages, done), ActorRefs.NoSender);
        for (var i = 0; i < OneWayMessages; i++) counter.Tell(Ball.Instance, ActorRefs.NoSender);
        return done.Task;
    }

    private static Task OneWayFromMany(IActorRef counter)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        counter.Tell(new Start(OneWayMessages / Producers * Producers, done), ActorRefs.NoSender);
        Parallel.For(0, Producers, new ParallelOptions { MaxDegreeOfParallelism = Producers }, _ =>
        {
            for (var i = 0; i < OneWayMessages / Producers; i++) counter.Tell(Ball.Instance, ActorRefs.NoSender);
        });
        return done.Task;
    }

    private static Task PingPong(IActorRef pinger, int roundTrips)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        pinger.Tell(new Start(roundTrips, done), ActorRefs.NoSender);
        return done.Task;
    }

    private static async Task ChannelPingPong((Channel<object> A, Channel<object> B) pair, int roundTrips)
    {
        var reader = pair.A.Reader;
        var writer = pair.B.Writer;
        for (var i = 0; i < roundTrips; i++)
        {
            writer.TryWrite(Ball.Instance);
            await reader.ReadAsync().ConfigureAwait(false);
        }
    }

    private static async Task AskMany(IActorRef echo)
    {
        for (var i = 0; i < Replies; i++) await echo.Ask<Ball>(Ball.Instance, AskTimeout).ConfigureAwait(false);
    }

    private async Task ReplyTargetMany(IActorRef echo)
    {
        for (var i = 0; i < Replies; i++)
        {
            var target = new ReplyTarget(_provider);
            echo.Tell(Ball.Instance, target);
            await target.Reply.ConfigureAwait(false);
        }
    }
}
