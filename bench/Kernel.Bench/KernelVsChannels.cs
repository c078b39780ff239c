using System.Threading.Channels;
using ActorHttp.Kernel;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace ActorHttp.Kernel.Bench;

/// <summary>
/// The kernel's message throughput next to the same shape built on System.Threading.Channels
/// (an unbounded channel drained by one consumer loop per "actor"). Each category has the channel
/// version as its baseline, so the Ratio column reads "kernel time / channel time" per message.
/// Figures are per message (OperationsPerInvoke).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 5)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class KernelVsChannels
{
    private const int OneWayMessages = 200_000;
    private const int RoundTrips = 50_000;
    private const int Asks = 20_000;

    private static readonly int Producers = Math.Max(2, Environment.ProcessorCount);
    private static readonly int Pairs = Environment.ProcessorCount;

    private ActorSystem _system = null!;
    private IActorRef _counter = null!;
    private IActorRef _receiveCounter = null!;
    private IActorRef _echo = null!;
    private IActorRef[] _pingers = null!;

    private Channel<object> _oneWay = null!;
    private Channel<(object Message, TaskCompletionSource<object> Reply)> _requests = null!;
    private (Channel<object> A, Channel<object> B)[] _pairs = null!;
    private volatile int _channelRemaining;
    private volatile TaskCompletionSource? _channelDone;

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("bench", new ActorSystemSetup
        {
            Logger = new Serilog.LoggerConfiguration().CreateLogger(),
        });
        _counter = _system.ActorOf(Props.Create(() => new CountingActor()));
        _receiveCounter = _system.ActorOf(Props.Create(() => new ReceiveCountingActor()));
        _echo = _system.ActorOf(Props.Create(() => new EchoActor()));
        _pingers = new IActorRef[Pairs];
        for (var i = 0; i < Pairs; i++)
        {
            var pong = _system.ActorOf(Props.Create(() => new EchoActor()));
            _pingers[i] = _system.ActorOf(Props.Create(() => new PingActor(pong)));
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
    public Task Kernel_OneWay_1Producer()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _counter.Tell(new Start(OneWayMessages, done), ActorRefs.NoSender);
        for (var i = 0; i < OneWayMessages; i++) _counter.Tell(Ball.Instance, ActorRefs.NoSender);
        return done.Task;
    }

    [BenchmarkCategory("OneWay-1-producer"), Benchmark(OperationsPerInvoke = OneWayMessages)]
    public Task Kernel_OneWay_1Producer_ReceiveActor()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _receiveCounter.Tell(new Start(OneWayMessages, done), ActorRefs.NoSender);
        for (var i = 0; i < OneWayMessages; i++) _receiveCounter.Tell(Ball.Instance, ActorRefs.NoSender);
        return done.Task;
    }

    // ------------------------------------------------------------------ one-way, N producers

    [BenchmarkCategory("OneWay-N-producers"), Benchmark(Baseline = true, OperationsPerInvoke = OneWayMessages)]
    public Task Channel_OneWay_NProducers()
    {
        var done = StartChannelCount(OneWayMessages);
        var writer = _oneWay.Writer;
        Parallel.For(0, Producers, new ParallelOptions { MaxDegreeOfParallelism = Producers }, _ =>
        {
            for (var i = 0; i < OneWayMessages / Producers; i++) writer.TryWrite(Ball.Instance);
        });
        return done;
    }

    [BenchmarkCategory("OneWay-N-producers"), Benchmark(OperationsPerInvoke = OneWayMessages)]
    public Task Kernel_OneWay_NProducers()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _counter.Tell(new Start(OneWayMessages / Producers * Producers, done), ActorRefs.NoSender);
        var counter = _counter;
        Parallel.For(0, Producers, new ParallelOptions { MaxDegreeOfParallelism = Producers }, _ =>
        {
            for (var i = 0; i < OneWayMessages / Producers; i++) counter.Tell(Ball.Instance, ActorRefs.NoSender);
        });
        return done.Task;
    }

    // ------------------------------------------------------------------ ping-pong, 1 pair

    [BenchmarkCategory("PingPong-1-pair"), Benchmark(Baseline = true, OperationsPerInvoke = RoundTrips)]
    public Task Channel_PingPong_1Pair() => ChannelPingPong(_pairs[0], RoundTrips);

    [BenchmarkCategory("PingPong-1-pair"), Benchmark(OperationsPerInvoke = RoundTrips)]
    public Task Kernel_PingPong_1Pair() => KernelPingPong(_pingers[0], RoundTrips);

    // ------------------------------------------------------------------ ping-pong, one pair per core

    [BenchmarkCategory("PingPong-pair-per-core"), Benchmark(Baseline = true, OperationsPerInvoke = RoundTrips)]
    public Task Channel_PingPong_PairPerCore() =>
        Task.WhenAll(_pairs.Select(p => ChannelPingPong(p, RoundTrips / Pairs)));

    [BenchmarkCategory("PingPong-pair-per-core"), Benchmark(OperationsPerInvoke = RoundTrips)]
    public Task Kernel_PingPong_PairPerCore() =>
        Task.WhenAll(_pingers.Select(p => KernelPingPong(p, RoundTrips / Pairs)));

    // ------------------------------------------------------------------ ask round trip

    [BenchmarkCategory("Ask-round-trip"), Benchmark(Baseline = true, OperationsPerInvoke = Asks)]
    public async Task Channel_RequestReply()
    {
        var writer = _requests.Writer;
        for (var i = 0; i < Asks; i++)
        {
            var reply = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
            writer.TryWrite((Ball.Instance, reply));
            await reply.Task.ConfigureAwait(false);
        }
    }

    [BenchmarkCategory("Ask-round-trip"), Benchmark(OperationsPerInvoke = Asks)]
    public async Task Kernel_Ask()
    {
        for (var i = 0; i < Asks; i++) await _echo.Ask<Ball>(Ball.Instance).ConfigureAwait(false);
    }

    // ------------------------------------------------------------------ helpers

    private Task StartChannelCount(int count)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _channelDone = done;
        _channelRemaining = count;
        return done.Task;
    }

    private static Task KernelPingPong(IActorRef pinger, int roundTrips)
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
}
