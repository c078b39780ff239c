using ActorHttp.Client;

namespace ActorHttp.Faults.Table;

/// <summary>
/// backend-reset-mid-body: a tenth of the load's requests (from the fault window on) ask the scripted backend for
/// <c>/reset</c>, which sends a head promising 64 KiB, 16 KiB of body, and then resets the connection (SO_LINGER 0).
/// The rest get their whole 64 KiB body on the same pool.
/// </summary>
public sealed class BackendResetMidBody : IFault
{
    /// <inheritdoc />
    public string Name => "backend-reset-mid-body";

    /// <inheritdoc />
    public string Does => "the backend resets (RST) a tenth of its responses after 16 KiB of a 64 KiB body";

    /// <inheritdoc />
    public string PassesWhen => "every reset response fails with a typed error while its body is read (never a short body reported as success), every other request gets its whole body, and the client keeps no connection the backend has closed";

    /// <inheritdoc />
    public async Task<FaultResult> RunAsync(FaultScale scale)
    {
        await using var run = FaultRun.Create(Name, scale);
        await using var backend = ScriptedBackend.ResetsMidBody();
        var (transport, client) = run.CreateClient();
        var ok = new Uri($"http://{backend.EndPoint}/ok");
        var reset = new Uri($"http://{backend.EndPoint}/reset");

        bool Resets(long n, LoadPhase phase) => phase == LoadPhase.Fault && Mix.Chance(scale.Seed, n, 0.1);
        long resets = 0, resetTyped = 0, resetAnswered = 0, okFailed = 0, okShort = 0;
        var kinds = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        void Judge(long n, LoadPhase phase, Outcome o)
        {
            if (phase != LoadPhase.Fault) return;
            if (Resets(n, phase))
            {
                Interlocked.Increment(ref resets);
                if (o.Kind == OutcomeKind.FailedTyped)
                {
                    Interlocked.Increment(ref resetTyped);
                    kinds.AddOrUpdate(o.Error!.Kind.ToString(), 1, static (_, v) => v + 1);
                }
                else if (o.Kind == OutcomeKind.Answered)
                {
                    Interlocked.Increment(ref resetAnswered);
                    if (Trace.Enabled) Trace.Write($"{Name}: reset request {n} answered {o.Status} with {o.BodyLength} body bytes");
                }
            }
            else if (o.Kind != OutcomeKind.Answered)
            {
                Interlocked.Increment(ref okFailed);
                if (Trace.Enabled) Trace.Write($"{Name}: whole request {n} failed: {o.Error?.ToString() ?? o.Unexpected?.ToString() ?? o.Kind.ToString()}");
            }
            else if (o.Status != 200 || o.BodyLength != ScriptedBackend.BodyLength) Interlocked.Increment(ref okShort);
        }

        await using var load = await LoadRun.StartAsync(new Load((n, phase) => Exchanges.SendAsync(client, ClientRequest.Get(Resets(n, phase) ? reset : ok)),
            scale.LoadRate, scale.LoadWorkers, run.HungAfter) { OnOutcome = Judge }, scale.Baseline);
        await Task.Delay(scale.FaultWindow);
        await load.StopAsync();
        // A connection the backend reset must be gone from the pool: the client's connections are the backend's.
        var agreed = await FaultRun.WaitUntilAsync(() => LiveActors.Connections(transport.Actor) == backend.OpenConnections && Meters.ClientConnections == backend.OpenConnections, scale.Settle);

        return new FaultResult(Name, load.Window, load.Baseline.Latencies.P99)
            .Add("resets_sent", backend.Resets).Add("reset_requests", resets).Add("reset_typed", resetTyped)
            .Add("reset_kinds", kinds.IsEmpty ? "none" : string.Join(',', kinds.OrderBy(k => k.Key).Select(k => $"{k.Key}:{k.Value}")))
            .Add("reset_answered", resetAnswered).Add("whole_failed", okFailed).Add("whole_short", okShort)
            .Add("backend_conns", backend.Accepted).Add("client_conns", LiveActors.Connections(transport.Actor))
            .Add("client_conns_metric", Meters.ClientConnections).Add("backend_open", backend.OpenConnections)
            .Require(resets > 0, "no_reset_sent").Require(resetTyped == resets, "reset_not_typed_error")
            .Require(okFailed == 0 && okShort == 0, "whole_responses_affected").Require(agreed, "client_kept_reset_connection");
    }
}
