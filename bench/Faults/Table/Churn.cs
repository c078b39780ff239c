using System.Diagnostics;
using ActorHttp.Client;
using ActorHttp.Client.Transport;
using ActorHttp.Server;

namespace ActorHttp.Faults.Table;

/// <summary>
/// churn: a million requests as fast as the machine goes, every tenth with <c>Connection: close</c> so that the
/// next one dials, between two censuses taken the same way: idle connections closed on the client, both ends settled,
/// then live actors under the server and the transport, open connections by both meters, this process's socket
/// descriptors, and the managed heap after a full compacting GC. A leak of a connection actor, a socket or a few
/// hundred bytes per connection shows as growth.
/// </summary>
public sealed class Churn : IFault
{
    /// <inheritdoc />
    public string Name => "churn";

    /// <inheritdoc />
    public string Does => "1,000,000 requests (--quick: 100,000), every 10th with Connection: close so the next one dials a new connection";

    /// <inheritdoc />
    public string PassesWhen => "every request is answered 200, and after idle connections are closed and a full GC there is no growth against the start in live actors, connections (server and client meters), socket descriptors, or managed memory (beyond ChurnMemoryTolerance)";

    /// <inheritdoc />
    public async Task<FaultResult> RunAsync(FaultScale scale)
    {
        await using var run = FaultRun.Create(Name, scale);
        var server = await run.StartServerAsync(new ServeMux().HandleFunc("GET /c", (w, _) => w.WriteAsync("ok").AsTask()));
        var (transport, client) = run.CreateClient();
        var uri = new Uri($"http://{server.LocalEndPoint}/c");
        var keep = ClientRequest.Get(uri);
        var close = keep.WithHeader("Connection", "close");

        // Warm-up with the same pattern (a twentieth of the run), then the baseline: the same workers on kept connections.
        await RunAsync(new Tally(), Math.Max(scale.ChurnRequests / 20, 5000), scale, n => n % scale.ChurnNewConnectionEvery == 0 ? close : keep, client, run);
        var baseline = new Tally();
        await RunForAsync(baseline, scale.Baseline, scale, keep, client, run);
        var window = new Tally(expected: (int)scale.ChurnRequests);   // the harness's own memory, allocated before the first census
        var start = await CensusAsync(run, server, transport);
        var heapBefore = Trace.Enabled ? ActorHttp.Bench.HeapHistogram.Take() : null;

        var clock = Stopwatch.StartNew();
        await RunAsync(window, scale.ChurnRequests, scale, n => n % scale.ChurnNewConnectionEvery == 0 ? close : keep, client, run);
        var elapsed = clock.Elapsed;
        var end = await CensusAsync(run, server, transport);
        if (heapBefore is not null)
        {
            Trace.Write($"churn: heap growth per new connection ({scale.ChurnRequests / scale.ChurnNewConnectionEvery} connections):");
            var heapAfter = ActorHttp.Bench.HeapHistogram.Take();
            ActorHttp.Bench.HeapHistogram.PrintGrowth(heapBefore, heapAfter, (int)(scale.ChurnRequests / scale.ChurnNewConnectionEvery));
            foreach (var (type, count, bytes) in heapAfter
                .Select(kv => (kv.Key, kv.Value.Count - heapBefore.GetValueOrDefault(kv.Key).Count, kv.Value.Bytes - heapBefore.GetValueOrDefault(kv.Key).Bytes))
                .OrderByDescending(r => r.Item3).Take(15))
                Trace.Write($"churn: heap {bytes,10:N0} B {count,8:N0} x {type}");
        }

        var growth = end.Managed - start.Managed;
        var not200 = window.Requests - window.Statuses.GetValueOrDefault(200);
        var dials = scale.ChurnRequests / scale.ChurnNewConnectionEvery;
        return new FaultResult(Name, window, baseline.Latencies.P99)
            .Add("scale", scale.Name).Add("new_conns", dials).Add("rps", Math.Round(window.Requests / elapsed.TotalSeconds)).Add("not_200", not200)
            .Add("actors_start", start.Actors).Add("actors_end", end.Actors)
            .Add("server_conns_start", start.ServerConnections).Add("server_conns_end", end.ServerConnections)
            .Add("client_conns_start", start.ClientConnections).Add("client_conns_end", end.ClientConnections)
            .Add("sockets_start", start.Sockets).Add("sockets_end", end.Sockets)
            .Add("managed_start_kb", start.Managed / 1024).Add("managed_end_kb", end.Managed / 1024)
            .Add("managed_growth_bytes", growth).Add("growth_per_conn_bytes", Math.Round((double)growth / dials, 1))
            .Add("settled", start.Settled && end.Settled)
            .Require(not200 == 0, "not_200")
            .Require(start.Settled && end.Settled, "connections_did_not_close")
            .Require(end.Actors <= start.Actors, "actor_growth")
            .Require(end.ServerConnections <= start.ServerConnections && end.ClientConnections <= start.ClientConnections, "connection_growth")
            .Require(end.Sockets <= start.Sockets, "socket_growth")
            .Require(growth <= scale.ChurnMemoryTolerance, "memory_growth");
    }

    private sealed record Census(bool Settled, int Actors, long ServerConnections, long ClientConnections, int Sockets, long Managed);

    // Idle client connections closed, then both ends given time to see the closes; then everything counted.
    // Before counting, one turn of Akka's timer wheel: a cancelled timer (each connection's header timer is
    // cancelled when its head arrives) stays in its bucket, holding its receiver's dead ActorCell, until the wheel
    // next passes that bucket, so right after a burst of connections a few seconds' worth of dead actors are still
    // reachable. That is bounded retention, not a leak; waiting one turn makes both censuses see none of it.
    private static async Task<Census> CensusAsync(FaultRun run, HttpServer server, ActorTransport transport)
    {
        transport.CloseIdleConnections();
        var settled = await FaultRun.WaitUntilAsync(() =>
            LiveActors.Connections(server.Actor) == 0 && LiveActors.Connections(transport.Actor) == 0
            && Meters.ServerConnections == 0 && Meters.ClientConnections == 0, run.Scale.Settle);
        var config = run.System.Settings.Config;
        await Task.Delay(config.GetTimeSpan("akka.scheduler.tick-duration") * config.GetInt("akka.scheduler.ticks-per-wheel") + TimeSpan.FromMilliseconds(500));
        var managed = ProcessFacts.ManagedAfterFullGc();
        return new Census(settled, LiveActors.Descendants(server.Actor) + LiveActors.Descendants(transport.Actor),
            Meters.ServerConnections, Meters.ClientConnections, ProcessFacts.Sockets(), managed);
    }

    private static async Task RunAsync(Tally tally, long count, FaultScale scale, Func<long, ClientRequest> request, ActorHttpClient client, FaultRun run)
    {
        long next = 0;
        await Task.WhenAll(Enumerable.Range(0, scale.ChurnWorkers).Select(_ => Task.Run(async () =>
        {
            long n;
            while ((n = Interlocked.Increment(ref next)) <= count)
                await Exchanges.TrackAsync(tally, () => Exchanges.SendAsync(client, request(n)), run.HungAfter);
        })));
    }

    private static async Task RunForAsync(Tally tally, TimeSpan duration, FaultScale scale, ClientRequest request, ActorHttpClient client, FaultRun run)
    {
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, scale.ChurnWorkers).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < duration)
                await Exchanges.TrackAsync(tally, () => Exchanges.SendAsync(client, request), run.HungAfter);
        })));
    }
}
