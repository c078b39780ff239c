using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ActorHttp.Client.Transport;
using ActorHttp.Server;

namespace ActorHttp.Faults.Table;

/// <summary>
/// slowloris: raw connections that send a request head one byte per second and never finish it, while the load runs.
/// The server's header timeout (from accept, for a connection's first request) must answer each with 408 and close it.
/// The slow clients run in a helper process, so that the load's p99 measures the server, not the attackers' own work.
/// </summary>
public sealed class Slowloris : IFault
{
    /// <inheritdoc />
    public string Name => "slowloris";

    /// <inheritdoc />
    public string Does => "1,000 raw connections, opened over one second, send a request head one byte per second, never ending it, under the load";

    /// <inheritdoc />
    public string PassesWhen => "each slow connection gets 408 and a close at the header timeout (not before it, at most TimerSlack after), the load is answered 200 and its p99 stays within 2x its baseline";

    /// <inheritdoc />
    public async Task<FaultResult> RunAsync(FaultScale scale)
    {
        var timeout = scale.SlowlorisHeaderTimeout;
        await using var run = FaultRun.Create(Name, scale, $"actorhttp.server.header-read-timeout = {timeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms");
        var server = await run.StartServerAsync(new ServeMux().HandleFunc("GET /load", (w, _) => w.WriteAsync("ok").AsTask()));
        var (transport, client) = run.CreateClient();
        await using var load = await LoadRun.StartAsync(run.CreateLoad(client, new Uri($"http://{server.LocalEndPoint}/load")), scale.Baseline);

        var deadline = timeout + scale.TimerSlack;
        var (results, gcPause, settled, serverConns, clientConns) = await SlowClients.RunUnderLoadAsync(
            Name, SlowClients.Kind.Loris, run, server, transport, load, scale.SlowlorisConnections, deadline);

        var window = load.Window;
        var got408 = results.Count(r => r.Status == 408);
        var closedAfter408 = results.Count(r => r.Status == 408 && r.End != RawEnd.Deadline);
        var early = results.Count(r => r.Status == 408 && r.FirstByteMs < timeout.TotalMilliseconds - 50);
        var late = results.Count(r => r.Status == 408 && r.FirstByteMs > deadline.TotalMilliseconds);
        var hung = results.Count(r => r.Status == 0 && r.End == RawEnd.Deadline);
        var at408 = results.Where(r => r.Status == 408).Select(r => r.FirstByteMs).DefaultIfEmpty(double.NaN).ToArray();
        window.AddHung(hung);
        var p99 = window.Latencies.P99;
        var baseline = load.Baseline.Latencies.P99;
        var loadNot200 = window.Requests - window.Statuses.GetValueOrDefault(200);
        return new FaultResult(Name, window, baseline)
            .Add("slow_conns", results.Count).Add("connect_failed", scale.SlowlorisConnections - results.Count)
            .Add("got_408", got408).Add("closed_after_408", closedAfter408).Add("other_end", results.Count - got408 - hung)
            .Add("raw_hung", hung).Add("header_timeout_ms", timeout.TotalMilliseconds)
            .Add("t408_min_ms", at408.Min()).Add("t408_max_ms", at408.Max()).Add("early_408", early).Add("late_408", late)
            .Add("load_not_200", loadNot200).Add("conns_left_server", serverConns).Add("conns_left_client", clientConns)
            .Add("gc_pause_ms", Math.Round(gcPause.TotalMilliseconds)).Add("scale", scale.Name)
            .Require(results.Count == scale.SlowlorisConnections, "connect_failed")
            .Require(got408 == results.Count && closedAfter408 == got408, "not_all_408_and_close")
            .Require(early == 0 && late == 0, "408_not_at_header_timeout")
            .Require(p99 <= scale.P99Factor * baseline, "p99_over_2x_baseline")
            .Require(loadNot200 == 0, "load_affected").Require(settled, "connections_left_open");
    }
}

/// <summary>
/// Raw connections opened together that send a prepared byte sequence slowly (one tick's worth each tick, each
/// connection on its own phase within the tick) and are read until the server answers and closes, or a deadline.
/// </summary>
public sealed class SlowClients : IDisposable
{
    private readonly List<Conn> _conns = [];
    private readonly byte[] _bytes;
    private readonly int _prefix;

    private sealed class Conn(Socket socket, long opened)
    {
        public Socket Socket { get; } = socket;
        public long Opened { get; } = opened;
        public int Sent;
        public volatile bool Answered;
        public Task<RawRead> Reading { get; set; } = null!;
    }

    /// <summary>What one slow connection saw: the first status (0: none), how it ended, when the first byte came.</summary>
    public sealed record Result(int Status, RawEnd End, double FirstByteMs, double EndMs);

    /// <summary>The two slow clients: a head one byte a second (slowloris), a body 100 B/s after a whole head (slow-body).</summary>
    public enum Kind
    {
        /// <summary>A head that never ends: a request line, then one long header value, one byte per second.</summary>
        Loris,
        /// <summary>A whole head declaring a 1,000,000-byte body, then the body at 100 B/s (10 bytes every 100 ms).</summary>
        Body,
    }

    /// <summary>The bytes a <paramref name="kind"/> sends, how many go at once, and how many per tick of what length.</summary>
    public static (byte[] Bytes, int Prefix, int PerTick, TimeSpan Tick) Script(Kind kind)
    {
        if (kind == Kind.Loris)
            return (Encoding.ASCII.GetBytes("GET /load HTTP/1.1\r\nHost: slowloris\r\nX-Slow: " + new string('s', 4000)), 0, 1, TimeSpan.FromSeconds(1));
        const int bodyLength = 1_000_000;
        var head = Encoding.ASCII.GetBytes($"POST /upload HTTP/1.1\r\nHost: slow-body\r\nContent-Type: application/octet-stream\r\nContent-Length: {bodyLength}\r\n\r\n");
        var bytes = new byte[head.Length + bodyLength];
        head.CopyTo(bytes, 0);
        bytes.AsSpan(head.Length).Fill((byte)'b');
        return (bytes, head.Length, 10, TimeSpan.FromMilliseconds(100));
    }

    /// <summary>
    /// The slow clients' part of a fault: runs them in a helper process while <paramref name="load"/> runs, then stops
    /// the load, traces its timeline and settles the run's connections. Returns what each client saw, the GC pause
    /// time while they ran, and what settling left.
    /// </summary>
    public static async Task<(List<Result> Results, TimeSpan GcPause, bool Settled, int ServerConns, int ClientConns)> RunUnderLoadAsync(
        string fault, Kind kind, FaultRun run, HttpServer server, ActorTransport transport, LoadRun load, int count, TimeSpan deadline)
    {
        var gcBefore = GC.GetTotalPauseDuration();
        List<Result> results;
        using (GcTrace.Start(fault))
        {
            results = await RunInHelperAsync(kind, server.LocalEndPoint, count, deadline);
            await load.StopAsync();
        }
        var gcPause = GC.GetTotalPauseDuration() - gcBefore;
        load.Load.TraceTimeline(fault, TimeSpan.FromMilliseconds(250));
        var (settled, serverConns, clientConns) = await run.SettleAsync(server, transport);
        return (results, gcPause, settled, serverConns, clientConns);
    }

    /// <summary>
    /// Runs <paramref name="count"/> slow clients of <paramref name="kind"/> in a helper process (<c>--helper slow</c>), so
    /// that their sockets, buffers and garbage are not in the server's process, and returns what each saw.
    /// </summary>
    public static async Task<List<Result>> RunInHelperAsync(Kind kind, IPEndPoint endPoint, int count, TimeSpan deadline)
    {
        using var helper = Helpers.Start("slow", kind.ToString(), endPoint.Port.ToString(CultureInfo.InvariantCulture),
            count.ToString(CultureInfo.InvariantCulture), ((long)deadline.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        var results = new List<Result>();
        using var cts = new CancellationTokenSource(deadline + ArrivalSpread + TimeSpan.FromSeconds(60));
        while (await helper.StandardOutput.ReadLineAsync(cts.Token) is { } line && line != "DONE")
        {
            var f = line.Split(' ');
            if (f is not ["R", var status, var end, var first, var last]) continue;
            results.Add(new Result(int.Parse(status, CultureInfo.InvariantCulture), Enum.Parse<RawEnd>(end),
                double.Parse(first, CultureInfo.InvariantCulture), double.Parse(last, CultureInfo.InvariantCulture)));
        }
        await helper.WaitForExitAsync(cts.Token);
        return results;
    }

    /// <summary>The helper's side: runs the clients here and prints <c>R status end first_ms end_ms</c> per connection, then <c>DONE</c>.</summary>
    public static async Task<int> RunHelperAsync(Kind kind, IPEndPoint endPoint, int count, TimeSpan deadline)
    {
        var (bytes, prefix, perTick, tick) = Script(kind);
        var slow = await OpenAsync(endPoint, count, bytes, deadline, prefix).ConfigureAwait(false);
        using var drip = new CancellationTokenSource();
        var dripping = slow.DripAsync(perTick, tick, drip.Token);
        var results = await slow.ReadAllAsync().ConfigureAwait(false);
        await drip.CancelAsync().ConfigureAwait(false);
        await dripping.ConfigureAwait(false);
        slow.Dispose();
        foreach (var r in results)
            Console.Out.WriteLine(FormattableString.Invariant($"R {r.Status} {r.End} {r.FirstByteMs:F1} {r.EndMs:F1}"));
        Console.Out.WriteLine("DONE");
        Console.Out.Flush();
        return 0;
    }

    private SlowClients(byte[] bytes, int prefix)
    {
        _bytes = bytes;
        _prefix = prefix;
    }

    /// <summary>How long opening the connections takes: they arrive one after another over a second, as a real
    /// attack's do, not in one burst (which would also bring all their timeouts due in the same few milliseconds).</summary>
    public static readonly TimeSpan ArrivalSpread = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Opens <paramref name="count"/> connections, evenly over <see cref="ArrivalSpread"/>, and sends each the first
    /// <paramref name="prefix"/> bytes of <paramref name="bytes"/> at once (0: none). Each is read from the start
    /// until it closes or <paramref name="deadline"/> after it opened.
    /// </summary>
    public static async Task<SlowClients> OpenAsync(IPEndPoint endPoint, int count, byte[] bytes, TimeSpan deadline, int prefix = 0)
    {
        var clients = new SlowClients(bytes, prefix);
        var bag = new ConcurrentBag<Conn>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            var due = ArrivalSpread * i / count - clock.Elapsed;
            if (due > TimeSpan.Zero) await Task.Delay(due).ConfigureAwait(false);
            {
                // Times are taken from before the connect, the one instant known to precede the server's accept (which
                // arms its header timeout). Stamped after the connect's continuation ran, a 408 looked early whenever that
                // continuation came late, as it does on a busy machine (141 ms once, early_408=2).
                var connecting = Stopwatch.GetTimestamp();
                var socket = await Raw.ConnectAsync(endPoint, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
                if (socket is null) return;
                var conn = new Conn(socket, connecting);
                conn.Reading = Raw.ReadAsync(socket, conn.Opened, deadline);
                if (prefix > 0 && await Raw.SendAsync(socket, bytes.AsMemory(0, prefix)).ConfigureAwait(false)) conn.Sent = prefix;
                bag.Add(conn);
            }
        })).ConfigureAwait(false);
        clients._conns.AddRange(bag);
        return clients;
    }

    /// <summary>
    /// Each <paramref name="tick"/>, sends every unanswered connection its next <paramref name="bytesPerTick"/> bytes,
    /// connections spread evenly over the tick (one due check every 10 ms), until <paramref name="stop"/>.
    /// </summary>
    public async Task DripAsync(int bytesPerTick, TimeSpan tick, CancellationToken stop)
    {
        var step = TimeSpan.FromMilliseconds(10);
        var ticks = new long[_conns.Count];
        for (var i = 0; i < ticks.Length; i++) ticks[i] = 1;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                for (var i = 0; i < _conns.Count; i++)
                {
                    var c = _conns[i];
                    if (c.Answered || c.Sent >= _bytes.Length) continue;
                    // Connection i's k-th send is due k ticks after it opened.
                    if (Stopwatch.GetElapsedTime(c.Opened) < tick * ticks[i]) continue;
                    ticks[i]++;
                    var n = Math.Min(bytesPerTick, _bytes.Length - c.Sent);
                    try
                    {
                        c.Socket.Send(_bytes.AsSpan(c.Sent, n), SocketFlags.None);
                        c.Sent += n;
                    }
                    catch (SocketException)
                    {
                        c.Answered = true;   // the server closed it; its reader reports how
                    }
                }
                await Task.Delay(step, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Waits for every connection to close or reach its deadline; the first status each saw.</summary>
    public async Task<List<Result>> ReadAllAsync()
    {
        var results = await Task.WhenAll(_conns.Select(async c =>
        {
            var read = await c.Reading.ConfigureAwait(false);
            c.Answered = true;
            var status = 0;
            var text = Encoding.Latin1.GetString(read.Data);
            if (text.StartsWith("HTTP/1.", StringComparison.Ordinal) && text.Length >= 12)
                int.TryParse(text.AsSpan(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out status);
            return new Result(status, read.End, read.FirstByteMs, read.EndMs);
        })).ConfigureAwait(false);
        return [.. results];
    }

    /// <summary>Closes every connection.</summary>
    public void Dispose()
    {
        foreach (var c in _conns) c.Socket.Dispose();
    }
}
