using System.Net.Sockets;
using ActorHttp.Net.Epoll;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;

namespace ActorHttp.Dispatch;

/// <summary>
/// One actor system's dispatchers on ActorHttp's event loops: one Akka dispatcher per loop, so that
/// a connection's actors and its socket's readiness events share one thread (Netty's model).
/// </summary>
/// <remarks>
/// <para><b>Use.</b> Reach it with <see cref="Register(ActorSystem)"/> (idempotent: an Akka extension).
/// For a new connection pick a loop with <see cref="Next"/>, register the socket with that loop
/// (<see cref="Register(Socket, int)"/>), and give the connection's actors
/// <c>Props.WithDispatcher(DispatcherId(loop))</c>. A message between two actors of one loop then
/// runs the receiver right after the sender's mailbox run (behind whatever the loop had already
/// queued), on the same thread, with no thread-pool work item; a socket's readiness runs its owner
/// the same way. Keep a connection's actors on one loop: a round trip between two threads of which
/// one sleeps costs two wake-ups, 10-15 µs on a small VM (bench/Akka.Bench, <c>crossings</c>).</para>
/// <para><b>What runs on a loop.</b> Only actors whose turns never block: a blocking turn stalls
/// every socket of the loop. Handlers and users' actors stay on the default dispatcher unless the
/// user opts in.</para>
/// <para><b>Platforms.</b> Loops poll with epoll, so they exist on Linux (x86-64, arm64) only.
/// Elsewhere <see cref="IsSupported"/> is false, <see cref="Register(ActorSystem)"/> throws
/// <see cref="PlatformNotSupportedException"/>, and callers keep their actors on the default
/// dispatcher and their sockets on the runtime's engine.</para>
/// <para><b>Settings.</b> <c>actorhttp.dispatch.event-loop</c> (hocon/dispatch.conf), read once when
/// the extension is made. The loops are process-wide; the dispatchers are per system.</para>
/// </remarks>
public sealed class EventLoopDispatchers : IExtension
{
    /// <summary>Dispatcher ids are this prefix followed by the loop's index.</summary>
    public const string DispatcherIdPrefix = "actorhttp.dispatch.event-loop-";

    // Set once in the constructor, read from any thread.
    private readonly EventLoop[] _loops;
    private readonly string[] _ids;

    // Round-robin position of Next; any thread.
    private int _next = -1;

    internal EventLoopDispatchers(ExtendedActorSystem system)
    {
        Settings = EventLoopSettings.From(system.Settings);
        _loops = EventLoop.All(Settings.MaxRunsBetweenPolls);
        if (_loops[0].RunsPerPoll != Settings.MaxRunsBetweenPolls)
            system.Log.Warning("{0}.max-runs-between-polls = {1} is ignored: the process's event loops were started with {2}",
                EventLoopSettings.Section, Settings.MaxRunsBetweenPolls, _loops[0].RunsPerPoll);

        _ids = new string[_loops.Length];
        var dispatchers = system.Dispatchers;
        for (var i = 0; i < _loops.Length; i++)
        {
            _ids[i] = DispatcherIdPrefix + i;
            var configurator = new EventLoopDispatcherConfigurator(_ids[i], i, Settings, dispatchers.Prerequisites);
            if (!dispatchers.RegisterConfigurator(_ids[i], configurator))
                throw new ConfigurationException($"Dispatcher id {_ids[i]} is already taken in actor system {system.Name}");
        }
    }

    /// <summary>True where event loops run (Linux on x86-64 or arm64).</summary>
    public static bool IsSupported => EventLoop.IsSupported;

    /// <summary>The index of the loop whose thread is calling, or -1 off the loops.</summary>
    public static int CurrentLoop => EventLoop.Current?.Index ?? -1;

    /// <summary>The settings the dispatchers were made with.</summary>
    public EventLoopSettings Settings { get; }

    /// <summary>Number of loops (one per processor).</summary>
    public int Count => _loops.Length;

    /// <summary>
    /// The event-loop dispatchers of <paramref name="system"/>, registered with its
    /// <c>Dispatchers</c> on the first call (later calls return the same instance).
    /// </summary>
    /// <exception cref="PlatformNotSupportedException">Not Linux on x86-64 or arm64 (see <see cref="IsSupported"/>).</exception>
    public static EventLoopDispatchers Register(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        if (!IsSupported) throw new PlatformNotSupportedException("ActorHttp's event loops poll with epoll: Linux on x86-64 or arm64 only");
        return system.WithExtension<EventLoopDispatchers, EventLoopDispatchersProvider>();
    }

    /// <summary>The id to give <c>Props.WithDispatcher</c> for actors that run on loop <paramref name="loop"/>.</summary>
    public string DispatcherId(int loop) => _ids[CheckLoop(loop)];

    /// <summary>The loop for a new connection: round-robin over the loops. Any thread.</summary>
    public int Next() => (int)((uint)Interlocked.Increment(ref _next) % (uint)_loops.Length);

    /// <summary>
    /// Registers <paramref name="socket"/> (non-blocking, never used with the runtime's asynchronous
    /// operations) with loop <paramref name="loop"/>'s epoll set: its readiness is reported on that
    /// loop's thread, where the actors of <see cref="DispatcherId"/>(<paramref name="loop"/>) run.
    /// The owner closes it with <see cref="EpollSocket.Close"/>. Any thread.
    /// </summary>
    internal EpollSocket Register(Socket socket, int loop)
    {
        ArgumentNullException.ThrowIfNull(socket);
        return _loops[CheckLoop(loop)].Register(socket);
    }

    /// <summary>The loop itself (tests and diagnostics).</summary>
    internal EventLoop Loop(int loop) => _loops[CheckLoop(loop)];

    private int CheckLoop(int loop)
    {
        if ((uint)loop >= (uint)_loops.Length)
            throw new ArgumentOutOfRangeException(nameof(loop), loop, $"loops are 0 to {_loops.Length - 1}");
        return loop;
    }
}
