using System.CommandLine;
using System.Text;
using ActorHttp.Configuration;
using Akka.Configuration;

namespace ActorHttp.Cli.Bench;

/// <summary>
/// <c>actorhttp bench URL</c>: a load generator like hey and wrk over the actor transport — C loops,
/// one pool capped at N connections, then throughput, latency percentiles and histogram, statuses,
/// errors and the pool's figures; or, with <c>--result-line</c>, the one line the shared
/// benchmark driver reads.
/// </summary>
/// <remarks>
/// <para>Defaults (<c>-c</c>, <c>-z</c>, <c>--warmup</c>) come from <c>actorhttp.cli.bench</c>; <c>--max-conns</c>
/// defaults to <c>-c</c> and replaces <c>actorhttp.client.max-conns-per-host</c> for the run (a host block
/// in a <c>--config</c> file matching the target still wins, as it does for any client).</para>
/// <para>On the actor transport the load loops are actors that tell the target's pool their requests (<see cref="BenchWorkerActor"/>):
/// for a plain-HTTP target they run on the event loop of its pool and connections, so no thread hand-off remains to save and the
/// bench needs no runtime switch (it once set the runtime's inline socket completions).</para>
/// <para>Exit codes: 0 when at least one 2xx response was recorded; 1 when none was; 2 bad arguments.</para>
/// </remarks>
internal static class BenchCommand
{
    public static Command Create(RoundTripperFactory? transport = null, Func<CliConsole>? console = null)
    {
        var url = new Argument<string>("url", "The absolute http:// or https:// URL.");
        var concurrency = new Option<int?>("-c", "Concurrent request loops (default: actorhttp.cli.bench.concurrency).");
        var maxConns = new Option<int?>("--max-conns", "Most connections to the host (default: the concurrency).");
        var requests = new Option<long?>("-n", "Recorded requests in total, after the warm-up.");
        var duration = new Option<string?>("-z", "How long to record, e.g. 10s or 500ms (default: actorhttp.cli.bench.duration).");
        var warmup = new Option<string?>("--warmup", "Unrecorded warm-up before recording, e.g. 2s (default: actorhttp.cli.bench.warmup).");
        var method = new Option<string?>("-X", "The method (default GET, or POST with -d).");
        var data = new Option<string?>("-d", "The body of every request, UTF-8.");
        var resultLine = new Option<bool>("--result-line", "Print only: RESULT rps=.. p50_ms=.. p99_ms=.. errors=.. requests=..");
        var config = new Option<FileInfo?>("--config", "A HOCON file with settings that override the defaults.");
        // Hidden: a check of the load generator itself, not a feature (see HttpClientRoundTripper).
        var via = new Option<string>("--transport", () => "actor", "The client under the loops: actor, or httpclient (SocketsHttpHandler) to check the load generator.")
        {
            IsHidden = true,
        };
        via.FromAmong("actor", "httpclient");
        var command = new Command("bench", "Load-test one URL, like hey or wrk.")
        {
            url, concurrency, maxConns, requests, duration, warmup, method, data, resultLine, config, via,
        };
        command.SetHandler(async context =>
        {
            var r = context.ParseResult;
            var io = (console ?? CliConsole.System)();
            BenchSettings settings;
            BenchArguments args;
            try
            {
                settings = BenchSettings.FromConfig(CliConfig.Load(r.GetValueForOption(config)));
                args = Bind(settings, r.GetValueForArgument(url), r.GetValueForOption(concurrency), r.GetValueForOption(maxConns),
                    r.GetValueForOption(requests), r.GetValueForOption(duration), r.GetValueForOption(warmup),
                    r.GetValueForOption(method), r.GetValueForOption(data), r.GetValueForOption(resultLine));
            }
            catch (Exception e) when (e is FormatException or ConfigurationException or IOException)
            {
                await io.Error.WriteLineAsync($"actorhttp bench: {e.Message}").ConfigureAwait(false);
                context.ExitCode = 2;
                return;
            }
            var factory = transport ?? (r.GetValueForOption(via) == "httpclient" ? ClientTransports.HttpClient : ClientTransports.Default);
            await using var session = await ClientSession.TryStartAsync(r.GetValueForOption(config), factory,
                io, "bench", client => client with
                {
                    Defaults = client.Defaults with { MaxConnsPerHost = args.MaxConns },
                    MaxIdleConns = client.MaxIdleConns == 0 ? 0 : Math.Max(client.MaxIdleConns, args.MaxConns),
                }).ConfigureAwait(false);
            if (session is null)
            {
                context.ExitCode = 1;
                return;
            }
            var result = await BenchRunner.RunAsync(args, session.Transport, session.System, session.Settings.For(args.Url).UserAgent, settings, io,
                context.GetCancellationToken()).ConfigureAwait(false);
            await io.Out.WriteLineAsync(args.ResultLine ? result.ResultLine() : BenchReport.Format(result, args, settings.HistogramRows))
                .ConfigureAwait(false);
            context.ExitCode = result.Succeeded > 0 ? 0 : 1;
        });
        return command;
    }

    /// <summary>Checks and converts the raw arguments, filling in the defaults.</summary>
    /// <exception cref="FormatException">A bad URL, count, duration or method, or both -n and -z.</exception>
    internal static BenchArguments Bind(BenchSettings defaults, string url, int? concurrency, int? maxConns, long? requests,
        string? duration, string? warmup, string? method, string? data, bool resultLine)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new FormatException($"'{url}' is not an absolute http or https URL.");
        if (requests is not null && duration is not null) throw new FormatException("Give -n or -z, not both.");
        int c = concurrency ?? defaults.Concurrency;
        if (c < 1) throw new FormatException("-c must be at least 1.");
        int n = maxConns ?? c;
        if (n < 1) throw new FormatException("--max-conns must be at least 1.");
        if (requests is < 1) throw new FormatException("-n must be at least 1.");
        TimeSpan? z = requests is null ? (duration is null ? defaults.Duration : DurationArgument.Parse(duration)) : null;
        if (z is { } zz && zz <= TimeSpan.Zero) throw new FormatException("-z must be positive.");
        var w = warmup is null ? defaults.Warmup : DurationArgument.Parse(warmup);
        var verb = method ?? (data is null ? "GET" : "POST");
        if (verb.Length == 0 || verb.Any(ch => ch <= ' ' || ch > '~' || "\"(),/:;<=>?@[\\]{}".Contains(ch)))
            throw new FormatException($"'{verb}' is not a method token.");
        return new BenchArguments(uri, c, n, requests, z, w, verb, data is null ? null : Encoding.UTF8.GetBytes(data), resultLine);
    }
}
