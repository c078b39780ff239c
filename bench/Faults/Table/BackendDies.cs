using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using ActorHttp.Client;

namespace ActorHttp.Faults.Table;

/// <summary>
/// backend-dies: the client's server is a separate process (<c>--helper backend</c>, an ActorHttp server), killed with
/// SIGKILL under the load, left dead for a while, then started again on the same port. Every request is stamped with
/// when it started and how long it took, and judged against the kill and the restart.
/// </summary>
public sealed class BackendDies : IFault
{
    /// <inheritdoc />
    public string Name => "backend-dies";

    /// <inheritdoc />
    public string Does => "the backend process (an ActorHttp server) is killed with SIGKILL under the load, stays down, then is started again on the same port";

    /// <inheritdoc />
    public string PassesWhen => "while it is down every request fails with a typed error within FailFast (1 s); none hangs; every request started RecoveryBound (1 s) after the new process listens is answered 200";

    /// <inheritdoc />
    public async Task<FaultResult> RunAsync(FaultScale scale)
    {
        await using var run = FaultRun.Create(Name, scale);
        var port = Helpers.FreePort();
        var backend = Helpers.Start("backend", port.ToString(CultureInfo.InvariantCulture));
        try
        {
            if (await Helpers.ReadLineStartingAsync(backend, "READY", TimeSpan.FromSeconds(60)) is null)
                return new FaultResult(Name, new Tally(), double.NaN).Require(false, "backend_did_not_start");
            var (_, client) = run.CreateClient();
            var uri = new Uri($"http://{new IPEndPoint(IPAddress.Loopback, port)}/load");

            var clock = Stopwatch.StartNew();
            var records = new ConcurrentQueue<(double StartMs, Outcome Outcome)>();
            await using var load = await LoadRun.StartAsync(new Load((_, _) => Exchanges.SendAsync(client, ClientRequest.Get(uri)), scale.LoadRate, scale.LoadWorkers, run.HungAfter)
            {
                OnOutcome = (_, phase, o) =>
                {
                    if (phase == LoadPhase.Fault) records.Enqueue((clock.Elapsed.TotalMilliseconds - o.LatencyMs, o));
                },
            }, scale.Baseline);

            await Task.Delay(scale.FaultWindow / 2);
            var killedAt = clock.Elapsed.TotalMilliseconds;
            backend.Kill();
            await backend.WaitForExitAsync();
            backend.Dispose();
            await Task.Delay(scale.BackendDownTime);
            var restartAt = clock.Elapsed.TotalMilliseconds;
            backend = Helpers.Start("backend", port.ToString(CultureInfo.InvariantCulture));
            var ready = await Helpers.ReadLineStartingAsync(backend, "READY", TimeSpan.FromSeconds(60)) is not null;
            var readyAt = clock.Elapsed.TotalMilliseconds;
            await Task.Delay(scale.FaultWindow / 2 + scale.RecoveryBound);
            await load.StopAsync();

            // Judged by when each request started: before the kill (it may have been in flight), while down, after the restart.
            var all = records.ToArray();
            var failures = all.Where(r => r.Outcome.Kind == OutcomeKind.FailedTyped).ToArray();
            var slowFailures = failures.Count(r => r.Outcome.LatencyMs > scale.FailFast.TotalMilliseconds);
            var failLatency = new LatencyLog();
            foreach (var f in failures) failLatency.Add(f.Outcome.LatencyMs);
            var afterRecovery = all.Where(r => r.StartMs >= readyAt + scale.RecoveryBound.TotalMilliseconds).ToArray();
            var notRecovered = afterRecovery.Count(r => r.Outcome is not { Kind: OutcomeKind.Answered, Status: 200 });
            var firstSuccess = all.Where(r => r.StartMs >= killedAt && r.Outcome.Kind == OutcomeKind.Answered).Select(r => r.StartMs + r.Outcome.LatencyMs).DefaultIfEmpty(double.NaN).Min();
            var kinds = failures.GroupBy(f => f.Outcome.Error!.Kind).OrderBy(g => g.Key).Select(g => $"{g.Key}:{g.Count()}");

            return new FaultResult(Name, load.Window, load.Baseline.Latencies.P99)
                .Add("backend", "separate_process_sigkill").Add("down_ms", Math.Round(readyAt - killedAt)).Add("restart_ms", Math.Round(readyAt - restartAt))
                .Add("failed_while_down", failures.Length).Add("fail_p99_ms", failLatency.P99).Add("fail_max_ms", failLatency.Max)
                .Add("slow_failures", slowFailures).Add("error_kinds", failures.Length == 0 ? "none" : string.Join(',', kinds))
                .Add("recovered_after_ms", Math.Round(firstSuccess - readyAt)).Add("after_recovery", afterRecovery.Length).Add("not_recovered", notRecovered)
                .Require(ready, "backend_did_not_restart").Require(failures.Length > 0, "kill_not_noticed")
                .Require(slowFailures == 0, "failures_not_fast").Require(afterRecovery.Length > 0 && notRecovered == 0, "pool_did_not_recover");
        }
        finally
        {
            if (!backend.HasExited) backend.Kill();
            backend.Dispose();
        }
    }
}
