using ActorHttp.Client.Connection;
using ActorHttp.Dispatch;

namespace ActorHttp.Client.Transport;

/// <summary>
/// Where a host's pool and its connections run: which connection keys go on ActorHttp's event loops, and on which loop.
/// </summary>
/// <remarks>
/// <para><b>Which keys.</b> Plain-HTTP connections with the default dialer (an http:// origin, or an http:// proxy that requests
/// are forwarded to), when <c>epoll-event-loop</c> is on and loops run here. A TLS stream, a proxy tunnel or a custom dialer's
/// stream completes its reads and writes on the runtime's threads, and its copies run a caller's code: those pools and connections
/// stay on Akka's default dispatcher, where the completions already are, and a blocking content or certificate callback blocks a
/// pool thread rather than a loop.</para>
/// <para><b>Which loop: all of a host on one.</b> A key's pool and all its connections run on one loop, picked by the key's hash,
/// so a request goes from the pool to its connection, and the connection's news go back to the pool, as same-thread tells with no
/// wake-up (Reactor Netty colocates the same way); an actor that calls the host can join them there
/// (<see cref="ActorTransport.PoolDispatcher"/>). The price is that one host's traffic uses one loop's thread; many hosts spread
/// over the loops.</para>
/// <para><b>Measured</b> (2026-12-07, a shared 2-core VM under other load, so ratios within one interleaved run only), three
/// placements: (a) the pool on the default dispatcher, connections round-robin over the loops; (b) this one; (c) the pool on the
/// key's loop, connections round-robin. <c>actorhttp bench</c> against nginx (client on one core, so one loop; loops as actors
/// on the pool's dispatcher, or awaiting on the thread pool), req/s as a fraction of wrk, median of 2 rounds, c16/c64/c256:
/// (b) actors 0.36/0.36/0.52, (a) actors 0.25/0.23/0.40, (b) awaiting 0.23/0.27/0.53. bench/Client.Bench unpinned (two loops,
/// canned server in the process), CPU µs per request, median of 3 runs, c16 / c64: actor callers (a) 62.7 / 49.0, (b) 53.0 / 44.2,
/// (c) 60.5 / 44.9; thread-pool work items per request (a) 1.8-2.0, (b) and (c) 0.1-0.2; async callers (a) 67.1 / 51.0,
/// (b) 55.2 / 53.3, (c) 62.8 / 57.8. (c) spreads one host's connections over both cores and sometimes gave the highest req/s at
/// c64, but costs more CPU per request than (b) and crosses threads between the pool and half its connections.</para>
/// </remarks>
internal static class PoolPlacement
{
    /// <summary>The loop of <paramref name="key"/>'s pool and connections, or null: the default dispatcher, over streams.</summary>
    public static HostLoop? For(ConnectionKey key, ClientSettings settings, TransportOptions options, EventLoopDispatchers? loops)
    {
        if (loops is null || !settings.EpollEventLoop || key.IsTls || options.Dialer is not SocketDialer || options.ConnectionProps is not null)
            return null;
        return new HostLoop(loops, (int)((uint)key.GetHashCode() % (uint)loops.Count));
    }
}
