using ActorHttp.Kernel;
using Serilog;
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
public abstract class TestKit : TestKitBase, IDisposable
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

    /// <summary>A test whose system is built from <paramref name="setup"/> (settings, scheduler; the logger is replaced by the test output when given).</summary>
    protected TestKit(ActorSystemSetup setup, ITestOutputHelper? output = null)
        : this(setup, output, TestKitSettings.Interim)
    {
    }

    private TestKit(ActorSystemSetup setup, ITestOutputHelper? output, TestKitSettings settings)
        : base(CreateSystem(setup, output), settings, "testActor")
    {
    }

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

    /// <summary>Runs the leak check, then shuts the system down.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        GC.SuppressFinalize(this);
        string? leaks = null;
        try
        {
            leaks = FindLeaks();
        }
        finally
        {
            Shutdown();
        }
        if (leaks is not null) throw new XunitException(leaks);
    }

    /// <summary>Terminates the system and fails if it does not stop within the shutdown timeout.</summary>
    protected void Shutdown()
    {
        var timeout = Dilated(TestKitSettings.ShutdownTimeout);
        // Blocking the test's own thread is the point here: Dispose is synchronous in xunit 2.
        if (!Sys.Terminate().Wait(timeout))
            throw new XunitException($"The actor system did not terminate within {timeout}; still alive: {string.Join(", ", Sys.LiveActorPaths())}");
    }

    private string? FindLeaks()
    {
        IActorRef[] actors;
        string[] prefixes;
        lock (_expectStopped) actors = _expectStopped.ToArray();
        lock (_expectEmptyPrefixes) prefixes = _expectEmptyPrefixes.ToArray();
        if (actors.Length == 0 && prefixes.Length == 0) return null;

        List<string> Leaks()
        {
            var leaks = actors.Where(a => a is InternalActorRef { IsTerminated: false }).Select(a => a.Path.ToString()).ToList();
            foreach (var prefix in prefixes) leaks.AddRange(Sys.LiveActorPaths(prefix));
            return leaks;
        }

        try
        {
            AwaitCondition(() => Leaks().Count == 0, TestKitSettings.LeakCheckTimeout);
            return null;
        }
        catch (XunitException)
        {
            var leaks = Leaks();
            return leaks.Count == 0 ? null : $"Leak check failed: still alive at the end of the test: {string.Join(", ", leaks)}";
        }
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
