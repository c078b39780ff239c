using ActorHttp.Client.Pool;
using ActorHttp.Configuration;

namespace ActorHttp.Client.Settings;

/// <summary>
/// Everything the client applies per host: pool limits, connection and exchange timeouts, and the
/// facade's per-request rules. Read from <c>actorhttp.client</c> (see <c>hocon/client.conf</c>, where
/// every value is documented and defaulted); a host block of <c>actorhttp.client.hosts</c> overrides any of them.
/// </summary>
/// <remarks>Durations of zero mean "no limit" and counts of zero "unlimited" unless a member says otherwise.</remarks>
public sealed record HostSettings
{
    /// <summary>Go's <c>MaxConnsPerHost</c>: dialing + busy + idle; 0 = unlimited. Key <c>max-conns-per-host</c>.</summary>
    public required int MaxConnsPerHost { get; init; }

    /// <summary>Requests that may wait for a connection slot; 0 = unbounded. Key <c>max-pending-requests</c>.</summary>
    public required int MaxPendingRequests { get; init; }

    /// <summary>Go's <c>MaxIdleConnsPerHost</c>; 0 = no separate cap. Key <c>max-idle-conns-per-host</c>.</summary>
    public required int MaxIdleConnsPerHost { get; init; }

    /// <summary>Go's <c>IdleConnTimeout</c>; zero = never. Key <c>idle-conn-timeout</c>.</summary>
    public required TimeSpan IdleConnTimeout { get; init; }

    /// <summary>A connection older than this is closed instead of reused; zero = no limit. Key <c>max-conn-lifetime</c>.</summary>
    public required TimeSpan MaxConnLifetime { get; init; }

    /// <summary>Up to this much, at random, is taken off each connection's lifetime. Key <c>max-conn-lifetime-jitter</c>.</summary>
    public required TimeSpan MaxConnLifetimeJitter { get; init; }

    /// <summary>Go's <c>DisableKeepAlives</c>. Key <c>disable-keep-alives</c>.</summary>
    public required bool DisableKeepAlives { get; init; }

    /// <summary>Per dial; zero = no limit. Key <c>dial-timeout</c>.</summary>
    public required TimeSpan DialTimeout { get; init; }

    /// <summary>Go's <c>TLSHandshakeTimeout</c>; zero = no limit. Key <c>tls-handshake-timeout</c>.</summary>
    public required TimeSpan TlsHandshakeTimeout { get; init; }

    /// <summary>Go's <c>ResponseHeaderTimeout</c>, from the end of the write; zero = none. Key <c>response-header-timeout</c>.</summary>
    public required TimeSpan ResponseHeaderTimeout { get; init; }

    /// <summary>Go's <c>ExpectContinueTimeout</c>; zero = send the body at once. Key <c>expect-continue-timeout</c>.</summary>
    public required TimeSpan ExpectContinueTimeout { get; init; }

    /// <summary>Largest response head in bytes; positive. Key <c>max-response-header-bytes</c>.</summary>
    public required int MaxResponseHeaderBytes { get; init; }

    /// <summary>Go's <c>DisableCompression</c>. Key <c>disable-compression</c>.</summary>
    public required bool DisableCompression { get; init; }

    /// <summary>Most bytes of an abandoned body drained for reuse; 0 = never drain. Key <c>response-drain.max-bytes</c>.</summary>
    public required long ResponseDrainMaxBytes { get; init; }

    /// <summary>Longest drain of an abandoned body, and longest wait for a request body still being written when its response ended; zero = never drain nor wait. Key <c>response-drain.timeout</c>.</summary>
    public required TimeSpan ResponseDrainTimeout { get; init; }

    /// <summary>Longest a response body may hold its connection before anyone starts reading it; zero = no limit. Key <c>response-entity-subscription-timeout</c>.</summary>
    public required TimeSpan ResponseEntitySubscriptionTimeout { get; init; }

    /// <summary>Requests a pool flow keeps open to a host whose max-conns-per-host is 0; positive. Key <c>pool-flow-max-open-requests</c>.</summary>
    public required int PoolFlowMaxOpenRequests { get; init; }

    /// <summary>Redirects followed; 0 = none followed. Key <c>max-redirects</c>.</summary>
    public required int MaxRedirects { get; init; }

    /// <summary>Go's <c>Client.Timeout</c>, for the whole request including its body; zero = none. Key <c>request-timeout</c>.</summary>
    public required TimeSpan RequestTimeout { get; init; }

    /// <summary>Sent when the caller set no User-Agent; empty = none. Key <c>user-agent</c>.</summary>
    public required string UserAgent { get; init; }

    /// <summary>The part of these settings a <see cref="HostPool{TConn}"/> enforces.</summary>
    public HostPoolSettings Pool => new(MaxConnsPerHost, MaxIdleConnsPerHost, IdleConnTimeout, MaxPendingRequests,
        MaxConnLifetime, MaxConnLifetimeJitter, DisableKeepAlives);

    /// <summary>
    /// Reads the per-host keys through <paramref name="r"/> (the <c>actorhttp.client</c> section, or a host block
    /// over it) and returns them with the full paths of the keys read.
    /// </summary>
    /// <exception cref="SettingsException">A key is missing, of the wrong type, or out of range.</exception>
    public static HostSettings Read(SettingsReader r, out IReadOnlySet<string> keysRead)
    {
        var read = new HashSet<string>(StringComparer.Ordinal);
        var tracked = r.Over(r.Section, r.Path, read);
        var settings = new HostSettings
        {
            MaxConnsPerHost = Count(tracked, "max-conns-per-host"),
            MaxPendingRequests = Count(tracked, "max-pending-requests"),
            MaxIdleConnsPerHost = Count(tracked, "max-idle-conns-per-host"),
            IdleConnTimeout = Duration(tracked, "idle-conn-timeout"),
            MaxConnLifetime = Duration(tracked, "max-conn-lifetime"),
            MaxConnLifetimeJitter = Duration(tracked, "max-conn-lifetime-jitter"),
            DisableKeepAlives = tracked.Bool("disable-keep-alives"),
            DialTimeout = Duration(tracked, "dial-timeout"),
            TlsHandshakeTimeout = Duration(tracked, "tls-handshake-timeout"),
            ResponseHeaderTimeout = Duration(tracked, "response-header-timeout"),
            ExpectContinueTimeout = Duration(tracked, "expect-continue-timeout"),
            MaxResponseHeaderBytes = PositiveIntBytes(tracked, "max-response-header-bytes"),
            DisableCompression = tracked.Bool("disable-compression"),
            ResponseDrainMaxBytes = NonNegative(tracked, "response-drain.max-bytes", tracked.Bytes("response-drain.max-bytes")),
            ResponseDrainTimeout = Duration(tracked, "response-drain.timeout"),
            ResponseEntitySubscriptionTimeout = Duration(tracked, "response-entity-subscription-timeout"),
            PoolFlowMaxOpenRequests = Count(tracked, "pool-flow-max-open-requests"),
            MaxRedirects = Count(tracked, "max-redirects"),
            RequestTimeout = Duration(tracked, "request-timeout"),
            UserAgent = tracked.String("user-agent"),
        };
        tracked.Check(settings.PoolFlowMaxOpenRequests > 0, "pool-flow-max-open-requests", "must be positive");
        tracked.Check(settings.MaxConnLifetime <= TimeSpan.Zero || settings.MaxConnLifetimeJitter < settings.MaxConnLifetime,
            "max-conn-lifetime-jitter", $"must be shorter than max-conn-lifetime ({settings.MaxConnLifetime})");
        r.Record(read);
        keysRead = read;
        return settings;
    }

    private static int Count(SettingsReader r, string key) => NonNegative(r, key, r.Int(key));

    private static int PositiveIntBytes(SettingsReader r, string key)
    {
        var value = r.Bytes(key);
        r.Check(value is >= 1 and <= int.MaxValue, key, $"must be between 1 and {int.MaxValue} bytes, not {value}");
        return (int)value;
    }

    private static TimeSpan Duration(SettingsReader r, string key)
    {
        var value = r.Duration(key);
        r.Check(value >= TimeSpan.Zero, key, "must not be negative; 0 means no limit");
        return value;
    }

    private static T NonNegative<T>(SettingsReader r, string key, T value) where T : System.Numerics.INumber<T>
    {
        r.Check(!T.IsNegative(value), key, "must not be negative; 0 means no limit");
        return value;
    }
}
