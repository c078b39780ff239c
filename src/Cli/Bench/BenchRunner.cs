using System.Diagnostics;
using ActorHttp.Client;
using ActorHttp.Client.Transport;
using Akka.Actor;
using Spectre.Console;

namespace ActorHttp.Cli.Bench;

/// <summary>
/// Runs <c>actorhttp bench</c>'s load: C loops over one round tripper, each with one request in
/// flight, recording after the warm-up until the duration passes or the request budget is spent.
/// </summary>
/// <remarks>
/// <para>The loops use the transport directly, not the client facade: the facade copies the header
/// list and makes a deadline per call (the cost of redirects, cookies and timeouts a benchmark
/// does not use), and a load generator should measure the transport. So the request carries its
/// own Host and User-Agent, and bodies arrive as sent (no Accept-Encoding is asked for).</para>
/// <para>On the actor transport each loop is an actor (<see cref="BenchWorkerActor"/>) on the dispatcher of the target's pool,
/// telling requests and getting responses as messages: for a plain-HTTP target the loops, the pool and the connections then
/// share one event loop's thread and a request crosses no thread. Measured on 2026-12-07 against nginx (client on one core,
/// one interleaved run of 2 rounds on a machine under other load, req/s as a fraction of wrk's, c16/c64/c256): actor loops
/// 0.36/0.36/0.52, the same transport awaited from the thread pool 0.23/0.27/0.53 (HttpClient 0.16/0.19/0.30); CPU per
/// request at c64 37 against 44 µs. Other round trippers (<c>--transport httpclient</c>) are awaited by loops on the thread
/// pool, which is how they are used.</para>
/// </remarks>
internal static class BenchRunner
{
    public static async Task<BenchResult> RunAsync(BenchArguments args, IRoundTripper transport, ActorSystem system, string userAgent,
        BenchSettings settings, CliConsole console, CancellationToken ct)
    {
        var request = BuildRequest(args, userAgent);
        var workers = new BenchWorker[args.Concurrency];
        for (int i = 0; i < workers.Length; i++) workers[i] = new BenchWorker(transport, request, settings.ReadBufferSize);

        using var abort = CancellationTokenSource.CreateLinkedTokenSource(ct);
        long start = Stopwatch.GetTimestamp();
        var plan = args.Duration is { } duration
            ? BenchPlan.ForDuration(start, args.Warmup, duration, abort.Token)
            : BenchPlan.ForRequests(start, args.Warmup, args.Requests ?? 0, abort.Token);
        if (args.Duration is { } d && settings.DrainTimeout > TimeSpan.Zero) abort.CancelAfter(args.Warmup + d + settings.DrainTimeout);

        var loops = new Task[workers.Length];
        // The pool of the target (made on the first ask) and where it runs, learnt before the clock matters. A target no pool
        // can serve (a proxy that cannot be used) goes to the awaiting loops, which record each request's failure.
        var pool = transport is ActorTransport candidate ? await PoolOrNullAsync(candidate, request).ConfigureAwait(false) : null;
        if (pool is not null && transport is ActorTransport actors)
        {
            var dispatcher = actors.PoolDispatcher(request);
            for (int i = 0; i < workers.Length; i++)
            {
                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                system.ActorOf(StateProps.Create(static s => new BenchWorkerActor(s.Item1, s.plan, s.pool, s.done), (workers[i], plan, pool, done),
                    dispatcher), $"bench-{i}");
                loops[i] = done.Task;
            }
        }
        else
        {
            for (int i = 0; i < workers.Length; i++)
            {
                var worker = workers[i];
                loops[i] = Task.Run(() => worker.RunAsync(plan, abort.Token), CancellationToken.None);
            }
        }
        var all = Task.WhenAll(loops);
        if (console.IsInteractive && !args.ResultLine) await ShowProgressAsync(all, workers, args, plan).ConfigureAwait(false);
        else await all.ConfigureAwait(false);

        long last = workers.Max(w => w.FinishedAt);
        var elapsed = last > plan.RecordFrom ? Stopwatch.GetElapsedTime(plan.RecordFrom, last) : TimeSpan.Zero;
        return new BenchResult(workers, elapsed);
    }

    private static async Task<IActorRef?> PoolOrNullAsync(ActorTransport transport, ClientRequest request)
    {
        try
        {
            return await transport.PoolAsync(request).ConfigureAwait(false);
        }
        catch (HttpClientException)
        {
            return null;
        }
    }

    internal static ClientRequest BuildRequest(BenchArguments args, string userAgent)
    {
        var uri = args.Url;
        var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host : uri.IdnHost;
        var headers = RequestHeaders.Empty.Add("Host", uri.IsDefaultPort ? host : $"{host}:{uri.Port}");
        if (userAgent.Length > 0) headers = headers.Add("User-Agent", userAgent);
        var content = args.Data is { } data ? RequestContent.FromBytes(data) : null;
        return new ClientRequest(args.Method, uri, content) { Headers = headers };
    }

    // A live bar: elapsed measured time against the duration, or requests done against -n.
    private static Task ShowProgressAsync(Task loops, BenchWorker[] workers, BenchArguments args, BenchPlan plan) =>
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                var total = args.Duration is { } d ? d.TotalSeconds : args.Requests ?? 1;
                var bar = ctx.AddTask("warming up", maxValue: total);
                while (!loops.IsCompleted)
                {
                    await Task.WhenAny(loops, Task.Delay(100)).ConfigureAwait(false);
                    long now = Stopwatch.GetTimestamp();
                    long done = workers.Sum(w => w.Completed);
                    if (now < plan.RecordFrom) continue;
                    bar.Description = $"{done} requests";
                    bar.Value = args.Duration is not null ? Math.Min(total, Stopwatch.GetElapsedTime(plan.RecordFrom, now).TotalSeconds) : done;
                }
                bar.Value = total;
                await loops.ConfigureAwait(false);
            });
}
