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
/// wake-up (Reactor Netty colocates the same way). The alternative, the pool on the default dispatcher (or one loop) and its
/// connections spread round-robin over the loops, costs a crossing between threads each way per request, 5-7 µs per wake-up of a
/// sleeping thread on this 2-core VM (bench/Akka.Bench, crossings). The price is that one host's traffic uses one loop's thread;
/// many hosts spread over the loops. Measured (PLACEHOLDER).</para>
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
