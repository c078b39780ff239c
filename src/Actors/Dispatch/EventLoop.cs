using System.Net.Sockets;
using ActorHttp.Net.Epoll;
using Akka.Dispatch;

namespace ActorHttp.Dispatch;

/// <summary>
/// One thread that is both a socket event loop and an Akka executor (Netty's event loop): it
/// alternates between running a FIFO queue of <see cref="IRunnable"/>s (Akka mailboxes) and
/// polling its epoll set (<see cref="EpollLoop"/>), whose readiness callbacks tell actors that run
/// here too.
/// </summary>
/// <remarks>
/// <para><b>Two run queues.</b> <see cref="Execute"/> called on this loop's own thread (an actor of
/// this loop telling another, or a socket callback telling its owner) appends to a plain
/// <see cref="Queue{T}"/> that only this thread touches: the receiver's run follows the sender's on
/// the same thread, with no thread-pool work item, no lock and no wake-up. Called from any other
/// thread it appends to a multi-producer queue and wakes the loop, but only when the loop is
/// asleep: the loop raises <see cref="_sleeping"/> (a full fence) and then looks at that queue once
/// more before it blocks; a producer enqueues (a full fence) and then reads the flag. One of the two
/// sees the other, so no wake-up is lost, and a producer that finds the flag down pays no system
/// call. The producer that takes the flag down writes the eventfd.</para>
/// <para><b>Fairness.</b> Between two polls the loop runs at most <see cref="RunsPerPoll"/> runnables,
/// and when work is left it polls with a zero timeout: sockets are never starved, however busy the
/// actors are. Each batch first moves what other threads posted (at most a batch of it) behind what
/// this thread queued itself, so two actors of this loop that ping-pong forever cannot starve
/// anything: a message from outside runs within the next batch or two. (A local queue drained with
/// no cap starved everything else; see AKKA-NOTES.)</para>
/// <para><b>Life.</b> Loops are process-wide, one per processor, made on first use and kept for
/// the life of the process, like the runtime's own socket engines. Akka's dispatchers come and go
/// per actor system (<see cref="EventLoopDispatchers"/>); the loop does not notice. A runnable
/// that throws is a bug in Akka or in an executor's caller (an actor's exceptions never leave its
/// mailbox run): like an exception on a thread-pool work item, it ends the process.</para>
/// </remarks>
internal sealed class EventLoop
{
    [ThreadStatic] private static EventLoop? t_current;

    private static EventLoop[]? s_loops;
    private static readonly Lock s_create = new();

    private readonly EpollLoop _epoll;
    private readonly Thread _thread;

    // Owned by the loop's thread: runnables posted by this thread, then those moved over from _remote.
    private readonly Queue<IRunnable> _local = new();

    // Any thread enqueues; the loop's thread is the one consumer. Not readonly: a mutable struct.
    private MpscQueue<IRunnable> _remote = new();

    // 1 while the loop is about to block, or blocked, in epoll_wait with nothing to run. Raised by
    // the loop; lowered by the loop when it wakes, or by the one producer that then wakes it.
    private int _sleeping;

    // Counters for tests and diagnostics.
    private long _wakeups;   // producers (interlocked): eventfd writes
    private long _runs;      // the loop's thread only: runnables run
    private long _localPosts; // the loop's thread only: runnables it posted to itself

    private EventLoop(int index, int runsPerPoll)
    {
        Index = index;
        RunsPerPoll = runsPerPoll;
        _epoll = new EpollLoop(index);
        _thread = new Thread(Run) { IsBackground = true, Name = ".ActorHttp event loop " + index };
        _thread.Start();
    }

    /// <summary>True where loops can run: they poll with epoll, so Linux on x86-64 or arm64.</summary>
    public static bool IsSupported => EpollLoop.IsSupported;

    /// <summary>The loop whose thread is the calling thread, or null.</summary>
    public static EventLoop? Current => t_current;

    /// <summary>This loop's position among the process's loops.</summary>
    public int Index { get; }

    /// <summary>Most runnables run between two polls of the epoll set (<c>max-runs-between-polls</c>).</summary>
    public int RunsPerPoll { get; }

    /// <summary>The managed id of the loop's thread.</summary>
    public int ManagedThreadId => _thread.ManagedThreadId;

    /// <summary>True on this loop's own thread.</summary>
    public bool IsCurrent => t_current == this;

    /// <summary>Eventfd writes made to wake this loop (tests: a foreign tell woke a sleeping loop).</summary>
    internal long Wakeups => Volatile.Read(ref _wakeups);

    /// <summary>True while the loop sleeps in epoll_wait with nothing to run (tests; stale when read).</summary>
    internal bool IsSleeping => Volatile.Read(ref _sleeping) != 0;

    /// <summary>Runnables queued and not yet run (tests; approximate when read off the loop).</summary>
    internal int Pending => _local.Count + _remote.Count;

    /// <summary>Sockets registered with this loop and not yet released.</summary>
    internal int RegisteredSockets => _epoll.RegisteredCount;

    /// <summary>Runnables run so far (tests: the receiver's run is the one right after the sender's).</summary>
    internal long Runs => Volatile.Read(ref _runs);

    /// <summary>Runnables this loop's thread posted to its own local queue (tests: a same-loop tell stayed local).</summary>
    internal long LocalPosts => Volatile.Read(ref _localPosts);

    /// <summary>
    /// Tests only: runs on the loop's thread when it found nothing to run, before it raises its
    /// sleeping flag, so a test can post from another thread exactly inside the race the flag's
    /// re-check closes. Null (nothing to call) otherwise.
    /// </summary>
    internal Action? BeforeSleep { get; set; }

    /// <summary>
    /// The process's loops, one per processor, started by the first call with its
    /// <paramref name="runsPerPoll"/>; later calls get the same loops whatever they pass (the setting
    /// is process-wide; see <see cref="EventLoopSettings.MaxRunsBetweenPolls"/>).
    /// </summary>
    public static EventLoop[] All(int runsPerPoll)
    {
        if (Volatile.Read(ref s_loops) is { } loops) return loops;
        if (!IsSupported) throw new PlatformNotSupportedException("ActorHttp's event loops poll with epoll: Linux on x86-64 or arm64 only");
        lock (s_create)
        {
            if (s_loops is { } made) return made;
            loops = new EventLoop[Math.Max(1, Environment.ProcessorCount)];
            for (var i = 0; i < loops.Length; i++) loops[i] = new EventLoop(i, runsPerPoll);
            Volatile.Write(ref s_loops, loops);
            return loops;
        }
    }

    /// <summary>Registers <paramref name="socket"/> with this loop's epoll set. Any thread.</summary>
    public EpollSocket Register(Socket socket) => _epoll.Add(socket);

    /// <summary>Runs <paramref name="run"/> on this loop's thread, after what is queued before it. Any thread.</summary>
    public void Execute(IRunnable run)
    {
        if (t_current == this)
        {
            _local.Enqueue(run);
            Volatile.Write(ref _localPosts, _localPosts + 1);
            return;
        }

        // The enqueue is a full fence (a compare-and-swap), so the read below cannot pass it.
        _remote.Enqueue(run);
        if (Volatile.Read(ref _sleeping) != 0 && Interlocked.Exchange(ref _sleeping, 0) != 0)
        {
            Interlocked.Increment(ref _wakeups);
            _epoll.Wake();
        }
    }

    private void Run()
    {
        t_current = this;
        try
        {
            while (true)
            {
                var timeout = 0;
                if (_local.Count == 0 && _remote.IsEmpty)
                {
                    BeforeSleep?.Invoke();
                    Interlocked.Exchange(ref _sleeping, 1);
                    // Re-check after the fence: a producer that enqueued before it is seen here; one
                    // that enqueues after it sees the flag and wakes us.
                    if (_remote.IsEmpty) timeout = -1;
                    else Volatile.Write(ref _sleeping, 0);
                }

                _epoll.Poll(timeout);
                if (timeout != 0) Volatile.Write(ref _sleeping, 0);
                RunBatch();
            }
        }
        catch (Exception ex)
        {
            Environment.FailFast($"ActorHttp event loop {Index}: a runnable or a socket callback threw", ex);
        }
    }

    private void RunBatch()
    {
        var budget = RunsPerPoll;
        for (var moved = 0; moved < budget && _remote.TryDequeue(out var posted); moved++) _local.Enqueue(posted);
        for (var ran = 0; ran < budget && _local.TryDequeue(out var run); ran++)
        {
            run.Run();
            Volatile.Write(ref _runs, _runs + 1);
        }
    }
}
