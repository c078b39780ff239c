using ActorHttp.Configuration;

namespace ActorHttp.Client.Cluster;

/// <summary>
/// The settings of cluster-wide host pools, read once from <c>actorhttp.client</c> (<c>cluster-pools</c>,
/// <c>cluster-pool-shards</c>; defaults and their reasons are in <c>hocon/client.conf</c>).
/// </summary>
/// <param name="Shards">Cluster Sharding's number of shards for the pools; the same on every node.</param>
public sealed record ClusterPoolSettings(int Shards)
{
    /// <summary>Reads the keys through <paramref name="client"/> (a reader of <c>actorhttp.client</c>); null when <c>cluster-pools</c> is off.</summary>
    public static ClusterPoolSettings? Read(SettingsReader client)
    {
        bool on = client.Bool("cluster-pools");
        // Read either way, so that a bad value is reported before someone turns the pools on.
        int shards = client.Int("cluster-pool-shards");
        client.Check(shards > 0, "cluster-pool-shards", "must be positive");
        return on ? new ClusterPoolSettings(shards) : null;
    }
}
