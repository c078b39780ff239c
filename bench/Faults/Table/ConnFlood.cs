using System.Globalization;
using ActorHttp.Client;
using ActorHttp.Server;

namespace ActorHttp.Faults.Table;

/// <summary>
/// conn-flood: 10,000 idle keep-alive connections held against the server, plus 500 more that its
/// <c>max-connections</c> must refuse, while the load runs. The connections come from a helper process (see
/// <see cref="Helpers"/>), so that the server's process holds only the server's side and its resident memory per
/// connection is the server's. The server's <c>max-connections</c> is the flood plus the load's connections, which are
/// dialed before the flood (the load's pool is capped at its worker count and primed).
/// </summary>
public sealed class ConnFlood : IFault
{
    /// <inheritdoc />
    public string Name => "conn-flood";

    /// <inheritdoc />
    public string Does => "10,000 idle keep-alive connections (one request each, from a helper process) plus 500 beyond max-connections, under the load";

    /// <inheritdoc />
    public string PassesWhen => "exactly the 10,000 are accepted and served and the 500 refused (closed at accept, counted in kestrel.rejected_connections), the load is answered 200 throughout, and closing the flood leaves only the load's connections; RSS per connection reported";

    /// <inheritdoc />
    public async Task<FaultResult> RunAsync(FaultScale scale)
    {
        var loadConns = scale.LoadWorkers;
        var limit = scale.FloodConnections + loadConns;
        await using var run = FaultRun.Create(Name, scale, $"""
            actorhttp.server.max-connections = {limit}
            actorhttp.client.max-conns-per-host = {loadConns}
            """);
        var fdLimit = ProcessFacts.RaiseFileLimit(Helpers.FileLimit);
        var server = await run.StartServerAsync(new ServeMux()
            .HandleFunc("GET /load", (w, _) => w.WriteAsync("ok").AsTask())
            .HandleFunc("GET /prime", async (w, _) =>
            {
                await Task.Delay(200);
                await w.WriteAsync("ok");
            }));
        var (transport, client) = run.CreateClient();
        var prime = new Uri($"http://{server.LocalEndPoint}/prime");
        // The load's connections, all dialed now: as many concurrent requests as the pool allows.
        await Task.WhenAll(Enumerable.Range(0, loadConns).Select(_ => Exchanges.SendAsync(client, ClientRequest.Get(prime))));
        await using var load = await LoadRun.StartAsync(run.CreateLoad(client, new Uri($"http://{server.LocalEndPoint}/load")), scale.Baseline);

        var serverBefore = LiveActors.Connections(server.Actor);
        var rejectedBefore = Meters.ServerRejected;
        var rssBefore = ProcessFacts.Rss();
        var managedBefore = ProcessFacts.ManagedAfterFullGc();
        rssBefore = Math.Min(rssBefore, ProcessFacts.Rss());

        var wanted = scale.FloodConnections + scale.FloodBeyondLimit;
        using var flood = Helpers.Start("flood", server.LocalEndPoint.Port.ToString(CultureInfo.InvariantCulture), wanted.ToString(CultureInfo.InvariantCulture));
        var opened = await Helpers.ReadLineStartingAsync(flood, "OPENED", TimeSpan.FromSeconds(120));
        var figures = Parse(opened);
        await Task.Delay(scale.FloodHold);
        var serverHeld = LiveActors.Connections(server.Actor);
        var socketsHeld = Meters.ServerConnections;
        var managedHeld = ProcessFacts.ManagedAfterFullGc();
        var rssHeld = ProcessFacts.Rss();
        var rejected = Meters.ServerRejected - rejectedBefore;

        await flood.StandardInput.WriteLineAsync("close");
        await flood.StandardInput.FlushAsync();
        var closed = await Helpers.ReadLineStartingAsync(flood, "CLOSED", TimeSpan.FromSeconds(60)) is not null;
        await flood.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token).ContinueWith(static _ => { }, TaskScheduler.Default);
        if (!flood.HasExited) flood.Kill();
        await load.StopAsync();
        var (settled, serverConns, clientConns) = await run.SettleAsync(server, transport);

        var accepted = figures.GetValueOrDefault("accepted", -1);
        var refused = figures.GetValueOrDefault("refused", -1);
        var window = load.Window;
        var loadNot200 = window.Requests - window.Statuses.GetValueOrDefault(200);
        var perConn = accepted > 0 ? (rssHeld - rssBefore) / (double)accepted : double.NaN;
        var managedPerConn = accepted > 0 ? (managedHeld - managedBefore) / (double)accepted : double.NaN;
        return new FaultResult(Name, window, load.Baseline.Latencies.P99)
            .Add("flood", wanted).Add("max_connections", limit).Add("load_conns", serverBefore)
            .Add("accepted", accepted).Add("refused", refused).Add("other", figures.GetValueOrDefault("other", -1))
            .Add("connect_failed", figures.GetValueOrDefault("connect_failed", -1)).Add("rejected_metric", rejected)
            .Add("server_conns_held", serverHeld).Add("server_sockets_held", socketsHeld)
            .Add("rss_per_conn_bytes", Math.Round(perConn)).Add("managed_per_conn_bytes", Math.Round(managedPerConn))
            .Add("rss_held_mb", rssHeld / 1048576.0).Add("load_not_200", loadNot200)
            .Add("conns_left_server", serverConns).Add("conns_left_client", clientConns).Add("fd_limit", fdLimit)
            .Require(opened is not null && closed, "flood_helper_failed")
            .Require(serverBefore == loadConns, "load_conns_not_primed")
            .Require(accepted == scale.FloodConnections, "accepted_not_as_max_connections_says")
            .Require(refused == scale.FloodBeyondLimit && rejected == scale.FloodBeyondLimit, "refused_not_as_max_connections_says")
            .Require(figures.GetValueOrDefault("other", -1) == 0 && figures.GetValueOrDefault("connect_failed", -1) == 0, "flood_conns_unserved")
            .Require(serverHeld == limit, "server_conns_not_as_held")
            .Require(loadNot200 == 0, "load_affected").Require(settled && serverConns == loadConns, "connections_left_open");
    }

    private static Dictionary<string, long> Parse(string? line)
    {
        var figures = new Dictionary<string, long>();
        if (line is null) return figures;
        foreach (var part in line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            var kv = part.Split('=');
            if (kv.Length == 2 && long.TryParse(kv[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)) figures[kv[0]] = v;
        }
        return figures;
    }
}
