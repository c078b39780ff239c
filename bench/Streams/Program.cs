using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using ActorHttp.Client;
using ActorHttp.Client.Transport;
using ActorHttp.Server;
using ActorHttp.Streams;
using ActorHttp.Streams.Bench;
using Akka.Actor;
using Akka.Configuration;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;

// The Akka.Streams faces of ActorHttp against their Stream-based twins and HttpClient, in one run (issue 11):
//   dotnet run --project bench/Streams -c Release -- [--quick] [--connections 16] [--only "upload 1 MiB"] [--nginx] [--window SECONDS] [--case stream]
// One line per case, then the ratios. Every case runs its loops for a warm-up, then measures a window (3 s; --quick 1 s)
// and stops them: downloads and uploads count body bytes as they are read or produced (MB/s, 10^6 bytes), the pool cases
// count whole requests (req/s); each line also gives the process's CPU time per MB or per request over the window. The server is ActorHttp's own, in this process (as bench/Server serves): on a 2-core
// machine client and server share the cores, so compare the lines of one run with each other, not with other runs.
// Downloads of 1 MiB also run wrk (when installed) against the same server, as the peer that costs the client least.
// --nginx: the downloads only, from an nginx started for the run (static files, one worker) instead of the in-process
// server, so that the CPU time per MB is the client's alone: the figure to judge the client's download path by.

var quick = args.Contains("--quick");
var useNginx = args.Contains("--nginx");
int connections = 16;
string? only = null;   // --only PREFIX: the cases whose group starts with it (for example "upload 1")
string? onlyCase = null;   // --case NAME: only the cases of that name (source, stream, httpclient...), for a profiler
for (int i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--connections") connections = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    if (args[i] == "--only") only = args[i + 1];
    if (args[i] == "--case") onlyCase = args[i + 1];
}
var warm = TimeSpan.FromSeconds(quick ? 0.5 : 1);
var window = TimeSpan.FromSeconds(quick ? 1 : 3);
for (int i = 0; i < args.Length - 1; i++)
    if (args[i] == "--window") window = TimeSpan.FromSeconds(double.Parse(args[i + 1], CultureInfo.InvariantCulture));
const int OneMiB = 1 << 20, HundredMiB = 100 << 20;

var system = ActorSystem.Create("streams-bench", ConfigurationFactory.ParseString("akka.loglevel = WARNING"));
var mat = system.Materializer();
var server = await HttpServer.StartAsync(system, BenchServer.Routes(), new IPEndPoint(IPAddress.Loopback, 0));
var transport = ActorTransport.Create(system, ClientSettings.Load(ConfigurationFactory.ParseString(
    $"actorhttp.client.max-conns-per-host = {connections}\n" +
    // A starved run (the bench at nice 19 beside other work) can take longer than the default 1 s between a head and its
    // first read: that measures the machine, not the body path.
    "actorhttp.client.response-entity-subscription-timeout = 30s")));
using var httpClient = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseProxy = false })
{
    Timeout = Timeout.InfiniteTimeSpan,
};
await using var nginx = useNginx ? await Nginx.StartAsync([1 << 20, 100 << 20]) : null;
var origin = nginx?.Origin ?? new Uri($"http://{server.LocalEndPoint}");
var results = new Results(only, onlyCase);
// Connections the server accepts (its kestrel.active_connections going up): a case that reuses its connections opens
// about one per loop; many more say bodies end by closing theirs.
using var accepted = new System.Diagnostics.Metrics.MeterListener();
accepted.InstrumentPublished = (instrument, listener) =>
{
    if (instrument.Meter.Name == ServerMetrics.MeterName && instrument.Name == "kestrel.active_connections") listener.EnableMeasurementEvents(instrument);
};
accepted.SetMeasurementEventCallback<long>((_, value, _, _) => { if (value > 0) results.Accepted.Add(value); });
accepted.Start();
Console.WriteLine($"# streams bench: {connections} connections, warm-up {warm.TotalSeconds:0.#} s, window {window.TotalSeconds:0.#} s, " +
                  $"{Environment.ProcessorCount} cores, " + (nginx is null ? "server in process" : $"nginx at {origin} (client CPU only)"));

// A first pass over the download cases, unmeasured, so that the JIT is done before any window: the first case measured
// otherwise (tier-0 code and the JIT's own threads, under load for seconds), which made "download 1 MiB source" look
// twice as costly as it is in session 7's log.
results.Silent = true;
await Downloads(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(0.5));
results.Silent = false;
await Downloads(warm, window);

async Task Downloads(TimeSpan warm, TimeSpan window)
{
foreach (var size in new[] { OneMiB, HundredMiB })
{
    var url = new Uri(origin, $"/bytes/{size}");
    var label = SizeLabel(size);
    await results.Run($"download {label}", "source", "MB/s", warm, window, connections, async (count, stop) =>
    {
        using var response = await transport.RoundTripAsync(ClientRequest.Get(url), CancellationToken.None);
        await response.DataBytes().Via(Stopping<ByteString>(stop)).RunForeach(bytes => count.Add(bytes.Count), mat);
    });
    await results.Run($"download {label}", "stream", "MB/s", warm, window, connections, async (count, stop) =>
    {
        using var response = await transport.RoundTripAsync(ClientRequest.Get(url), CancellationToken.None);
        await Drain(response.Body, count, stop);
    });
    await results.Run($"download {label}", "httpclient", "MB/s", warm, window, connections, async (count, stop) =>
    {
        using var response = await httpClient.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        await Drain(body, count, stop);
    });
    if (!results.Silent && size == OneMiB && onlyCase is null or "wrk" && (only is null || $"download {label}".StartsWith(only, StringComparison.Ordinal)) && await Wrk.RunAsync(url, connections, warm + window) is { } wrkRate)
        results.Add($"download {label}", "wrk", "MB/s", wrkRate);
}
}

foreach (var size in nginx is null ? new[] { OneMiB, HundredMiB } : [])
{
    var url = new Uri(origin, "/discard");
    var label = SizeLabel(size);
    await results.Run($"upload {label}", "source", "MB/s", warm, window, connections, async (count, stop) =>
    {
        var chunk = ByteString.FromBytes(PatternStream.Chunk);
        var source = Source.Repeat(chunk).Take(size / PatternStream.Chunk.Length)
            .Via(Stopping<ByteString>(stop))
            .Select(b => { count.Add(b.Count); return b; });
        await Upload(transport, new ClientRequest("POST", url, SourceRequestContent.Create(source, mat, size)));
    });
    await results.Run($"upload {label}", "stream", "MB/s", warm, window, connections, (count, stop) =>
        Upload(transport, new ClientRequest("POST", url, new StreamRequestContent(new PatternStream(size, count, stop), size))));
    await results.Run($"upload {label}", "httpclient", "MB/s", warm, window, connections, async (count, stop) =>
    {
        var content = new StreamContent(new PatternStream(size, count, stop), PatternStream.Chunk.Length);
        content.Headers.ContentLength = size;
        try
        {
            using var response = await httpClient.PostAsync(url, content);
            await response.Content.ReadAsByteArrayAsync();
        }
        catch (HttpRequestException) when (stop.IsCancellationRequested) { }
    });
}

if (nginx is null)
{
    var url = new Uri(origin, "/small");
    // The flow runs as one stream over the whole window: its demand is the pool's free slots (max-conns-per-host).
    await results.RunOnce("pool (GET 5 B)", "flow", "req/s", warm, window, async (count, stop) =>
        await Source.Repeat(0).Via(Stopping<int>(stop))
            .Select(i => (ClientRequest.Get(url), i))
            .Via(transport.HostConnectionPool<int>(origin))
            .SelectAsync(connections, async r =>
            {
                if (!r.Item1.IsSuccess) throw r.Item1.Exception!;   // fails the run: no failure is expected
                using var response = r.Item1.Value!;
                await response.ReadAsByteArrayAsync();
                count.Add(1);
                return 0;
            })
            .RunWith(Sink.Ignore<int>(), mat));
    await results.Run("pool (GET 5 B)", "sendasync", "req/s", warm, window, connections, async (count, stop) =>
    {
        while (!stop.IsCancellationRequested)
        {
            using var response = await transport.RoundTripAsync(ClientRequest.Get(url), CancellationToken.None);
            await response.ReadAsByteArrayAsync();
            count.Add(1);
        }
    });
}

results.PrintRatios();
await transport.DisposeAsync();
await server.ShutdownAsync(TimeSpan.FromSeconds(5));
await system.Terminate();
return;

// Completes the stream when stop is cancelled. Not TakeWhile(_ => !stop.IsCancellationRequested): tried first, every
// upload source ended before its first element with stop not yet cancelled (Akka.Streams 1.5.75; not looked into).
static IGraph<FlowShape<T, T>, SharedKillSwitch> Stopping<T>(CancellationToken stop)
{
    var kill = KillSwitches.Shared("stop");
    stop.Register(kill.Shutdown);
    return kill.Flow<T>();
}

static string SizeLabel(int size) => size >= 1 << 20 ? $"{size >> 20} MiB" : $"{size} B";

static async Task Drain(Stream body, Counter count, CancellationToken stop)
{
    var buffer = new byte[64 * 1024];
    int n;
    while (!stop.IsCancellationRequested && (n = await body.ReadAsync(buffer)) > 0) count.Add(n);
}

// A request cut short by the end of the window fails (its body is shorter than its Content-Length): not counted as a failure.
static async Task Upload(ActorTransport transport, ClientRequest request)
{
    try
    {
        using var response = await transport.RoundTripAsync(request, CancellationToken.None);
        await response.ReadAsByteArrayAsync();
    }
    catch (HttpClientException) { }
}

namespace ActorHttp.Streams.Bench
{
    /// <summary>The benchmark's routes on ActorHttp's server: bodies of any size, a sink for uploads, a small answer.</summary>
    internal static class BenchServer
    {
        private static readonly byte[] Block = PatternStream.Chunk;

        public static ServeMux Routes() => new ServeMux()
            .HandleFunc("GET /bytes/{n}", async (w, r) =>
            {
                long n = long.Parse(r.PathValue("n")!, CultureInfo.InvariantCulture);
                w.Headers.Set("Content-Length", n.ToString(CultureInfo.InvariantCulture));
                for (long sent = 0; sent < n; sent += Block.Length)
                    await w.WriteAsync(Block.AsMemory(0, (int)Math.Min(Block.Length, n - sent)));
            })
            .HandleFunc("POST /discard", async (w, r) =>
            {
                var buffer = new byte[64 * 1024];
                long total = 0;
                int n;
                while ((n = await r.Body.ReadAsync(buffer)) > 0) total += n;
                await w.WriteAsync(total.ToString(CultureInfo.InvariantCulture));
            }, maxRequestBodySize: 0)   // unlimited: the 100 MiB uploads are above request-body.max-size
            .HandleFunc("GET /small", (w, r) => w.WriteAsync("hello").AsTask());
    }

    /// <summary>A thread-safe count of bytes or requests.</summary>
    internal sealed class Counter
    {
        private long _value;
        public long Value => Interlocked.Read(ref _value);
        public void Add(long n) => Interlocked.Add(ref _value, n);
    }

    /// <summary>A read-only body of a given length from one 64 KiB block, counting what it hands out; ends early on stop.</summary>
    internal sealed class PatternStream(long length, Counter count, CancellationToken stop) : Stream
    {
        public static readonly byte[] Chunk = Enumerable.Range(0, 64 * 1024).Select(i => (byte)(i % 251)).ToArray();
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count1) => Read(buffer.AsSpan(offset, count1));

        public override int Read(Span<byte> buffer)
        {
            if (stop.IsCancellationRequested) return 0;
            int n = (int)Math.Min(Math.Min(buffer.Length, Chunk.Length), length - _position);
            Chunk.AsSpan(0, n).CopyTo(buffer);
            _position += n;
            count.Add(n);
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count1, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count1)));

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count1) => throw new NotSupportedException();
    }

    /// <summary>An nginx serving /bytes/N (N bytes of the pattern) from a temporary directory, for as long as it is not disposed.</summary>
    internal sealed class Nginx : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly string _root;

        private Nginx(Process process, string root, Uri origin)
        {
            _process = process;
            _root = root;
            Origin = origin;
        }

        public Uri Origin { get; }

        public static async Task<Nginx> StartAsync(IEnumerable<int> sizes)
        {
            var root = Directory.CreateTempSubdirectory("streams-bench-nginx-").FullName;
            Directory.CreateDirectory(Path.Combine(root, "www", "bytes"));
            foreach (var size in sizes)
            {
                await using var file = File.Create(Path.Combine(root, "www", "bytes", size.ToString(CultureInfo.InvariantCulture)));
                for (int written = 0; written < size; written += PatternStream.Chunk.Length)
                    file.Write(PatternStream.Chunk, 0, Math.Min(PatternStream.Chunk.Length, size - written));
            }
            // The nginx worker may run as nobody: every directory on the way must be readable by it.
            foreach (var dir in new[] { root, Path.Combine(root, "www"), Path.Combine(root, "www", "bytes") })
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
            int port;
            using (var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                port = ((IPEndPoint)probe.LocalEndpoint).Port;
            }
            File.WriteAllText(Path.Combine(root, "nginx.conf"), $$"""
                worker_processes 1;
                daemon off;
                pid {{root}}/nginx.pid;
                error_log {{root}}/error.log;
                events { worker_connections 1024; }
                http {
                    access_log off;
                    sendfile on;
                    keepalive_requests 1000000;
                    keepalive_timeout 600s;
                    client_body_temp_path {{root}}/tmp;
                    proxy_temp_path {{root}}/tmp;
                    fastcgi_temp_path {{root}}/tmp;
                    uwsgi_temp_path {{root}}/tmp;
                    scgi_temp_path {{root}}/tmp;
                    server {
                        listen 127.0.0.1:{{port}};
                        root {{root}}/www;
                    }
                }
                """);
            var process = Process.Start(new ProcessStartInfo("nginx", $"-p {root} -c {root}/nginx.conf")
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            }) ?? throw new InvalidOperationException("nginx did not start");
            var origin = new Uri($"http://127.0.0.1:{port}");
            using var probeClient = new HttpClient();
            for (var waited = Stopwatch.StartNew(); ; await Task.Delay(50))
            {
                try
                {
                    using var response = await probeClient.GetAsync(new Uri(origin, "/bytes/1048576"), HttpCompletionOption.ResponseHeadersRead);
                    if (response.IsSuccessStatusCode) break;
                }
                catch (HttpRequestException) when (waited.Elapsed < TimeSpan.FromSeconds(10) && !process.HasExited) { }
            }
            return new Nginx(process, root, origin);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);   // the workers too: killed alone, the master leaves them running
            await _process.WaitForExitAsync();
            _process.Dispose();
            Directory.Delete(_root, recursive: true);
        }
    }

    /// <summary>wrk against a URL, when it is installed: its Transfer/sec in MB/s.</summary>
    internal static partial class Wrk
    {
        public static async Task<double?> RunAsync(Uri url, int connections, TimeSpan duration)
        {
            var start = new ProcessStartInfo("wrk", $"-t2 -c{connections} -d{Math.Max(1, (int)Math.Round(duration.TotalSeconds))}s {url}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            Process? process;
            try
            {
                process = Process.Start(start);
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return null;   // not installed
            }

            if (process is null) return null;
            using (process)
            {
                var output = await process.StandardOutput.ReadToEndAsync();
                await process.WaitForExitAsync();
                var m = TransferPerSec().Match(output);
                if (!m.Success) return null;
                double value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                // wrk's units are binary (KB = 1024 B): turned into 10^6 bytes, as the other lines.
                double bytes = value * m.Groups[2].Value switch { "KB" => 1024.0, "MB" => 1024.0 * 1024, "GB" => 1024.0 * 1024 * 1024, _ => 1 };
                return bytes / 1e6;
            }
        }

        [GeneratedRegex(@"Transfer/sec:\s+([\d.]+)([KMG]?B)")]
        private static partial Regex TransferPerSec();
    }

    /// <summary>The cases' figures, printed as they come, and the ratios the issue asks for at the end.</summary>
    internal sealed class Results
    {
        private readonly Dictionary<(string Group, string Name), double> _values = new();
        private readonly string? _only;
        private readonly string? _case;

        public Results(string? only, string? onlyCase)
        {
            _only = only;
            _case = onlyCase;
        }

        /// <summary>True while a pass is not measured: nothing is printed nor kept.</summary>
        public bool Silent { get; set; }

        /// <summary>Connections the server has accepted so far.</summary>
        public Counter Accepted { get; } = new();

        public void Add(string group, string name, string unit, double value, double cpuMicroseconds = double.NaN, long connections = -1,
            Work? work = null)
        {
            if (Silent) return;
            _values[(group, name)] = value;
            var per = unit == "MB/s" ? "MB" : "req";
            Console.WriteLine(double.IsNaN(cpuMicroseconds)
                ? $"{group,-18} {name,-11} {value,12:N1} {unit}"
                : $"{group,-18} {name,-11} {value,12:N1} {unit}  {cpuMicroseconds,10:N1} cpu-us/{per}  {connections,6} conns" +
                  (work is { } w ? $"  {w.AllocatedBytes,10:N0} B/{per}  {w.WorkItems,7:N1} tp-items/{per}  {w.ContextSwitches,7:N1} ctx-sw/{per}" : ""));
        }

        /// <summary>What a case cost per MB (or request) beside CPU time, steadier than it on a busy machine: managed bytes
        /// allocated, thread-pool work items run (each a hand-off between threads), and context switches of the process.</summary>
        internal readonly record struct Work(double AllocatedBytes, double WorkItems, double ContextSwitches)
        {
            public static (long Allocated, long Items, long Switches) Now() =>
                (GC.GetTotalAllocatedBytes(), ThreadPool.CompletedWorkItemCount, ContextSwitchesOfProcess());

            public static Work Per((long Allocated, long Items, long Switches) before, double units)
            {
                var after = Now();
                return new Work((after.Allocated - before.Allocated) / units, (after.Items - before.Items) / units,
                    (after.Switches - before.Switches) / units);
            }

            // The sum over the process's threads of /proc's voluntary and involuntary switches (0 where there is no /proc).
            private static long ContextSwitchesOfProcess()
            {
                long total = 0;
                try
                {
                    foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
                    {
                        try
                        {
                            foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                                if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) ||
                                    line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                                    total += long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim(), CultureInfo.InvariantCulture);
                        }
                        catch (IOException) { }   // a thread that ended meanwhile
                    }
                }
                catch (IOException) { }
                return total;
            }
        }

        /// <summary>Runs <paramref name="loops"/> copies of <paramref name="body"/>, each repeated until stopped; measures the window.</summary>
        public async Task Run(string group, string name, string unit, TimeSpan warm, TimeSpan window, int loops,
            Func<Counter, CancellationToken, Task> body) =>
            await RunOnce(group, name, unit, warm, window, async (count, stop) =>
            {
                await Task.WhenAll(Enumerable.Range(0, loops).Select(_ => Task.Run(async () =>
                {
                    while (!stop.IsCancellationRequested) await body(count, stop);
                })));
            });

        /// <summary>Runs <paramref name="body"/> once until stopped; measures the counter over the window after the warm-up.</summary>
        public async Task RunOnce(string group, string name, string unit, TimeSpan warm, TimeSpan window,
            Func<Counter, CancellationToken, Task> body)
        {
            if (_only is not null && !group.StartsWith(_only, StringComparison.Ordinal)) return;
            if (_case is not null && name != _case) return;
            var count = new Counter();
            long acceptedBefore = Accepted.Value;
            using var stop = new CancellationTokenSource();
            var running = body(count, stop.Token);
            // The warm-up lasts at least until the first bytes or requests are counted: on a loaded machine the first
            // dials, JIT and materializations can take longer than the warm-up itself, and the window would measure them.
            await Task.Delay(warm);
            for (var waited = Stopwatch.StartNew(); count.Value == 0 && waited.Elapsed < TimeSpan.FromSeconds(30);)
                await Task.Delay(50);
            long before = count.Value;
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var workBefore = Work.Now();
            var clock = Stopwatch.StartNew();
            await Task.Delay(window);
            long after = count.Value;
            double seconds = clock.Elapsed.TotalSeconds;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            double units = unit == "MB/s" ? (after - before) / 1e6 : after - before;
            var work = units > 0 ? Work.Per(workBefore, units) : (Work?)null;
            stop.Cancel();
            await running.WaitAsync(TimeSpan.FromSeconds(60));
            double rate = (after - before) / seconds;
            // CPU time per MB (or per request), whole process (server included unless --nginx): on a busy machine a steadier
            // figure than the rate.
            Add(group, name, unit, unit == "MB/s" ? rate / 1e6 : rate, units > 0 ? cpu.TotalMicroseconds / units : double.NaN,
                Accepted.Value - acceptedBefore, work);
        }

        public void PrintRatios()
        {
            Console.WriteLine("# ratios (goal: source >= 0.9x stream, flow >= 0.9x sendasync)");
            foreach (var group in _values.Keys.Select(k => k.Group).Distinct())
            {
                Ratio(group, "source", "stream");
                Ratio(group, "source", "httpclient");
                Ratio(group, "stream", "httpclient");
                Ratio(group, "stream", "wrk");
                Ratio(group, "flow", "sendasync");
            }
        }

        private void Ratio(string group, string a, string b)
        {
            if (_values.TryGetValue((group, a), out var x) && _values.TryGetValue((group, b), out var y) && y > 0)
                Console.WriteLine($"{group,-18} {a}/{b,-11} {x / y,8:0.00}x");
        }
    }
}
