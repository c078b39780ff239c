using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ActorHttp.Protocol;
using ActorHttp.Server;

namespace ActorHttp.Faults.Table;

/// <summary>
/// garbage: seeded random and mutated request heads (<see cref="GarbageCorpus"/>), each on its own raw connection.
/// Three in four connections half-close after their bytes (the server sees the end of the stream); the rest stay
/// open, so that an incomplete head meets the header timeout (2 s here) and an incomplete body the minimum body rate
/// (408 after its 5 s grace). Each connection is read until the server closes it, or until the later of those two
/// rules plus slack: a half-closed connection still open then was answered but its end of stream went unnoticed.
/// </summary>
public sealed class Garbage : IFault
{
    // Statuses a server sends for a request it refuses itself, after which the stream cannot be trusted: each must be
    // followed by a close. (404 and 405 answer valid requests and keep the connection.)
    private static readonly HashSet<int> Refusals = [400, 408, 411, 413, 414, 417, 431, 500, 501, 505];

    /// <inheritdoc />
    public string Name => "garbage";

    /// <inheritdoc />
    public string Does => "10,000 seeded random and mutated request heads, one raw connection each, under the load";

    /// <inheritdoc />
    public string PassesWhen => "each connection gets a 4xx/5xx and a close, or a close (a head still valid after mutation may be answered), no response is malformed, the load is answered 200 throughout and no connection is left open";

    /// <inheritdoc />
    public async Task<FaultResult> RunAsync(FaultScale scale)
    {
        var headerTimeout = scale.GarbageHeaderTimeout;
        await using var run = FaultRun.Create(Name, scale, $"actorhttp.server.header-read-timeout = {headerTimeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms");
        // A connection that stops sending is answered by one of two rules: the header timeout (a head left
        // incomplete) or the minimum body rate, checked each second after its grace period (a body left incomplete).
        var settings = run.Http.ServerSettings;
        var deadline = (headerTimeout > settings.RequestBodyMinDataRateGracePeriod + TimeSpan.FromSeconds(1)
            ? headerTimeout : settings.RequestBodyMinDataRateGracePeriod + TimeSpan.FromSeconds(1)) + scale.TimerSlack;
        var mux = new ServeMux()
            .HandleFunc("GET /load", (w, _) => w.WriteAsync("ok").AsTask())
            .HandleFunc("GET /{$}", (w, _) => w.WriteAsync("root").AsTask())
            .HandleFunc("GET /hello", (w, _) => w.WriteAsync("hello").AsTask())
            .HandleFunc("POST /echo", (w, r) => r.Body.CopyToAsync(w.Body));
        var server = await run.StartServerAsync(mux);
        var (transport, client) = run.CreateClient();
        await using var load = await LoadRun.StartAsync(run.CreateLoad(client, new Uri($"http://{server.LocalEndPoint}/load")), scale.Baseline);

        var counts = new Counts();
        using var gate = new SemaphoreSlim(scale.GarbageConcurrency);
        var probes = new List<Task>(scale.GarbageCount);
        for (var i = 0; i < scale.GarbageCount; i++)
        {
            await gate.WaitAsync();
            var index = i;
            probes.Add(Task.Run(async () =>
            {
                try
                {
                    await ProbeAsync(server.LocalEndPoint, GarbageCorpus.Make(scale.Seed, index), halfClose: index % 4 != 0, deadline, counts, index);
                }
                finally
                {
                    gate.Release();
                }
            }));
        }
        await Task.WhenAll(probes);
        await load.StopAsync();
        var (settled, serverConns, clientConns) = await run.SettleAsync(server, transport);
        if (Trace.Enabled) TraceLeftOpen(server.LocalEndPoint.Port, counts, scale.Seed);

        var window = load.Window;
        window.AddHung(counts.Hung);
        var loadNot200 = window.Requests - window.Statuses.GetValueOrDefault(200);
        return new FaultResult(Name, window, load.Baseline.Latencies.P99)
            .Add("heads", scale.GarbageCount).Add("refused_and_closed", counts.RefusedClosed).Add("closed_only", counts.ClosedOnly)
            .Add("reset", counts.Reset).Add("answered_valid", counts.AnsweredValid).Add("refusal_kept_open", counts.RefusalKeptOpen)
            .Add("eof_ignored", counts.EofIgnored)
            .Add("malformed_response", counts.Malformed).Add("connect_failed", counts.ConnectFailed).Add("raw_hung", counts.Hung)
            .Add("statuses", counts.StatusSummary()).Add("load_not_200", loadNot200)
            .Add("conns_left_server", serverConns).Add("conns_left_client", clientConns)
            .Require(counts.RefusalKeptOpen == 0, "refusal_kept_open").Require(counts.EofIgnored == 0, "eof_ignored").Require(counts.Malformed == 0, "malformed_response")
            .Require(counts.ConnectFailed == 0, "connect_failed").Require(loadNot200 == 0, "load_affected")
            .Require(settled, "connections_left_open");
    }

    // With FAULTS_TRACE set: the heads of the connections the server still holds (its peers' ports, from /proc/net/tcp).
    private static void TraceLeftOpen(int port, Counts counts, int seed)
    {
        foreach (var (remote, state) in ProcessFacts.TcpPeersOf(port))
            if (counts.Ports.TryGetValue(remote, out var index))
                Trace.Write($"garbage: server still holds head {index} (state {state}, half-closed {index % 4 != 0}, outcome {counts.Outcomes.GetValueOrDefault(index)}): {Trace.Escape(GarbageCorpus.Make(seed, index))}");
    }

    private static async Task ProbeAsync(IPEndPoint endPoint, byte[] head, bool halfClose, TimeSpan deadline, Counts counts, int index)
    {
        var start = Stopwatch.GetTimestamp();
        using var socket = await Raw.ConnectAsync(endPoint, TimeSpan.FromSeconds(5));
        if (socket is null)
        {
            counts.Add(ref counts.ConnectFailed);
            return;
        }
        if (Trace.Enabled) counts.Ports[((IPEndPoint)socket.LocalEndPoint!).Port] = index;

        // The server may answer and close before every byte is out (a refused line): a failed send is not a failure.
        var reading = Raw.ReadAsync(socket, start, deadline);
        if (await Raw.SendAsync(socket, head) && halfClose)
        {
            try
            {
                socket.Shutdown(SocketShutdown.Send);
            }
            catch (SocketException)
            {
            }
        }
        var read = await reading;

        var method = head.AsSpan().StartsWith("CONNECT "u8) ? RequestMethod.Connect : RequestMethod.Get;
        var responses = ResponseScan.Scan(read.Data, read.End != RawEnd.Deadline, method, out var malformed, out _);
        foreach (var r in responses) counts.Status(r.Status);
        if (malformed)
        {
            counts.Add(ref counts.Malformed);
            return;
        }

        var refusal = responses.FirstOrDefault(r => Refusals.Contains(r.Status));
        if (Trace.Enabled) counts.Outcomes[index] = $"{read.End}/{string.Join('+', responses.Select(r => r.Status))}";
        switch (read.End)
        {
            case RawEnd.Closed or RawEnd.Reset when responses.Count == 0:
                counts.Add(ref read.End == RawEnd.Reset ? ref counts.Reset : ref counts.ClosedOnly);
                break;
            case RawEnd.Closed or RawEnd.Reset when refusal.Status != 0:
                counts.Add(ref counts.RefusedClosed);
                break;
            case RawEnd.Closed or RawEnd.Reset:
                counts.Add(ref counts.AnsweredValid);
                break;
            // Still open at the deadline: fine after answers to a valid request kept alive, wrong after a refusal or
            // after the client had closed its side (the server answered but never saw the end of the stream),
            // hung when nothing came back at all.
            case RawEnd.Deadline when refusal.Status != 0:
                counts.Add(ref counts.RefusalKeptOpen);
                break;
            case RawEnd.Deadline when responses.Count > 0 && halfClose:
                counts.Add(ref counts.EofIgnored);
                if (Trace.Enabled) Trace.Write($"garbage: head {index} answered {responses[^1].Status} after the client's half-close, connection left open: {Trace.Escape(head)}");
                break;
            case RawEnd.Deadline when responses.Count > 0 && responses[^1].KeepAlive:
                counts.Add(ref counts.AnsweredValid);
                break;
            default:
                counts.Add(ref counts.Hung);
                if (Trace.Enabled) Trace.Write($"garbage: head {index} hung (half-closed {halfClose}, {read.Data.Length} bytes back): {Trace.Escape(head)}");
                break;
        }
    }

    private sealed class Counts
    {
        public long RefusedClosed, ClosedOnly, Reset, AnsweredValid, RefusalKeptOpen, EofIgnored, Malformed, ConnectFailed, Hung;
        private readonly System.Collections.Concurrent.ConcurrentDictionary<int, long> _statuses = new();
        public readonly System.Collections.Concurrent.ConcurrentDictionary<int, int> Ports = new();
        public readonly System.Collections.Concurrent.ConcurrentDictionary<int, string> Outcomes = new();

        public void Add(ref long field) => Interlocked.Increment(ref field);

        public void Status(int status) => _statuses.AddOrUpdate(status, 1, static (_, n) => n + 1);

        public string StatusSummary() =>
            string.Join(',', _statuses.OrderBy(s => s.Key).Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key}:{s.Value}")));
    }
}
