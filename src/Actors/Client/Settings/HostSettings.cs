using ActorHttp.Client.Pool;
using ActorHttp.Hocon;

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
    /// Reads the per-host keys from <paramref name="config"/> (the <c>actorhttp.client</c> section, or a host
    /// block over it) and returns them with the set of keys read, relative to <paramref name="config"/>.
    /// </summary>
    /// <param name="config">The section to read.</param>
    /// <param name="path">Where that section is, to name keys in errors (e.g. <c>actorhttp.client</c>).</param>
    /// <param name="keysRead">Every key read, relative to <paramref name="config"/>.</param>
    /// <exception cref="ConfigException">A key is missing, of the wrong type, or out of range.</exception>
    public static HostSettings FromConfig(Config config, string path, out IReadOnlySet<string> keysRead)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(path);
        var r = new Reader(config, path);
        var settings = new HostSettings
        {
            MaxConnsPerHost = r.Count("max-conns-per-host"),
            MaxPendingRequests = r.Count("max-pending-requests"),
            MaxIdleConnsPerHost = r.Count("max-idle-conns-per-host"),
            IdleConnTimeout = r.Duration("idle-conn-timeout"),
            MaxConnLifetime = r.Duration("max-conn-lifetime"),
            MaxConnLifetimeJitter = r.Duration("max-conn-lifetime-jitter"),
            DisableKeepAlives = r.Flag("disable-keep-alives"),
            DialTimeout = r.Duration("dial-timeout"),
            TlsHandshakeTimeout = r.Duration("tls-handshake-timeout"),
            ResponseHeaderTimeout = r.Duration("response-header-timeout"),
            ExpectContinueTimeout = r.Duration("expect-continue-timeout"),
            MaxResponseHeaderBytes = r.PositiveIntBytes("max-response-header-bytes"),
            DisableCompression = r.Flag("disable-compression"),
            ResponseDrainMaxBytes = r.Bytes("response-drain.max-bytes"),
            ResponseDrainTimeout = r.Duration("response-drain.timeout"),
            MaxRedirects = r.Count("max-redirects"),
            RequestTimeout = r.Duration("request-timeout"),
            UserAgent = r.Text("user-agent"),
        };
        if (settings.MaxConnLifetime > TimeSpan.Zero && settings.MaxConnLifetimeJitter >= settings.MaxConnLifetime)
            throw new ConfigException(ConfigErrorKind.BadValue,
                $"must be shorter than max-conn-lifetime ({settings.MaxConnLifetime})", $"{path}.max-conn-lifetime-jitter");
        keysRead = r.Read;
        return settings;
    }

    // Reads one key at a time, remembering which, and refuses negative values with the key's name.
    private sealed class Reader(Config config, string path)
    {
        public HashSet<string> Read { get; } = new(StringComparer.Ordinal);

        public int Count(string key) => NonNegative(key, config.GetInt(Note(key)));

        public long Bytes(string key) => NonNegative(key, config.GetByteSize(Note(key)));

        public int PositiveIntBytes(string key)
        {
            var value = config.GetByteSize(Note(key));
            if (value is < 1 or > int.MaxValue) throw OutOfRange(key, $"must be between 1 and {int.MaxValue} bytes, not {value}");
            return (int)value;
        }

        public TimeSpan Duration(string key)
        {
            var value = config.GetTimeSpan(Note(key), allowInfinite: false);
            return value < TimeSpan.Zero ? throw OutOfRange(key, "must not be negative; 0 means no limit") : value;
        }

        public bool Flag(string key) => config.GetBoolean(Note(key));

        public string Text(string key) => config.GetString(Note(key));

        private string Note(string key)
        {
            Read.Add(key);
            return key;
        }

        private T NonNegative<T>(string key, T value) where T : System.Numerics.INumber<T> =>
            T.IsNegative(value) ? throw OutOfRange(key, "must not be negative; 0 means no limit") : value;

        private ConfigException OutOfRange(string key, string message) => new(ConfigErrorKind.BadValue, message, $"{path}.{key}");
    }
}
