using ActorHttp.Client;
using ActorHttp.Server;

namespace ActorHttp.Faults.Table;

/// <summary>
/// handler-crash: 1% of the load's requests reach a handler delegate that throws (half before its first await, half
/// after), while the rest reach the same handler and succeed.
/// </summary>
public sealed class HandlerCrash : IFault
{
    /// <inheritdoc />
    public string Name => "handler-crash";

    /// <inheritdoc />
    public string Does => "1% of handler delegates throw (half synchronously, half after an await) under the load";

    /// <inheritdoc />
    public string PassesWhen => "every crashing request gets 500, every other request 200, and the server answers 200 afterwards; no server connection is left behind";

    /// <inheritdoc />
    public async Task<FaultResult> RunAsync(FaultScale scale)
    {
        await using var run = FaultRun.Create(Name, scale);
        var mux = new ServeMux().HandleFunc("GET /work", async (w, r) =>
        {
            switch (r.Headers.GetValue("X-Crash"))
            {
                case "sync": throw new InvalidOperationException("handler-crash: thrown before the first await");
                case "async":
                    await Task.Yield();
                    throw new InvalidOperationException("handler-crash: thrown after an await");
            }
            await w.WriteAsync("ok");
        });
        var server = await run.StartServerAsync(mux);
        var (transport, client) = run.CreateClient();
        var uri = new Uri($"http://{server.LocalEndPoint}/work");

        long crashes = 0, crash500 = 0, crashOther = 0, normalOther = 0;
        var errorsBefore = CountingLogger.Errors;
        bool Crashes(long n, LoadPhase phase) => phase == LoadPhase.Fault && Mix.Chance(scale.Seed, n, scale.CrashFraction);
        Task<Answer> Send(long n, LoadPhase phase)
        {
            var request = ClientRequest.Get(uri);
            if (Crashes(n, phase)) request = request.WithHeader("X-Crash", n % 2 == 0 ? "sync" : "async");
            return Exchanges.SendAsync(client, request);
        }
        void Judge(long n, LoadPhase phase, Outcome o)
        {
            if (phase != LoadPhase.Fault) return;
            if (Crashes(n, phase))
            {
                Interlocked.Increment(ref crashes);
                if (o is { Kind: OutcomeKind.Answered, Status: 500 }) Interlocked.Increment(ref crash500);
                else Interlocked.Increment(ref crashOther);
            }
            else if (o is not { Kind: OutcomeKind.Answered, Status: 200 }) Interlocked.Increment(ref normalOther);
        }

        await using var load = await LoadRun.StartAsync(new Load(Send, scale.LoadRate, scale.LoadWorkers, run.HungAfter) { OnOutcome = Judge }, scale.Baseline);
        await Task.Delay(scale.FaultWindow);
        await load.StopAsync();

        // The server keeps serving: sequential requests after the crashes.
        var afterOk = await Exchanges.AllAnsweredAsync(client, uri, 20, run.HungAfter);
        var (settled, serverConns, clientConns) = await run.SettleAsync(server, transport);

        return new FaultResult(Name, load.Window, load.Baseline.Latencies.P99)
            .Add("crashes", crashes).Add("crash_500", crash500).Add("crash_other", crashOther).Add("others_not_200", normalOther)
            .Add("after_ok", afterOk).Add("statuses", load.Window.StatusSummary()).Add("errors", load.Window.ErrorSummary())
            .Add("log_errors", CountingLogger.Errors - errorsBefore).Add("conns_left_server", serverConns).Add("conns_left_client", clientConns)
            .Require(crashes > 0, "no_crash_sent").Require(crashOther == 0, "crash_not_500").Require(normalOther == 0, "others_affected")
            .Require(afterOk, "server_stopped_serving").Require(settled, "connections_left_open");
    }
}
