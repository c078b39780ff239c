using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using ActorHttp.Client;
using ActorHttp.Server;

namespace ActorHttp.Faults.Table;

/// <summary>
/// shutdown-under-load: 256 client workers keep requests in handlers that take up to a quarter of the deadline, and 16
/// raw connections pipeline four requests at a time; once 256 requests are in their handlers, the server is shut down
/// gracefully (<c>HttpServer.ShutdownAsync(deadline)</c>) and the load carries on until it is done. Every request
/// carries an id and the handler records the ids it started, so each outcome is judged against whether its handler ran.
/// </summary>
public sealed class ShutdownUnderLoad : IFault
{
    private const int PipelineConnections = 16;
    private const int PipelineDepth = 4;

    /// <inheritdoc />
    public string Name => "shutdown-under-load";

    /// <inheritdoc />
    public string Does => "graceful shutdown (HttpServer.ShutdownAsync) while 256 requests are in their handlers and 16 raw connections pipeline";

    /// <inheritdoc />
    public string PassesWhen => "every request whose handler ran is answered 200; every other one gets 503 or, if the server never read it, a typed error (refused connect, connection closed); queued pipelined requests get 503; the shutdown ends within its deadline (plus TimerSlack) and leaves no connection";

    /// <inheritdoc />
    public async Task<FaultResult> RunAsync(FaultScale scale)
    {
        await using var run = FaultRun.Create(Name, scale);
        var started = new ConcurrentDictionary<string, bool>();
        long running = 0;
        var longest = scale.ShutdownDeadline / 4;
        var mux = new ServeMux().HandleFunc("GET /work", async (w, r) =>
        {
            var id = r.Headers.GetValue("X-Id") ?? "";
            started[id] = true;
            Interlocked.Increment(ref running);
            try
            {
                // 50 ms up to a quarter of the deadline, by id: every handler can finish in time.
                var ms = 50 + (int)(Mix.Hash(scale.Seed, id.GetHashCode(StringComparison.Ordinal)) % (ulong)Math.Max(1, longest.TotalMilliseconds - 50));
                await Task.Delay(ms);
                await w.WriteAsync("ok");
            }
            finally
            {
                Interlocked.Decrement(ref running);
            }
        });
        var server = await run.StartServerAsync(mux);
        var (_, client) = run.CreateClient();
        var uri = new Uri($"http://{server.LocalEndPoint}/work");

        // A request belongs to the fault window when it ended after the shutdown began (so the requests in their
        // handlers at that moment are judged), to the baseline when it ended before.
        var judged = new Judged();
        var baseline = new Tally();
        var window = new Tally();
        var shutdownAt = long.MaxValue;
        using var stop = new CancellationTokenSource();
        long nextId = 0;
        var workers = Enumerable.Range(0, scale.ShutdownInFlight).Select(_ => Task.Run(async () =>
        {
            var scratch = new Tally();
            while (!stop.IsCancellationRequested)
            {
                var id = "c" + Interlocked.Increment(ref nextId).ToString(CultureInfo.InvariantCulture);
                var outcome = await Exchanges.TrackAsync(scratch, () => Exchanges.SendAsync(client, ClientRequest.Get(uri).WithHeader("X-Id", id)), run.HungAfter);
                var inFault = Stopwatch.GetTimestamp() >= Volatile.Read(ref shutdownAt);
                (inFault ? window : baseline).Add(outcome);
                if (inFault) judged.Client(id, outcome, started.ContainsKey(id));
                // A refused connect comes back at once: no point in spinning on it.
                if (outcome.Kind != OutcomeKind.Answered) await Task.Delay(100);
            }
        })).ToList();
        var pipelines = Enumerable.Range(0, PipelineConnections).Select(k => Task.Run(() =>
            PipelineAsync(server.LocalEndPoint, k, () => Stopwatch.GetTimestamp() >= Volatile.Read(ref shutdownAt), started, judged, stop.Token))).ToList();

        // Baseline: handler time plus queueing; then wait for the in-flight mark and shut down.
        await Task.Delay(scale.Baseline);
        var reached = await FaultRun.WaitUntilAsync(() => Interlocked.Read(ref running) >= scale.ShutdownInFlight, TimeSpan.FromSeconds(10));
        var inFlight = Interlocked.Read(ref running);
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref shutdownAt, Stopwatch.GetTimestamp());
        var shutdown = server.ShutdownAsync(scale.ShutdownDeadline);
        var finished = await Task.WhenAny(shutdown, Task.Delay(scale.ShutdownDeadline + scale.TimerSlack * 2)) == shutdown;
        var shutdownMs = clock.Elapsed.TotalMilliseconds;
        // The load keeps knocking for a second after the server is gone.
        await Task.Delay(1000);
        await stop.CancelAsync();
        await Task.WhenAll(workers.Concat(pipelines));
        var connsLeft = LiveActors.Connections(server.Actor);

        return new FaultResult(Name, window, baseline.Latencies.P99)
            .Add("in_flight_at_shutdown", inFlight).Add("shutdown_ms", Math.Round(shutdownMs)).Add("deadline_ms", scale.ShutdownDeadline.TotalMilliseconds)
            .Add("answered_200", judged.Answered).Add("refused_503", judged.Refused503).Add("refused_typed", judged.RefusedTyped)
            .Add("refused_kinds", judged.KindSummary())
            .Add("inflight_dropped", judged.InflightDropped).Add("503_after_handler_ran", judged.AfterHandler503).Add("other_status", judged.OtherStatus)
            .Add("pipelined", judged.Pipelined).Add("pipelined_200", judged.Pipelined200).Add("pipelined_503", judged.Pipelined503)
            .Add("pipelined_unread", judged.PipelinedUnread).Add("pipelined_lost", judged.PipelinedLost)
            .Add("conns_left", connsLeft)
            .Require(reached, "in_flight_not_reached")
            .Require(finished && shutdownMs <= (scale.ShutdownDeadline + scale.TimerSlack).TotalMilliseconds, "shutdown_over_deadline")
            .Require(judged.InflightDropped == 0, "inflight_dropped").Require(judged.AfterHandler503 == 0, "503_after_handler_ran")
            .Require(judged.OtherStatus == 0, "other_status").Require(judged.PipelinedLost == 0, "pipelined_lost")
            .Require(connsLeft == 0, "connections_left_open");
    }

    // One raw connection at a time: four requests in one write, then their responses; again until the server is gone.
    private static async Task PipelineAsync(IPEndPoint endPoint, int k, Func<bool> faulting, ConcurrentDictionary<string, bool> started, Judged judged, CancellationToken stop)
    {
        var batch = 0;
        while (!stop.IsCancellationRequested)
        {
            using var socket = await Raw.ConnectAsync(endPoint, TimeSpan.FromSeconds(5));
            if (socket is null)
            {
                await Task.Delay(10, CancellationToken.None);
                continue;
            }
            while (!stop.IsCancellationRequested)
            {
                var ids = Enumerable.Range(0, PipelineDepth).Select(i => string.Create(CultureInfo.InvariantCulture, $"p{k}-{batch}-{i}")).ToArray();
                batch++;
                var bytes = Encoding.ASCII.GetBytes(string.Concat(ids.Select(id => $"GET /work HTTP/1.1\r\nHost: pipeline\r\nX-Id: {id}\r\n\r\n")));
                var start = Stopwatch.GetTimestamp();
                var reading = Raw.ReadAsync(socket, start, TimeSpan.FromSeconds(30), (data, n) => CountResponses(data, n) >= PipelineDepth);
                var sent = await Raw.SendAsync(socket, bytes);
                var read = await reading;
                var inFault = faulting();
                var statuses = ResponseScan.Scan(read.Data, read.End != RawEnd.Stopped, Protocol.RequestMethod.Get, out _, out _).Select(r => r.Status).ToList();
                if (inFault) judged.Pipeline(ids, statuses, sent, id => started.ContainsKey(id));
                if (read.End != RawEnd.Stopped || statuses.Any(s => s != 200)) break;   // closed: a new connection
            }
        }
    }

    private static int CountResponses(byte[] data, int n)
    {
        var count = 0;
        var span = data.AsSpan(0, n);
        int at;
        while ((at = span.IndexOf("HTTP/1.1 "u8)) >= 0)
        {
            count++;
            span = span[(at + 9)..];
        }
        // A response is whole once its body ("ok", or a 503's text) is in; the count is only a hint to stop reading.
        return data.AsSpan(0, n).EndsWith("ok"u8) || data.AsSpan(0, n).EndsWith("\n"u8) ? count : count - 1;
    }

    private sealed class Judged
    {
        public long Answered, Refused503, RefusedTyped, InflightDropped, AfterHandler503, OtherStatus;
        public long Pipelined, Pipelined200, Pipelined503, PipelinedUnread, PipelinedLost;
        private readonly ConcurrentDictionary<string, long> _kinds = new();

        public void Client(string id, Outcome o, bool handlerRan)
        {
            switch (o.Kind)
            {
                case OutcomeKind.Answered when o.Status == 200: Interlocked.Increment(ref Answered); break;
                case OutcomeKind.Answered when o.Status == 503:
                    Interlocked.Increment(ref handlerRan ? ref AfterHandler503 : ref Refused503);
                    break;
                case OutcomeKind.Answered: Interlocked.Increment(ref OtherStatus); break;
                case OutcomeKind.FailedTyped when handlerRan:
                    Interlocked.Increment(ref InflightDropped);
                    if (Trace.Enabled) Trace.Write($"shutdown-under-load: request {id} ran its handler and failed {o.Error!.Kind} (written {o.Error.RequestWritten})");
                    break;
                case OutcomeKind.FailedTyped:
                    Interlocked.Increment(ref RefusedTyped);
                    _kinds.AddOrUpdate(o.Error!.Kind.ToString(), 1, static (_, n) => n + 1);
                    break;
            }
        }

        public void Pipeline(string[] ids, List<int> statuses, bool sent, Func<string, bool> handlerRan)
        {
            for (var i = 0; i < ids.Length; i++)
            {
                Interlocked.Increment(ref Pipelined);
                var ran = handlerRan(ids[i]);
                if (i < statuses.Count)
                {
                    if (statuses[i] == 200) Interlocked.Increment(ref Pipelined200);
                    else if (statuses[i] == 503 && !ran) Interlocked.Increment(ref Pipelined503);
                    else if (statuses[i] == 503) Interlocked.Increment(ref AfterHandler503);
                    else Interlocked.Increment(ref OtherStatus);
                }
                else if (ran)
                {
                    Interlocked.Increment(ref InflightDropped);
                    if (Trace.Enabled) Trace.Write($"shutdown-under-load: pipelined {ids[i]} ran its handler and got no response");
                }
                // Nothing of the batch answered and no handler ran: the server never read it (closed first).
                else if (statuses.Count == 0 || !sent) Interlocked.Increment(ref PipelinedUnread);
                else
                {
                    // An earlier request of the same write was answered, so the server had this one too: it owed a 503.
                    Interlocked.Increment(ref PipelinedLost);
                    if (Trace.Enabled) Trace.Write($"shutdown-under-load: pipelined {ids[i]} was read (an earlier one of its write got {statuses[0]}) but got no response");
                }
            }
        }

        public string KindSummary() => _kinds.IsEmpty ? "none" : string.Join(',', _kinds.OrderBy(k => k.Key).Select(k => $"{k.Key}:{k.Value}"));
    }
}
