using ActorHttp.Hocon;
using ActorHttp.Kernel;
using Serilog;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace ActorHttp.TestKit;

/// <summary>
/// Base class of actor tests (Akka.TestKit.Xunit2's shape): each test gets its own
/// <see cref="ActorSystem"/> (logs routed to the test's output), a <see cref="TestKitBase.TestActor"/>
/// and probes. Disposing the test first runs the leak check — every actor registered with
/// <see cref="ExpectStoppedAtEnd"/> must have stopped and no actor may live under a prefix registered
/// with <see cref="ExpectNoActorsUnderAtEnd"/> (waiting up to <c>leak-check-timeout</c>) — then
/// terminates the system (bounded by <c>shutdown-timeout</c>); either failure fails the test.
/// </summary>
public abstract class TestKit : TestKitBase, IDisposable, IAsyncLifetime
{
    private static long _systemCounter;
    private readonly List<IActorRef> _expectStopped = new();
    private readonly List<string> _expectEmptyPrefixes = new();
    private int _probeCounter;
    private bool _disposed;

    /// <summary>A test with a default system.</summary>
    protected TestKit(ITestOutputHelper? output = null)
        : this(new ActorSystemSetup(), output)
    {
    }

    /// <summary>A test whose system and TestKit are configured by the HOCON <paramref name="config"/> over the reference files.</summary>
    protected TestKit(string config, ITestOutputHelper? output = null)
        : this(new ActorSystemSetup { Config = ConfigurationFactory.ParseString(config, "test configuration") }, output)
    {
    }

    /// <summary>A test whose system and TestKit are configured by <paramref name="config"/> over the reference files.</summary>
    protected TestKit(Config config, ITestOutputHelper? output = null)
        : this(new ActorSystemSetup { Config = config }, output)
    {
    }

    /// <summary>A test whose system is built from <paramref name="setup"/> (configuration, settings, scheduler; the logger is replaced by the test output when given).</summary>
    protected TestKit(ActorSystemSetup setup, ITestOutputHelper? output = null)
        : this(WithTestKitReference(setup), output, 0)
    {
    }

    private TestKit(ActorSystemSetup setup, ITestOutputHelper? output, int _)
        : base(CreateSystem(setup, output), TestKitSettings.FromConfig(setup.Config!), "testActor")
    {
    }

    private static ActorSystemSetup WithTestKitReference(ActorSystemSetup setup) =>
        setup with { Config = (setup.Config ?? Config.Empty).WithFallback(TestKitSettings.ReferenceConfig) };

    /// <summary>Creates a probe (its actor lives under <c>/system</c>).</summary>
    public TestProbe CreateTestProbe(string? name = null) =>
        new(Sys, TestKitSettings, name ?? $"testProbe{Interlocked.Increment(ref _probeCounter)}");

    /// <summary>Registers an actor that must have stopped when the test ends.</summary>
    public void ExpectStoppedAtEnd(IActorRef actor)
    {
        lock (_expectStopped) _expectStopped.Add(actor);
    }

    /// <summary>Registers a path prefix (e.g. <c>/user/server</c>) under which no actor may be alive when the test ends.</summary>
    public void ExpectNoActorsUnderAtEnd(string pathPrefix)
    {
        lock (_expectEmptyPrefixes) _expectEmptyPrefixes.Add(pathPrefix);
    }

    /// <inheritdoc />
    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    /// <summary>What xunit calls after each test: the leak check, then the shutdown, without blocking a thread.</summary>
    async Task IAsyncLifetime.DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        string? leaks = null;
        try
        {
            var check = LeakCheck();
            if (check is not null)
            {
                await AwaitConditionAsync(() => check.Leaks().Count == 0, TestKitSettings.LeakCheckTimeout)
                    .ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
                leaks = check.Report();
            }
        }
        finally
        {
            await ShutdownAsync().ConfigureAwait(false);
        }
        if (leaks is not null) throw new XunitException(leaks);
    }

    /// <summary>The synchronous form of the end-of-test work (for use outside xunit's lifecycle); blocks the calling thread.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        GC.SuppressFinalize(this);
        string? leaks = null;
        try
        {
            if (LeakCheck() is { } check)
            {
                try
                {
                    AwaitCondition(() => check.Leaks().Count == 0, TestKitSettings.LeakCheckTimeout);
                }
                catch (XunitException)
                {
                    // reported below with the names of the leaked actors
                }
                leaks = check.Report();
            }
        }
        finally
        {
            var done = new ManualResetEventSlim();
            Sys.Terminate().ContinueWith(static (_, s) => ((ManualResetEventSlim)s!).Set(), done, TaskScheduler.Default);
            if (!done.Wait(Dilated(TestKitSettings.ShutdownTimeout))) leaks = (leaks is null ? "" : leaks + Environment.NewLine) + NotTerminated();
        }
        if (leaks is not null) throw new XunitException(leaks);
    }

    /// <summary>Terminates the system and fails if it does not stop within the shutdown timeout.</summary>
    protected async Task ShutdownAsync()
    {
        try
        {
            await Sys.Terminate().WaitAsync(Dilated(TestKitSettings.ShutdownTimeout)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new XunitException(NotTerminated());
        }
    }

    private string NotTerminated() =>
        $"The actor system did not terminate within {Dilated(TestKitSettings.ShutdownTimeout)}; still alive: {string.Join(", ", Sys.LiveActorPaths())}";

    private sealed record LeakChecker(IActorRef[] Actors, string[] Prefixes, ActorSystem System)
    {
        public List<string> Leaks()
        {
            var leaks = Actors.Where(a => a is InternalActorRef { IsTerminated: false }).Select(a => a.Path.ToString()).ToList();
            foreach (var prefix in Prefixes) leaks.AddRange(System.LiveActorPaths(prefix));
            return leaks;
        }

        public string? Report()
        {
            var leaks = Leaks();
            return leaks.Count == 0 ? null : $"Leak check failed: still alive at the end of the test: {string.Join(", ", leaks)}";
        }
    }

    private LeakChecker? LeakCheck()
    {
        IActorRef[] actors;
        string[] prefixes;
        lock (_expectStopped) actors = _expectStopped.ToArray();
        lock (_expectEmptyPrefixes) prefixes = _expectEmptyPrefixes.ToArray();
        return actors.Length == 0 && prefixes.Length == 0 ? null : new LeakChecker(actors, prefixes, Sys);
    }

    private static ActorSystem CreateSystem(ActorSystemSetup setup, ITestOutputHelper? output)
    {
        if (output is not null)
        {
            var logger = new LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(new TestOutputSink(output)).CreateLogger();
            setup = setup with { Logger = logger };
        }
        return ActorSystem.Create($"test{Interlocked.Increment(ref _systemCounter)}", setup);
    }
}
