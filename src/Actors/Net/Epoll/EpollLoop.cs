using System.ComponentModel;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace ActorHttp.Net.Epoll;

/// <summary>
/// One epoll instance and the thread that waits on it: ActorHttp's own socket event loop, for the
/// server's connections (nginx's worker loop, in .NET).
/// </summary>
/// <remarks>
/// <para><b>Why not the runtime's.</b> The runtime's socket engine makes every asynchronous receive
/// try the system call first, so a connection that waits for its next request pays a <c>recv</c>
/// that fails with EAGAIN on every request: three system calls per request where nginx makes two.
/// Here sockets are edge-triggered and a receive that came back short marks its socket drained
/// (nginx's rule), so the next wait goes straight to the loop. And the loop runs the turns of the
/// actors that wait (readers and writers, which never block) on its own thread, with no hand-off to
/// the thread pool and without the runtime's process-wide inline-completions switch: only these
/// sockets' events run here; handlers are handed to the pool unless the server says otherwise.</para>
/// <para><b>Life.</b> One loop per processor, made on first use and kept for the life of the process,
/// like the runtime's engines. A registration is named in the kernel by a token (slot and
/// generation), never by its descriptor, so an event that arrives for a socket already released
/// finds nothing and is dropped; a closed descriptor leaves the epoll set by itself.</para>
/// </remarks>
internal sealed class EpollLoop
{
    private const int MaxEvents = 256;

    private static EpollLoop[]? s_loops;
    private static int s_next;

    private readonly int _epfd;
    private readonly Lock _gate = new();
    private EpollSocket?[] _slots = new EpollSocket?[64];
    private readonly Stack<int> _free = new();
    private int _used;
    private uint _generation;

    private EpollLoop(int index)
    {
        _epfd = EpollInterop.epoll_create1(EpollInterop.EPOLL_CLOEXEC);
        if (_epfd < 0) throw new Win32Exception(Marshal.GetLastPInvokeError(), "epoll_create1 failed");
        new Thread(Run) { IsBackground = true, Name = ".ActorHttp epoll " + index }.Start();
    }

    /// <summary>True where the loop can run (Linux on x86-64 or arm64).</summary>
    public static bool IsSupported => EpollInterop.IsSupported;

    /// <summary>Registers <paramref name="socket"/> (non-blocking, never used with the runtime's asynchronous operations) with one of the loops.</summary>
    public static EpollSocket Register(Socket socket)
    {
        var loops = s_loops ?? CreateLoops();
        var loop = loops[(int)((uint)Interlocked.Increment(ref s_next) % (uint)loops.Length)];
        return loop.Add(socket);
    }

    private static EpollLoop[] CreateLoops()
    {
        var loops = new EpollLoop[Math.Max(1, Environment.ProcessorCount)];
        for (var i = 0; i < loops.Length; i++) loops[i] = new EpollLoop(i);
        // A racing caller's loops would be extra idle threads: keep the first set, drop the rest
        // (their threads wait on empty epoll sets forever; this happens at most once per process).
        return Interlocked.CompareExchange(ref s_loops, loops, null) ?? loops;
    }

    private EpollSocket Add(Socket socket)
    {
        EpollSocket registration;
        lock (_gate)
        {
            int slot;
            if (_free.Count > 0)
            {
                slot = _free.Pop();
            }
            else
            {
                if (_used == _slots.Length)
                {
                    var bigger = new EpollSocket?[_slots.Length * 2];
                    Array.Copy(_slots, bigger, _slots.Length);
                    Volatile.Write(ref _slots, bigger);
                }

                slot = _used++;
            }

            var token = (ulong)(uint)slot | ((ulong)++_generation << 32);
            registration = new EpollSocket(this, token);
            Volatile.Write(ref _slots[slot], registration);
        }

        var ev = new byte[EpollInterop.EventSize];
        EpollInterop.Write(ev, EpollInterop.EPOLLIN | EpollInterop.EPOLLOUT | EpollInterop.EPOLLRDHUP | EpollInterop.EPOLLET, registration.Token);
        if (EpollInterop.epoll_ctl(_epfd, EpollInterop.EPOLL_CTL_ADD, (int)socket.SafeHandle.DangerousGetHandle(), ev) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            Release(registration);
            throw new SocketException(error);
        }

        return registration;
    }

    /// <summary>Frees the registration's slot; later events carrying its token are dropped.</summary>
    internal void Release(EpollSocket registration)
    {
        var slot = (int)(uint)registration.Token;
        lock (_gate)
        {
            if (!ReferenceEquals(_slots[slot], registration)) return;
            Volatile.Write(ref _slots[slot], null);
            _free.Push(slot);
        }
    }

    private void Run()
    {
        var events = new byte[MaxEvents * EpollInterop.EventSize];
        while (true)
        {
            var n = EpollInterop.epoll_wait(_epfd, events, MaxEvents, -1);
            if (n < 0)
            {
                if (Marshal.GetLastPInvokeError() == EpollInterop.EINTR) continue;
                return;   // EBADF/EINVAL: the set is gone; nothing registered here can be served
            }

            var slots = Volatile.Read(ref _slots);
            for (var i = 0; i < n; i++)
            {
                var e = events.AsSpan(i * EpollInterop.EventSize, EpollInterop.EventSize);
                var token = EpollInterop.Data(e);
                var slot = (int)(uint)token;
                if (slot >= slots.Length) slots = Volatile.Read(ref _slots);
                var registration = slot < slots.Length ? Volatile.Read(ref slots[slot]) : null;
                if (registration is null || registration.Token != token) continue;
                try
                {
                    registration.OnEvents(EpollInterop.Events(e));
                }
                catch (Exception ex)
                {
                    // A waiter's turn threw past the kernel's own handling: the loop must outlive it.
                    Environment.FailFast("ActorHttp epoll loop: a completion threw", ex);
                }
            }
        }
    }
}
