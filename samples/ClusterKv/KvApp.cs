using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using Akka.Persistence.Sql;
using Microsoft.Data.Sqlite;

namespace ClusterKv;

/// <summary>
/// The composition of a ClusterKv node, shared by <c>Program</c> and the tests: its configuration, and the shard
/// region and <see cref="KvNode"/> started in an actor system made from it.
/// </summary>
internal static class KvApp
{
    /// <summary>The environment variable whose HOCON text wins over everything (tests shorten timeouts with it).</summary>
    public const string OverridesVariable = "CLUSTERKV_HOCON";

    /// <summary>The sharded entity type.</summary>
    public const string TypeName = "kv";

    /// <summary>
    /// <paramref name="overrides"/> over the command line's settings over clusterkv.conf over Akka.Persistence.Sql's
    /// reference configuration. ActorHttp's reference configuration is added by <c>Http.Get</c>, as a fallback.
    /// </summary>
    public static Config BuildConfig(Options options, string? overrides)
    {
        string connection = new SqliteConnectionStringBuilder { DataSource = options.DataFile }.ConnectionString;
        string fromArgs = $$"""
            akka.remote.dot-netty.tcp { hostname = "{{options.Hostname}}", port = {{options.AkkaPort}} }
            akka.cluster.seed-nodes = [{{string.Join(", ", options.Seeds.Select(s => $"\"{s}\""))}}]
            akka.persistence.journal.sql.connection-string = "{{connection}}"
            akka.persistence.snapshot-store.sql.connection-string = "{{connection}}"
            """;
        return ConfigurationFactory.ParseString(overrides ?? "")
            .WithFallback(ConfigurationFactory.ParseString(fromArgs))
            .WithFallback(ConfigurationFactory.FromResource("clusterkv.conf", typeof(KvApp).Assembly))
            .WithFallback(SqlPersistence.DefaultConfiguration);
    }

    /// <summary>
    /// Puts the SQLite file in write-ahead-log mode (kept in the file), so that the nodes sharing it read while one
    /// writes; a writer that finds it locked waits (Microsoft.Data.Sqlite retries for the command timeout, 30 s).
    /// </summary>
    public static void PrepareDataFile(string dataFile)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = dataFile }.ConnectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode=WAL;";
        pragma.ExecuteNonQuery();
    }

    /// <summary>Starts the shard region and the node's own actor (which starts the HTTP server as its child).</summary>
    public static (IActorRef Region, IActorRef Node) Start(ActorSystem system, Options options)
    {
        var config = system.Settings.Config.GetConfig("clusterkv");
        var sharding = ClusterSharding.Get(system);
        var settings = ClusterShardingSettings.Create(system);
        // KvEntity.Stop as the hand-off message: unlike PoisonPill it waits behind a write in progress.
        var region = sharding.Start(TypeName, KvEntity.Props, settings,
            new KvMessageExtractor(config.GetInt("number-of-shards")),
            sharding.DefaultShardAllocationStrategy(settings), KvEntity.Stop.Instance);
        var node = system.ActorOf(KvNode.Props(region, options.HttpEndPoint, config.GetByteSize("max-value-size") ?? 0), "kv-node");
        return (region, node);
    }
}
