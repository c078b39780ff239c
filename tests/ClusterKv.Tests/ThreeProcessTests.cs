using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using Xunit.Abstractions;

namespace ClusterKv.Tests;

/// <summary>
/// The sample as a user runs it: three <c>dotnet ClusterKv.dll --http-port .. --akka-port .. --seed .. --data ..</c>
/// processes sharing one SQLite file. Values written through one node are read through the others; then one node is
/// stopped with SIGTERM (a graceful leave) and another with SIGKILL, and every value is still read back from the last.
/// </summary>
/// <remarks>
/// The survivor is the node with the lowest Akka port: after the SIGTERM two nodes remain, and when one of them is
/// killed keep-majority (equal sides) keeps the side that holds the lowest address. The cluster's timeouts are the
/// tests' (<see cref="TestCluster.Hocon"/>, through <c>CLUSTERKV_HOCON</c>), not the sample's defaults.
/// </remarks>
public sealed class ThreeProcessTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly TestCluster.DataDirectory _data = new();
    private readonly List<Node> _nodes = [];

    private sealed record Node(Process Process, HttpClient Http, StringBuilder Log);

    public void Dispose()
    {
        foreach (var node in _nodes)
        {
            if (!node.Process.HasExited) node.Process.Kill();
            node.Process.WaitForExit();   // the overload that also waits for the output handlers
            output.WriteLine($"--- node {node.Process.Id} (exit {node.Process.ExitCode})\n{node.Log}");
            node.Process.Dispose();
            node.Http.Dispose();
        }
        _data.Dispose();
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private const int SIGTERM = 15;

    // The sample's own build output, beside this test project's (the project reference builds it first).
    private static string SampleDll()
    {
        var testDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));   // tests/ClusterKv.Tests/bin/<config>/<tfm>
        string tfm = testDir.Name, configuration = testDir.Parent!.Name;
        string repo = testDir.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        string dll = Path.Combine(repo, "samples", "ClusterKv", "bin", configuration, tfm, "ClusterKv.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build samples/ClusterKv");
        return dll;
    }

    private Node Start(int httpPort, int akkaPort, int seedPort)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { [KvApp.OverridesVariable] = TestCluster.Hocon },
        };
        foreach (var arg in new[] { SampleDll(), "--http-port", $"{httpPort}", "--akka-port", $"{akkaPort}",
                     "--seed", $"127.0.0.1:{seedPort}", "--data", _data.File })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        var log = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var node = new Node(process, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(20) }, log);
        _nodes.Add(node);
        return node;
    }

    private static Task UpAsync(Node node) => TestCluster.EventuallyAsync($"node {node.Process.Id} healthy", Deadline, async () =>
    {
        Assert.False(node.Process.HasExited, "the node exited");
        using var health = await node.Http.GetAsync("/healthz");
        return health.StatusCode == HttpStatusCode.OK;
    });

    // Reads every value through node; 503 (a shard still moving) is retried, anything else fails.
    private static async Task<int> ReadAllAsync(Node node, IReadOnlyDictionary<string, string> values)
    {
        int retries = 0;
        foreach (var (key, value) in values)
            await TestCluster.EventuallyAsync($"GET /kv/{key}", Deadline, async () =>
            {
                using var get = await node.Http.GetAsync($"/kv/{key}");
                if (get.StatusCode == HttpStatusCode.ServiceUnavailable) { retries++; return false; }
                Assert.Equal((HttpStatusCode.OK, value), (get.StatusCode, await get.Content.ReadAsStringAsync()));
                return true;
            });
        return retries;
    }

    [Fact]
    public async Task Values_written_through_one_node_survive_a_SIGTERM_and_a_SIGKILL()
    {
        var clock = Stopwatch.StartNew();
        var akkaPorts = Enumerable.Range(0, 3).Select(_ => TestCluster.FreePort()).Order().ToArray();
        int seed = akkaPorts[0];
        KvApp.PrepareDataFile(_data.File);
        var nodes = akkaPorts.Select(port => Start(TestCluster.FreePort(), port, seed)).ToArray();
        var (survivor, killed, leaver) = (nodes[0], nodes[1], nodes[2]);
        await Task.WhenAll(nodes.Select(UpAsync));
        output.WriteLine($"three nodes up after {clock.Elapsed.TotalSeconds:F1} s");

        var values = Enumerable.Range(0, 30).ToDictionary(i => $"key-{i}", i => $"value {i} {Guid.NewGuid()}");
        int retries = 0;
        // Concurrently, as clients write: the journal batches the entities' writes into fewer SQLite transactions.
        await Task.WhenAll(values.Select(kv => TestCluster.EventuallyAsync($"PUT /kv/{kv.Key}", Deadline, async () =>
        {
            // A 503 is a write not acknowledged (a first write to a shard can outlast the deadline on a starved
            // machine); PUT is idempotent, so the client tries again, as a real one would.
            using var put = await killed.Http.PutAsync($"/kv/{kv.Key}", new StringContent(kv.Value));
            if (put.StatusCode == HttpStatusCode.ServiceUnavailable) { Interlocked.Increment(ref retries); return false; }
            Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
            return true;
        })));
        output.WriteLine($"30 values written after {clock.Elapsed.TotalSeconds:F1} s");
        await ReadAllAsync(survivor, values);
        await ReadAllAsync(leaver, values);

        // SIGTERM: CoordinatedShutdown hands the leaver's shards over and leaves; the process exits 0.
        Assert.Equal(0, kill(leaver.Process.Id, SIGTERM));
        await leaver.Process.WaitForExitAsync().WaitAsync(Deadline);
        Assert.Equal(0, leaver.Process.ExitCode);
        output.WriteLine($"SIGTERM'd node gone after {clock.Elapsed.TotalSeconds:F1} s");
        retries += await ReadAllAsync(survivor, values) + await ReadAllAsync(killed, values);

        // SIGKILL: the survivor's resolver downs the dead node, its shards start again on the survivor from the journal.
        killed.Process.Kill();
        await TestCluster.EventuallyAsync("the killed node removed", Deadline, async () =>
            !(await survivor.Http.GetStringAsync("/cluster/members")).Contains($":{akkaPorts[1]}\""));
        output.WriteLine($"SIGKILL'd node removed after {clock.Elapsed.TotalSeconds:F1} s");
        retries += await ReadAllAsync(survivor, values);
        output.WriteLine($"every value read back after {clock.Elapsed.TotalSeconds:F1} s ({retries} requests answered 503 and retried)");

        Assert.Equal(0, kill(survivor.Process.Id, SIGTERM));
        await survivor.Process.WaitForExitAsync().WaitAsync(Deadline);
        Assert.Equal(0, survivor.Process.ExitCode);
    }
}
