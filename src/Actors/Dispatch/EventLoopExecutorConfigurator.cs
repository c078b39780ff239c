using Akka.Configuration;
using Akka.Dispatch;

namespace ActorHttp.Dispatch;

/// <summary>
/// The Akka executor configurator that binds a dispatcher to one of ActorHttp's event loops: every
/// executor it produces runs its actors on the thread of loop <c>loop-index</c>.
/// </summary>
/// <remarks>
/// <para><see cref="EventLoopDispatchers"/> registers one dispatcher per loop with it. It can also be
/// named in a dispatcher of your own configuration, for example to give one loop a different
/// throughput:</para>
/// <code>
/// my-loop-0 {
///   type = Dispatcher
///   executor = "ActorHttp.Dispatch.EventLoopExecutorConfigurator, ActorHttp.Actors"
///   loop-index = 0                 # required: which loop, 0 to processor count - 1
///   throughput = 30
///   throughput-deadline-time = 0s  # must stay 0 (broken in Akka.NET 1.5.x)
///   shutdown-timeout = 365d
/// }
/// </code>
/// <para>The loops themselves are process-wide; their settings come from
/// <c>actorhttp.dispatch.event-loop</c> of the first actor system that starts them. Loops exist on
/// Linux (x86-64, arm64) only: elsewhere the constructor throws <see cref="PlatformNotSupportedException"/>.</para>
/// </remarks>
public sealed class EventLoopExecutorConfigurator : ExecutorServiceConfigurator
{
    /// <summary>The key of the dispatcher section that names the loop.</summary>
    public const string LoopIndexKey = "loop-index";

    private readonly EventLoop _loop;

    // Counters for tests and diagnostics (any thread, interlocked).
    private int _produced;
    private int _shutdowns;

    /// <summary>Made by Akka from a dispatcher section (<see cref="LoopIndexKey"/> required), or by <see cref="EventLoopDispatchers"/>.</summary>
    public EventLoopExecutorConfigurator(Config config, IDispatcherPrerequisites prerequisites)
        : base(config, prerequisites)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(prerequisites);
        if (!config.HasPath(LoopIndexKey))
            throw new ConfigurationException($"An event-loop executor needs `{LoopIndexKey}` in its dispatcher's section ({config.GetString("id", "no id")})");
        var settings = EventLoopSettings.From(prerequisites.Settings);
        var loops = EventLoop.All(settings.MaxRunsBetweenPolls);
        var index = config.GetInt(LoopIndexKey);
        if (index < 0 || index >= loops.Length)
            throw new ConfigurationException($"`{LoopIndexKey}` = {index} is not a loop: this process has loops 0 to {loops.Length - 1}");
        _loop = loops[index];
    }

    /// <summary>The loop this configurator's executors run on.</summary>
    public int LoopIndex => _loop.Index;

    /// <summary>Executors produced so far (Akka makes a new one after it shut the last one down).</summary>
    internal int Produced => Volatile.Read(ref _produced);

    /// <summary>Executors of this configurator that Akka shut down (nothing stops: the loop lives on).</summary>
    internal int Shutdowns => Volatile.Read(ref _shutdowns);

    /// <inheritdoc />
    public override ExecutorService Produce(string id)
    {
        Interlocked.Increment(ref _produced);
        return new EventLoopExecutor(id, _loop, this);
    }

    internal void OnShutdown() => Interlocked.Increment(ref _shutdowns);
}
