using System.Collections.Concurrent;
using ActorHttp.Client;

namespace ActorHttp.Faults.Table;

/// <summary>
/// backend-closes-idle: the client's server (a scripted backend on raw sockets) closes a third of its connections
/// after an answer, once they have been idle for a random 0-20 ms, the moment a pooled connection is most likely to
/// be picked for the next request: Go's "server closed idle connection" race. Half the closes are graceful (FIN),
/// half abortive (RST); some are made just as the next request arrives. The load mixes GETs, POSTs with an
/// Idempotency-Key (both may be retried) and plain POSTs (may not).
/// </summary>
public sealed class BackendClosesIdle : IFault
{
    /// <inheritdoc />
    public string Name => "backend-closes-idle";

    /// <inheritdoc />
    public string Does => "the backend closes a third of its keep-alive connections (FIN or RST) after 0-20 ms idle, racing the client's reuse; load of GET, keyed POST, plain POST";

    /// <inheritdoc />
    public string PassesWhen => "every GET and keyed POST is answered 200 (retried where the close raced it); a plain POST is answered or fails with a typed connection error; none is lost";

    /// <inheritdoc />
    public async Task<FaultResult> RunAsync(FaultScale scale)
    {
        await using var run = FaultRun.Create(Name, scale);
        await using var backend = ScriptedBackend.ClosesIdle(scale.Seed, TimeSpan.FromMilliseconds(20));
        var (transport, client) = run.CreateClient();
        var baseUri = $"http://{backend.EndPoint}";
        var body = new byte[64];

        long idempotentFailed = 0, postFailed = 0, postOther = 0, posts = 0;
        var idempotentKinds = new ConcurrentDictionary<string, long>();
        var postKinds = new ConcurrentDictionary<string, long>();
        var traces = new ConcurrentDictionary<long, EventLog>();
        ClientRequest Make(long n)
        {
            var request = (n % 4) switch
            {
                0 => new ClientRequest("POST", new Uri(baseUri + "/post"), RequestContent.FromBytes(body)),
                1 => new ClientRequest("POST", new Uri(baseUri + "/keyed"), RequestContent.FromBytes(body)).WithHeader("Idempotency-Key", n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                _ => ClientRequest.Get(baseUri + "/get"),
            };
            return Trace.Enabled ? request with { Trace = traces[n] = new EventLog() } : request;
        }
        void Judge(long n, LoadPhase phase, Outcome o)
        {
            if (phase != LoadPhase.Fault) return;
            var idempotent = n % 4 != 0;
            if (!idempotent) Interlocked.Increment(ref posts);
            if (o is { Kind: OutcomeKind.Answered, Status: 200 }) return;
            var kind = o.Error?.Kind.ToString() ?? o.Kind.ToString();
            if (idempotent)
            {
                Interlocked.Increment(ref idempotentFailed);
                idempotentKinds.AddOrUpdate(kind, 1, static (_, v) => v + 1);
                if (Trace.Enabled) Trace.Write($"{Name}: idempotent request {n} ({(n % 4 == 1 ? "keyed POST" : "GET")}) failed {o.Error?.Kind} written={o.Error?.RequestWritten} \"{o.Error?.Message.Trim()}\" after events: {traces.GetValueOrDefault(n)}");
            }
            else if (o.Error is { IsConnectionFailure: true })
            {
                Interlocked.Increment(ref postFailed);
                postKinds.AddOrUpdate(kind, 1, static (_, v) => v + 1);
            }
            else Interlocked.Increment(ref postOther);
        }

        await using var load = await LoadRun.StartAsync(new Load((n, _) => Exchanges.SendAsync(client, Make(n)), scale.LoadRate, scale.LoadWorkers, run.HungAfter) { OnOutcome = Judge }, scale.Baseline);
        backend.CloseProbability = 1.0 / 3;
        await Task.Delay(scale.FaultWindow);
        backend.CloseProbability = 0;
        await load.StopAsync();
        var clientConns = LiveActors.Connections(transport.Actor);
        await FaultRun.WaitUntilAsync(() => LiveActors.Connections(transport.Actor) == backend.OpenConnections, scale.Settle);

        static string Summary(ConcurrentDictionary<string, long> d) => d.IsEmpty ? "none" : string.Join(',', d.OrderBy(k => k.Key).Select(k => $"{k.Key}:{k.Value}"));
        return new FaultResult(Name, load.Window, load.Baseline.Latencies.P99)
            .Add("backend_idle_closes", backend.IdleCloses).Add("closes_rst", backend.ResetCloses).Add("closes_racing_a_request", backend.RacedCloses)
            .Add("backend_requests", backend.Requests).Add("backend_conns", backend.Accepted)
            .Add("idempotent_failed", idempotentFailed).Add("idempotent_kinds", Summary(idempotentKinds))
            .Add("plain_posts", posts).Add("post_failed_typed", postFailed).Add("post_kinds", Summary(postKinds)).Add("post_other", postOther)
            .Add("client_conns", LiveActors.Connections(transport.Actor)).Add("backend_open", backend.OpenConnections)
            .Require(backend.IdleCloses > 0, "no_close_happened")
            .Require(idempotentFailed == 0, "idempotent_not_retried")
            .Require(postOther == 0, "post_failed_untyped_or_not_connection")
            .Require(LiveActors.Connections(transport.Actor) == backend.OpenConnections, "client_kept_closed_connections");
    }

    // The client's trace events of one request (FAULTS_TRACE): which connections it got, reused or not.
    private sealed class EventLog : IClientTrace
    {
        private readonly ConcurrentQueue<ClientTraceEvent> _events = new();

        public void OnEvent(ClientTraceEvent traceEvent) => _events.Enqueue(traceEvent);

        public override string ToString() => string.Join(" > ", _events.Select(e => e switch
        {
            GotConn g => g.Reused ? $"GotConn(reused, idle {g.IdleTime.TotalMilliseconds}ms)" : "GotConn(new)",
            WroteRequest { Error: { } error } => $"WroteRequest({error.Kind}, written {error.RequestWritten})",
            _ => e.GetType().Name,
        }));
    }
}
