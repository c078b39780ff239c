using System.ComponentModel;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using ActorHttp.Dispatch;

namespace ActorHttp.Net.Epoll;

/// <summary>
/// The epoll half of an <see cref="EventLoop"/>: one epoll set with the loop's sockets and an
/// eventfd that wakes the loop, polled by the loop's thread between runs of actors (nginx's worker
/// loop and Netty's <c>EpollEventLoop</c>, in .NET).
/// </summary>
/// <remarks>
/// <para><b>Why not the runtime's.</b> The runtime's socket engine makes every asynchronous receive
/// try the system call first, so a connection that waits for its next request pays a <c>recv</c>
/// that fails with EAGAIN on every request: three system calls per request where nginx makes two.
/// Here sockets are edge-triggered and a receive that came back short marks its socket drained
/// (nginx's rule), so the next wait goes straight to the loop. The readiness callbacks run on the
/// loop's thread and tell the owning actors, which are dispatched to the same loop, so the owner's
/// turn runs right after the poll on the same thread (see <see cref="EventLoop"/>).</para>
/// <para><b>Names.</b> A registration is named in the kernel by a token (slot and generation), never
/// by its descriptor, so an event that arrives for a socket already released finds nothing and is
/// dropped; a closed descriptor leaves the epoll set by itself. Token 0 is the wake-up eventfd: the
/// generation of a socket's token is never 0.</para>
/// </remarks>
internal sealed class EpollLoop
{
    private const int MaxEvents = 256;
    private const ulong WakeToken = 0;

    private readonly int _epfd;
    private readonly int _wakeFd;

    // Written by the polling thread only (epoll_wait's output).
    private readonly byte[] _events = new byte[MaxEvents * EpollInterop.EventSize];

    // The registration table: written under _gate from any thread (register, release); the polling
    // thread reads it without the lock (the array is replaced, never shrunk, and slots are written
    // with Volatile.Write).
    private readonly Lock _gate = new();
    private EpollSocket?[] _slots = new EpollSocket?[64];
    private readonly Stack<int> _free = new();
    private int _used;
    private int _live;
    private uint _generation;

    /// <param name="index">The owning loop's index (diagnostics, and <see cref="EpollSocket.Loop"/>).</param>
    public EpollLoop(int index)
    {
        Index = index;
        _epfd = EpollInterop.epoll_create1(EpollInterop.EPOLL_CLOEXEC);
        if (_epfd < 0) throw new Win32Exception(Marshal.GetLastPInvokeError(), "epoll_create1 failed");
        _wakeFd = EpollInterop.eventfd(0, EpollInterop.EFD_CLOEXEC | EpollInterop.EFD_NONBLOCK);
        if (_wakeFd < 0) throw new Win32Exception(Marshal.GetLastPInvokeError(), "eventfd failed");

        // Level-triggered: the loop reads the counter back to zero each time it is reported.
        var ev = new byte[EpollInterop.EventSize];
        EpollInterop.Write(ev, EpollInterop.EPOLLIN, WakeToken);
        if (EpollInterop.epoll_ctl(_epfd, EpollInterop.EPOLL_CTL_ADD, _wakeFd, ev) != 0)
            throw new Win32Exception(Marshal.GetLastPInvokeError(), "epoll_ctl(eventfd) failed");
    }

    /// <summary>True where epoll is used (Linux on x86-64 or arm64).</summary>
    public static bool IsSupported => EpollInterop.IsSupported;

    /// <summary>The owning loop's index.</summary>
    public int Index { get; }

    /// <summary>Sockets registered and not yet released (tests: nothing is left behind).</summary>
    public int RegisteredCount => Volatile.Read(ref _live);

    /// <summary>
    /// Registers <paramref name="socket"/> (non-blocking, never used with the runtime's asynchronous
    /// operations); its readiness is reported on the owning loop's thread. Any thread.
    /// </summary>
    public EpollSocket Add(Socket socket)
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

            // Generation 0 would let slot 0's token equal WakeToken.
            if (++_generation == 0) _generation = 1;
            var token = (ulong)(uint)slot | ((ulong)_generation << 32);
            registration = new EpollSocket(this, token);
            Volatile.Write(ref _slots[slot], registration);
            _live++;
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

    /// <summary>Frees the registration's slot; later events carrying its token are dropped. Any thread.</summary>
    internal void Release(EpollSocket registration)
    {
        var slot = (int)(uint)registration.Token;
        lock (_gate)
        {
            if (!ReferenceEquals(_slots[slot], registration)) return;
            Volatile.Write(ref _slots[slot], null);
            _free.Push(slot);
            _live--;
        }
    }

    /// <summary>Makes a <see cref="Poll"/> that waits (or the next one) return. Any thread; one system call.</summary>
    public void Wake()
    {
        ulong one = 1;
        // EAGAIN only when the counter is about to overflow, i.e. already readable: the wake is there.
        _ = EpollInterop.write(_wakeFd, ref one, sizeof(ulong));
    }

    /// <summary>
    /// The loop's thread: waits up to <paramref name="timeoutMs"/> (-1: until an event or
    /// <see cref="Wake"/>; 0: not at all) and runs the readiness callbacks of the sockets reported.
    /// </summary>
    public void Poll(int timeoutMs)
    {
        var events = _events;
        var n = EpollInterop.epoll_wait(_epfd, events, MaxEvents, timeoutMs);
        if (n < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            if (error == EpollInterop.EINTR) return;
            // EBADF/EINVAL: the set is gone, and with it every socket of this loop.
            Environment.FailFast($"ActorHttp event loop {Index}: epoll_wait failed with errno {error}");
        }

        var slots = Volatile.Read(ref _slots);
        for (var i = 0; i < n; i++)
        {
            var e = events.AsSpan(i * EpollInterop.EventSize, EpollInterop.EventSize);
            var token = EpollInterop.Data(e);
            if (token == WakeToken)
            {
                ulong count = 0;
                _ = EpollInterop.read(_wakeFd, ref count, sizeof(ulong));
                continue;
            }

            var slot = (int)(uint)token;
            if (slot >= slots.Length) slots = Volatile.Read(ref _slots);
            var registration = slot < slots.Length ? Volatile.Read(ref slots[slot]) : null;
            if (registration is null || registration.Token != token) continue;
            registration.OnEvents(EpollInterop.Events(e));
        }
    }
}
