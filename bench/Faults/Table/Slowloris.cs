using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ActorHttp.Server;

namespace ActorHttp.Faults.Table;

/// <summary>
/// slowloris: raw connections that send a request head one byte per second and never finish it, while the load runs.
/// The server's header timeout (from accept, for a connection's first request) must answer each with 408 and close it.
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
        var slow = await SlowClients.OpenAsync(server.LocalEndPoint, scale.SlowlorisConnections, OneByteHead(), deadline);
        using var drip = new CancellationTokenSource();
        var dripping = slow.DripAsync(bytesPerTick: 1, tick: TimeSpan.FromSeconds(1), drip.Token);
        var results = await slow.ReadAllAsync();
        await drip.CancelAsync();
        await dripping;
        await load.StopAsync();
        load.Load.TraceTimeline(Name, TimeSpan.FromMilliseconds(250));
        slow.Dispose();
        var (settled, serverConns, clientConns) = await run.SettleAsync(server, transport);

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
            .Add("scale", scale.Name)
            .Require(results.Count == scale.SlowlorisConnections, "connect_failed")
            .Require(got408 == results.Count && closedAfter408 == got408, "not_all_408_and_close")
            .Require(early == 0 && late == 0, "408_not_at_header_timeout")
            .Require(p99 <= scale.P99Factor * baseline, "p99_over_2x_baseline")
            .Require(loadNot200 == 0, "load_affected").Require(settled, "connections_left_open");
    }

    // A head that never ends: a request line, then one long header value.
    private static byte[] OneByteHead() => Encoding.ASCII.GetBytes("GET /load HTTP/1.1\r\nHost: slowloris\r\nX-Slow: " + new string('s', 4000));
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
                var socket = await Raw.ConnectAsync(endPoint, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
                if (socket is null) return;
                var conn = new Conn(socket, Stopwatch.GetTimestamp());
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
