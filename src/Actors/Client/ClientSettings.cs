using ActorHttp.Client.Cluster;
using ActorHttp.Client.Proxy;
using ActorHttp.Client.Settings;
using ActorHttp.Configuration;
using Akka.Configuration;

namespace ActorHttp.Client;

/// <summary>
/// The HTTP client's settings: the transport-wide idle cap, the per-host defaults, and the per-host
/// overrides, read once from <c>actorhttp.client</c> (defaults and their reasons: <c>hocon/client.conf</c>).
/// </summary>
/// <remarks>
/// <para><b>Per-host overrides.</b> <c>actorhttp.client.hosts</c> maps host patterns (<see cref="HostPattern"/>)
/// to blocks holding any per-host key; a block falls back to the client-wide values for the keys it does
/// not set. <see cref="For(string, int)"/> picks the most specific matching pattern, alone (blocks do not stack), or the
/// defaults when none matches.</para>
/// <para><b>Overrides from code</b> go through configuration: parse them and layer them over the
/// reference with <see cref="Load"/>; or adjust the record with <c>with</c>.</para>
/// </remarks>
public sealed record ClientSettings
{
    /// <summary>Builds settings; <paramref name="hosts"/> is kept most specific first.</summary>
    public ClientSettings(int maxIdleConns, HostSettings defaults, IEnumerable<HostOverride> hosts, ProxySettings proxy, bool epollEventLoop)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxIdleConns);
        ArgumentNullException.ThrowIfNull(defaults);
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(proxy);
        MaxIdleConns = maxIdleConns;
        EpollEventLoop = epollEventLoop;
        Proxy = proxy;
        Defaults = defaults;
        Hosts = hosts.Order(Comparer<HostOverride>.Create((a, b) => HostPattern.CompareSpecificity(b.Pattern, a.Pattern))).ToArray();
    }

    /// <summary>Go's <c>MaxIdleConns</c>: idle connections across all hosts; 0 = no limit. Key <c>max-idle-conns</c>.</summary>
    public int MaxIdleConns { get; init; }

    /// <summary>Go's <c>Transport.Proxy</c> as configured: none, the environment, or one proxy URL, and the hosts
    /// that go direct. Transport-wide, like Go's. Keys <c>proxy</c> and <c>no-proxy</c>.</summary>
    public ProxySettings Proxy { get; init; }

    /// <summary>Plain-HTTP connections (no TLS, the default dialer) run on ActorHttp's event loops, where they exist, over
    /// non-blocking sockets registered there; off, or elsewhere, every connection reads and writes a stream on Akka's default
    /// dispatcher. Transport-wide. Key <c>epoll-event-loop</c>.</summary>
    public bool EpollEventLoop { get; init; }

    /// <summary>Each host's pool is one pool for the whole Akka cluster (a sharded entity keyed by the connection key), so
    /// <c>max-conns-per-host</c> and the wait queue hold across every node; null = off, every node has its own pools.
    /// Transport-wide. Keys <c>cluster-pools</c> and <c>cluster-pool-shards</c>.</summary>
    public ClusterPoolSettings? ClusterPools { get; init; }

    /// <summary>What a host without an override gets.</summary>
    public HostSettings Defaults { get; init; }

    /// <summary>The overrides, most specific first.</summary>
    public IReadOnlyList<HostOverride> Hosts { get; }

    /// <summary>The settings for a connection to <paramref name="host"/>:<paramref name="port"/>.</summary>
    public HostSettings For(string host, int port)
    {
        ArgumentNullException.ThrowIfNull(host);
        foreach (var entry in Hosts)
            if (entry.Pattern.Matches(host, port)) return entry.Settings;
        return Defaults;
    }

    /// <summary>The settings for a connection to <paramref name="uri"/>'s host and port.</summary>
    public HostSettings For(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return For(uri.IdnHost, uri.Port);
    }

    /// <summary>Settings from <paramref name="overrides"/> (may be null) over the reference configuration.</summary>
    public static ClientSettings Load(Config? overrides = null) => FromConfig(ReferenceConfig.Load(overrides));

    /// <summary>Reads <c>actorhttp.client</c> from a whole configuration (the reference configuration is assumed to be in it).</summary>
    /// <exception cref="SettingsException">A key is missing, mistyped or out of range; a host pattern is malformed;
    /// the proxy is neither "", "environment" nor an http:// URL; or a host block holds a key that is not a
    /// per-host setting (such as <c>max-idle-conns</c>, <c>proxy</c> or <c>epoll-event-loop</c>).</exception>
    public static ClientSettings FromConfig(Config config) => Read(new SettingsReader(config, Section));

    /// <summary>The configuration section the client's settings are read from.</summary>
    public const string Section = "actorhttp.client";

    /// <summary>Reads the settings through <paramref name="client"/> (a reader of <see cref="Section"/>).</summary>
    public static ClientSettings Read(SettingsReader client)
    {
        var maxIdleConns = client.Int("max-idle-conns");
        var epollEventLoop = client.Bool("epoll-event-loop");
        client.Check(maxIdleConns >= 0, "max-idle-conns", "must not be negative; 0 means no limit");
        var defaults = HostSettings.Read(client, out _);
        ProxySettings proxy;
        try
        {
            proxy = ProxySettings.Parse(client.String("proxy"), client.StringList("no-proxy"));
        }
        catch (FormatException e)
        {
            throw new SettingsException($"{client.Path}.proxy", e.Message, e);
        }

        var hosts = new List<HostOverride>();
        var hostsSection = client.Sub("hosts");
        foreach (var pattern in hostsSection.Keys.ToArray())
        {
            var where = $"{client.Path}.hosts.\"{pattern}\"";
            HostPattern parsed;
            try
            {
                parsed = HostPattern.Parse(pattern);
            }
            catch (FormatException e)
            {
                throw new SettingsException(where, e.Message, e);
            }

            var block = hostsSection.Section.GetConfig(Quote(pattern));
            var settings = HostSettings.Read(client.Over(block.WithFallback(client.Section), where), out var read);
            var unknown = SettingsReader.LeafKeys(block).Where(k => !read.Contains($"{where}.{k}")).ToArray();
            if (unknown.Length > 0) throw new SettingsException(where, $"not a per-host setting: {string.Join(", ", unknown)}");
            hosts.Add(new HostOverride(parsed, settings));
        }

        return new ClientSettings(maxIdleConns, defaults, hosts, proxy, epollEventLoop) { ClusterPools = ClusterPoolSettings.Read(client) };
    }

    private static string Quote(string key) => "\"" + key.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
