using System.Net.Security;
using ActorHttp.Client.Connection;
using ActorHttp.Protocol;
using Akka.Actor;
using Akka.Cluster.Sharding;

namespace ActorHttp.Client.Transport;

/// <summary>
/// What the transport takes besides <see cref="ClientSettings"/>: code-only seams (dialer, certificate
/// validation, metrics) and the parser limits. Settings with a default live in <c>hocon/</c>, not here.
/// </summary>
public sealed record TransportOptions
{
    /// <summary>Opens the TCP stream of each connection; default <see cref="SocketDialer"/>.</summary>
    public IDialer Dialer { get; init; } = SocketDialer.Instance;

    /// <summary>Replaces the platform's server-certificate check (tests trust a self-signed peer with it); null = the platform's check.</summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; init; }

    /// <summary>
    /// Chooses the proxy of each request (Go's <c>Transport.Proxy</c>): given the target URI, an http:// proxy URL
    /// (<c>http://[user:password@]host[:port]</c>) or null to go direct. Set, it replaces the <c>proxy</c> setting of
    /// client.conf; null = that setting. Called on callers' threads and the transport's, so it must be thread-safe;
    /// if it throws, the request fails with <see cref="ClientErrorKind.InvalidProxy"/>. For an <see cref="System.Net.IWebProxy"/>
    /// use <see cref="Proxy.WebProxySelector.From"/>.
    /// </summary>
    public Func<Uri, Uri?>? Proxy { get; init; }

    /// <summary>Instruments to record on; null = none.</summary>
    public ClientMetrics? Metrics { get; init; }

    /// <summary>
    /// Response parsing limits (<c>actorhttp.http.parsing</c>, hocon/http.conf); the host's
    /// <c>max-response-header-bytes</c> replaces the response-head limit. Null = the reference values.
    /// </summary>
    public HttpParserLimits? ParserLimits { get; init; }

    /// <summary>
    /// Makes the connection actors of a host pool in place of <see cref="PersistentConnection"/>; null = the real one.
    /// A seam for pool tests, whose scripted connections speak the pool's protocol (<see cref="HostPoolActor.ConnDialed"/>,
    /// <see cref="HostPoolActor.ExchangeFinished"/>...) without a socket.
    /// </summary>
    public Func<ConnectionKey, Props>? ConnectionProps { get; init; }

    /// <summary>
    /// The pools' monotonic clock (idle timeouts, lifetimes, queue deadlines); null = the scheduler's
    /// <see cref="Akka.Actor.ITimeProvider.MonotonicClock"/>. A seam for tests that drive Akka's <c>TestScheduler</c>,
    /// whose <c>Advance</c> moves its <c>Now</c> and fires timers but leaves its monotonic clock on real time.
    /// </summary>
    public Func<TimeSpan>? Clock { get; init; }

    /// <summary>
    /// Where Cluster Sharding places cluster-wide pools (<c>cluster-pools = on</c>); null = sharding's default strategy. A seam
    /// for tests that need a pool on a given node, and for deployments that keep pools on some nodes.
    /// </summary>
    public IShardAllocationStrategy? ClusterPoolAllocation { get; init; }
}
