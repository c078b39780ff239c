using System.Collections.Concurrent;
using System.Diagnostics;
using ActorHttp.Client;
using ActorHttp.Server;

namespace ActorHttp.Faults.Table;

/// <summary>
/// transport-stops: the client side of shutdown. The load's transport is stopped (<c>ActorTransport.DisposeAsync</c>,
/// which stops its actor and every connection) while requests are in flight in a handler that takes 200 ms, and the
/// load goes on calling the stopped transport for a second.
/// </summary>
public sealed class TransportStops : IFault
{
    /// <inheritdoc />
    public string Name => "transport-stops";

    /// <inheritdoc />
    public string Does => "the client's transport is stopped (DisposeAsync) with requests in flight, and called again afterwards";

    /// <inheritdoc />
    public string PassesWhen => "every request in flight or sent after the stop ends with a typed error (or its answer) within FailFast (1 s); the client's sockets close and its open-connection meter returns to zero";

    /// <inheritdoc />
    public async Task<FaultResult> RunAsync(FaultScale scale)
    {
        await using var run = FaultRun.Create(Name, scale);
        var server = await run.StartServerAsync(new ServeMux().HandleFunc("GET /slow", async (w, _) =>
        {
            await Task.Delay(200);
            await w.WriteAsync("ok");
        }));
        var (transport, client) = run.CreateClient();
        var uri = new Uri($"http://{server.LocalEndPoint}/slow");

        var clock = Stopwatch.StartNew();
        var stoppedAt = double.MaxValue;
        var records = new ConcurrentQueue<(double StartMs, Outcome Outcome)>();
        await using var load = await LoadRun.StartAsync(new Load((_, _) => Exchanges.SendAsync(client, ClientRequest.Get(uri)), scale.LoadRate, scale.LoadWorkers * 8, run.HungAfter)
        {
            OnOutcome = (_, phase, o) =>
            {
                if (phase == LoadPhase.Fault) records.Enqueue((clock.Elapsed.TotalMilliseconds - o.LatencyMs, o));
            },
        }, scale.Baseline);
        var openBefore = Meters.ClientConnections;
        var inFlight = Meters.ServerActiveRequests;
        stoppedAt = clock.Elapsed.TotalMilliseconds;
        await transport.DisposeAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        await load.StopAsync();
        var metricZero = await FaultRun.WaitUntilAsync(() => Meters.ClientConnections == 0, scale.Settle);
        // Whether the stopped transport's sockets really closed: the server sees its ends of them close.
        var socketsClosed = await FaultRun.WaitUntilAsync(() => LiveActors.Connections(server.Actor) == 0, scale.Settle);

        // Requests that were in flight at the stop, or started after it.
        var affected = records.Where(r => r.StartMs + r.Outcome.LatencyMs >= stoppedAt).ToArray();
        var late = affected.Where(r => r.Outcome.Kind != OutcomeKind.Answered && r.StartMs + r.Outcome.LatencyMs - Math.Max(r.StartMs, stoppedAt) > scale.FailFast.TotalMilliseconds).ToArray();
        var kinds = affected.Where(r => r.Outcome.Kind == OutcomeKind.FailedTyped).GroupBy(r => r.Outcome.Error!.Kind).OrderBy(g => g.Key)
            .Select(g => $"{g.Key}:{g.Count()}");
        var lateKinds = late.GroupBy(r => r.Outcome.Error?.Kind.ToString() ?? r.Outcome.Kind.ToString()).OrderBy(g => g.Key)
            .Select(g => $"{g.Key}_after_{Math.Round(g.Average(r => r.Outcome.LatencyMs) / 1000, 1)}s:{g.Count()}");
        return new FaultResult(Name, load.Window, load.Baseline.Latencies.P99)
            .Add("in_flight_at_stop", inFlight).Add("affected", affected.Length).Add("kinds", affected.Length == 0 ? "none" : string.Join(',', kinds))
            .Add("not_fast", late.Length).Add("not_fast_kinds", late.Length == 0 ? "none" : string.Join(',', lateKinds))
            .Add("open_conns_before", openBefore).Add("open_conns_metric_after", Meters.ClientConnections)
            .Add("server_conns_after", LiveActors.Connections(server.Actor))
            .Require(late.Length == 0, "failures_not_fast").Require(metricZero, "open_connections_metric_not_zero")
            .Require(socketsClosed, "client_sockets_not_closed");
    }
}
