using ActorHttp.Client;
using ActorHttp.Server;
using Akka.Actor;

namespace ActorHttp.Faults.Table;

/// <summary>
/// actor-handler-crash: handler-crash for handler actors (<see cref="ActorHandler"/>), the README's way of answering
/// from an actor. 1% of the requests make the handler actor throw while handling its <c>HandleRequest</c>; Akka's
/// default supervision restarts it, and the rest of the requests reach it as usual. The handler is an
/// <see cref="HttpHandlerActor"/>, the documented pattern: its <c>PreRestart</c> fails the request that crashed it,
/// which the connection answers 500 at once (without it, the request would wait for <c>request-timeout</c> and
/// get 503).
/// </summary>
public sealed class ActorHandlerCrash : IFault
{
    /// <inheritdoc />
    public string Name => "actor-handler-crash";

    /// <inheritdoc />
    public string Does => "1% of requests make their handler actor throw (Akka restarts it) under the load";

    /// <inheritdoc />
    public string PassesWhen => "(as handler-crash) every crashing request gets 500, every other request 200, and the server answers 200 afterwards; no server connection is left behind";

    private sealed class Handler : HttpHandlerActor
    {
        public Handler() => Receive<ActorHandler.HandleRequest>(m =>
        {
            if (m.Request.Headers.GetValue("X-Crash") is not null) throw new InvalidOperationException("actor-handler-crash: the handler actor throws");
            m.Respond(ServerResponse.Text(200, "ok"));
        });
    }

    /// <inheritdoc />
    public async Task<FaultResult> RunAsync(FaultScale scale)
    {
        await using var run = FaultRun.Create(Name, scale);
        var handler = run.System.ActorOf(Props.Create(() => new Handler()), "handler");
        var server = await run.StartServerAsync(new ServeMux().Handle("GET /work", handler));
        var (transport, client) = run.CreateClient();
        var uri = new Uri($"http://{server.LocalEndPoint}/work");

        bool Crashes(long n, LoadPhase phase) => phase == LoadPhase.Fault && Mix.Chance(scale.Seed, n, scale.CrashFraction);
        long crashes = 0, crash500 = 0, crashOther = 0, normalOther = 0;
        var crashOutcomes = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        void Judge(long n, LoadPhase phase, Outcome o)
        {
            if (phase != LoadPhase.Fault) return;
            if (Crashes(n, phase))
            {
                Interlocked.Increment(ref crashes);
                if (o is { Kind: OutcomeKind.Answered, Status: 500 }) Interlocked.Increment(ref crash500);
                else
                {
                    Interlocked.Increment(ref crashOther);
                    var what = o.Kind == OutcomeKind.Answered ? o.Status.ToString(System.Globalization.CultureInfo.InvariantCulture) : o.Error?.Kind.ToString() ?? o.Kind.ToString();
                    crashOutcomes.AddOrUpdate($"{what}_after_{Math.Round(o.LatencyMs / 1000)}s", 1, static (_, v) => v + 1);
                }
            }
            else if (o is not { Kind: OutcomeKind.Answered, Status: 200 }) Interlocked.Increment(ref normalOther);
        }

        var errorsBefore = CountingLogger.Errors;
        await using var load = await LoadRun.StartAsync(new Load((n, phase) =>
        {
            var request = ClientRequest.Get(uri);
            return Exchanges.SendAsync(client, Crashes(n, phase) ? request.WithHeader("X-Crash", "1") : request);
        }, scale.LoadRate, scale.LoadWorkers, run.HungAfter) { OnOutcome = Judge }, scale.Baseline);
        await Task.Delay(scale.FaultWindow);
        await load.StopAsync();

        var afterOk = await Exchanges.AllAnsweredAsync(client, uri, 20, run.HungAfter);
        var (settled, serverConns, clientConns) = await run.SettleAsync(server, transport);

        return new FaultResult(Name, load.Window, load.Baseline.Latencies.P99)
            .Add("crashes", crashes).Add("crash_500", crash500).Add("crash_other", crashOther)
            .Add("crash_outcomes", crashOutcomes.IsEmpty ? "none" : string.Join(',', crashOutcomes.OrderBy(k => k.Key).Select(k => $"{k.Key}:{k.Value}")))
            .Add("others_not_200", normalOther).Add("after_ok", afterOk).Add("log_errors", CountingLogger.Errors - errorsBefore)
            .Add("conns_left_server", serverConns).Add("conns_left_client", clientConns)
            .Require(crashes > 0, "no_crash_sent").Require(crashOther == 0, "crash_not_500").Require(normalOther == 0, "others_affected")
            .Require(afterOk, "server_stopped_serving").Require(settled, "connections_left_open");
    }
}
