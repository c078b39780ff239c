using ActorHttp.Server;

namespace ActorHttp.Faults.Table;

/// <summary>
/// control: no fault at all, the load alone through both windows. It calibrates the p99 criterion of the other
/// faults: if two windows of the undisturbed load differ by more than 2x on this machine, a "p99 within 2x" verdict
/// elsewhere would be noise.
/// </summary>
public sealed class Control : IFault
{
    /// <inheritdoc />
    public string Name => "control";

    /// <inheritdoc />
    public string Does => "nothing: the load alone, in the baseline window and again in the fault window (calibrates p99)";

    /// <inheritdoc />
    public string PassesWhen => "every request is answered 200 and the second window's p99 is within 2x the first's";

    /// <inheritdoc />
    public async Task<FaultResult> RunAsync(FaultScale scale)
    {
        await using var run = FaultRun.Create(Name, scale);
        var server = await run.StartServerAsync(new ServeMux().HandleFunc("GET /load", (w, _) => w.WriteAsync("ok").AsTask()));
        var (_, client) = run.CreateClient();
        await using var load = await LoadRun.StartAsync(run.CreateLoad(client, new Uri($"http://{server.LocalEndPoint}/load")), scale.Baseline);
        await Task.Delay(scale.FaultWindow);
        await load.StopAsync();
        load.Load.TraceTimeline(Name, TimeSpan.FromMilliseconds(250));
        var window = load.Window;
        var notOk = window.Requests - window.Statuses.GetValueOrDefault(200);
        return new FaultResult(Name, window, load.Baseline.Latencies.P99)
            .Add("p50_ms", window.Latencies.Percentile(0.5)).Add("max_ms", window.Latencies.Max)
            .Add("gc_gen2", GC.CollectionCount(2)).Add("not_200", notOk)
            .Require(notOk == 0, "not_200").Require(window.Latencies.P99 <= scale.P99Factor * load.Baseline.Latencies.P99, "p99_over_2x_baseline");
    }
}
