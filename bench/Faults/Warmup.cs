using ActorHttp.Client;
using ActorHttp.Server;

namespace ActorHttp.Faults;

/// <summary>
/// Before the first fault: the server and client paths the faults use, run hot for a few seconds in a throwaway
/// actor system, so that the first fault's baseline is not measured while the JIT is still compiling (tiered
/// compilation and PGO make the first seconds of a process several times slower at p99).
/// </summary>
public static class Warmup
{
    /// <summary>How long the harness warms up before its first fault.</summary>
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(5);

    /// <summary>Runs the warm-up for <paramref name="duration"/>.</summary>
    public static async Task RunAsync(FaultScale scale, TimeSpan duration)
    {
        await using var run = FaultRun.Create("warmup", scale);
        var mux = new ServeMux()
            .HandleFunc("GET /load", (w, _) => w.WriteAsync("ok").AsTask())
            .HandleFunc("POST /echo", (w, r) => r.Body.CopyToAsync(w.Body));
        var server = await run.StartServerAsync(mux);
        var (_, client) = run.CreateClient();
        var get = new Uri($"http://{server.LocalEndPoint}/load");
        var post = new Uri($"http://{server.LocalEndPoint}/echo");
        var body = new byte[1024];
        var load = new Load((n, _) => n % 4 == 0
                ? Exchanges.SendAsync(client, new ClientRequest("POST", post, RequestContent.FromBytes(body)))
                : Exchanges.SendAsync(client, ClientRequest.Get(get)),
            scale.LoadRate * 4, scale.LoadWorkers * 2, run.HungAfter);
        using var stop = new CancellationTokenSource(duration);
        await load.RunAsync(stop.Token);
    }
}
