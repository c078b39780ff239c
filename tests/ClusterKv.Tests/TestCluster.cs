using System.Net;
using System.Net.Sockets;

namespace ClusterKv.Tests;

/// <summary>What the ClusterKv tests share: the timeouts they shorten, free ports, a scratch data file.</summary>
internal static class TestCluster
{
    /// <summary>
    /// Overrides of the sample's cluster timeouts, for the tests only (the sample's own values stay those in
    /// clusterkv.conf): a lost node is noticed within about 4 s and downed 4 s later, shards move quickly, and a request
    /// stuck on a lost node gets its 503 after 15 s. Not shorter: on a loaded 2-core machine heartbeats were seen 1.7 s
    /// late, and a first write (shard allocation, recovery, SQLite's fsync) took seconds.
    /// </summary>
    public const string Hocon = """
        akka.loglevel = WARNING
        akka.cluster {
          failure-detector { heartbeat-interval = 300ms, acceptable-heartbeat-pause = 4s, expected-response-after = 500ms }
          unreachable-nodes-reaper-interval = 250ms
          split-brain-resolver.stable-after = 4s
          sharding { retry-interval = 500ms, coordinator-failure-backoff = 1s, handoff-timeout = 10s }
        }
        actorhttp.server.request-timeout = 15s
        """;

    /// <summary>A port nobody listens on now (the OS's choice; released before use, which is racy only in theory here).</summary>
    public static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>A fresh directory for one test's SQLite file, deleted by <see cref="IDisposable.Dispose"/>.</summary>
    public sealed class DataDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("clusterkv-").FullName;

        public string File => System.IO.Path.Combine(Path, "kv.db");

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(Path, recursive: true);
        }
    }

    /// <summary>Retries <paramref name="attempt"/> until it returns true or <paramref name="deadline"/> passes (then fails with <paramref name="what"/>).</summary>
    public static async Task EventuallyAsync(string what, TimeSpan deadline, Func<Task<bool>> attempt)
    {
        using var cts = new CancellationTokenSource(deadline);
        while (true)
        {
            try
            {
                if (await attempt()) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) when (!cts.IsCancellationRequested) { }
            if (cts.IsCancellationRequested) throw new TimeoutException($"{what}: not within {deadline}.");
            // A poll, not a synchronisation: the condition is re-checked against the live cluster.
            await Task.Delay(200, CancellationToken.None);
        }
    }
}
