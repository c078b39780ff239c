using System.Globalization;
using System.Text;
using ActorHttp.Server;

namespace ActorHttp.Faults.Table;

/// <summary>
/// slow-body: raw uploads that send their head at once and their body at 100 B/s (10 bytes every 100 ms) to a handler
/// that reads it, while the load runs (the uploads run in a helper process, as slowloris's clients do). The server's minimum body rate (240 B/s averaged after a 5 s grace period, its
/// reference settings) must answer each with 408 and close it.
/// </summary>
public sealed class SlowBody : IFault
{
    /// <inheritdoc />
    public string Name => "slow-body";

    /// <inheritdoc />
    public string Does => "200 raw uploads, opened over one second, send their body at 100 B/s to a handler that reads it, under the load";

    /// <inheritdoc />
    public string PassesWhen => "each upload gets 408 and a close when the min-data-rate rule fires (after the grace period, at most 1 s + TimerSlack later), the load is answered 200 and its p99 stays within 2x its baseline";

    /// <inheritdoc />
    public async Task<FaultResult> RunAsync(FaultScale scale)
    {
        await using var run = FaultRun.Create(Name, scale);
        var settings = run.Http.ServerSettings;
        long handlerSaw = 0;
        var mux = new ServeMux()
            .HandleFunc("GET /load", (w, _) => w.WriteAsync("ok").AsTask())
            .HandleFunc("POST /upload", async (w, r) =>
            {
                Interlocked.Increment(ref handlerSaw);
                await r.Body.CopyToAsync(Stream.Null);
                await w.WriteAsync("uploaded");
            });
        var server = await run.StartServerAsync(mux);
        var (transport, client) = run.CreateClient();
        await using var load = await LoadRun.StartAsync(run.CreateLoad(client, new Uri($"http://{server.LocalEndPoint}/load")), scale.Baseline);

        // The rule: checked each second once the grace period is over; at 100 B/s against 240 B/s it fails at its
        // first check, grace + 1 s after the body started.
        var grace = settings.RequestBodyMinDataRateGracePeriod;
        var expected = grace + TimeSpan.FromSeconds(1);
        var deadline = expected + scale.TimerSlack;
        var (results, gcPause, settled, serverConns, clientConns) = await SlowClients.RunUnderLoadAsync(
            Name, SlowClients.Kind.Body, run, server, transport, load, scale.SlowBodyUploads, deadline);

        var window = load.Window;
        var got408 = results.Count(r => r.Status == 408);
        var closed = results.Count(r => r.Status == 408 && r.End != RawEnd.Deadline);
        var early = results.Count(r => r.Status == 408 && r.FirstByteMs < grace.TotalMilliseconds);
        var late = results.Count(r => r.Status == 408 && r.FirstByteMs > deadline.TotalMilliseconds);
        var hung = results.Count(r => r.Status == 0 && r.End == RawEnd.Deadline);
        var resets = results.Count(r => r.Status == 0 && r.End == RawEnd.Reset);
        var at408 = results.Where(r => r.Status == 408).Select(r => r.FirstByteMs).DefaultIfEmpty(double.NaN).ToArray();
        window.AddHung(hung);
        var p99 = window.Latencies.P99;
        var baseline = load.Baseline.Latencies.P99;
        var loadNot200 = window.Requests - window.Statuses.GetValueOrDefault(200);
        return new FaultResult(Name, window, baseline)
            .Add("uploads", results.Count).Add("handler_saw", Interlocked.Read(ref handlerSaw))
            .Add("got_408", got408).Add("closed_after_408", closed).Add("reset_without_408", resets)
            .Add("other_end", results.Count - got408 - hung - resets).Add("raw_hung", hung)
            .Add("rule_expected_ms", expected.TotalMilliseconds).Add("t408_min_ms", at408.Min()).Add("t408_max_ms", at408.Max())
            .Add("early_408", early).Add("late_408", late)
            .Add("gc_pause_ms", Math.Round(gcPause.TotalMilliseconds)).Add("load_not_200", loadNot200).Add("conns_left_server", serverConns).Add("conns_left_client", clientConns)
            .Require(results.Count == scale.SlowBodyUploads, "connect_failed")
            .Require(got408 == results.Count && closed == got408, "not_all_408_and_close")
            .Require(early == 0 && late == 0, "408_not_at_rate_rule")
            .Require(p99 <= scale.P99Factor * baseline, "p99_over_2x_baseline")
            .Require(loadNot200 == 0, "load_affected").Require(settled, "connections_left_open");
    }
}
