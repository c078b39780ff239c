using System.Globalization;

namespace ActorHttp.Faults;

/// <summary>The harness's help: usage, the line format, every fault with its criterion, and the scale constants.</summary>
public static class Help
{
    /// <summary>Writes the help to <paramref name="output"/>.</summary>
    public static void Print(TextWriter output)
    {
        output.WriteLine("""
            ActorHttp fault harness: faults against the real server and client on 127.0.0.1, each under a background load.

              dotnet run --project bench/Faults -c Release -- [--quick] [--only NAME[,NAME...]] [--seed N] [--verbose]

              --quick     the whole table in under 5 minutes on 2 cores (smaller churn, shorter timeouts and windows)
              --only      run these faults only
              --seed      seed of every random choice (default 12)
              --verbose   Akka warnings and errors to standard error (they are counted either way)
              --repeat N  run the chosen faults N times (calibration: --only control --repeat 5)
              --churn N   churn sends N requests (a leak's growth is proportional to it)

            Environment: FAULTS_TRACE=1 prints slow requests per quarter second and every GC (pause, promoted bytes) to
            standard error; FAULTS_HOCON="..." sets ActorHttp/Akka settings over every fault's own (experiments).

            One line per fault, then a summary; the exit status is 1 when any fault failed:
              FAULT <name> ok=<bool> requests=<n> answered=<n> failed_typed=<n> lost=<n> hung=<n> p99_ms=<x> baseline_p99_ms=<x> <key=value...> [why=<tokens>]
              FAULTS passed=<n> failed=<n>
            requests..lost count the ActorHttp client's requests of the fault window (the load and the fault's own);
            answered = a whole response, failed_typed = an HttpClientException, lost = anything else;
            hung = requests still open past their deadline (client: request timeout + grace; raw sockets: the fault's);
            p99_ms / baseline_p99_ms = the load's answered requests during the fault / before it.
            ok = lost=0, hung=0 and the fault's own criterion:
            """);
        foreach (var fault in FaultTable.All)
        {
            output.WriteLine($"  {fault.Name,-22} {fault.Does}");
            output.WriteLine($"  {"",-22} passes when {fault.PassesWhen}");
        }

        output.WriteLine();
        output.WriteLine("Constants (full / --quick):");
        var full = FaultScale.Full;
        var quick = FaultScale.Quick;
        foreach (var property in typeof(FaultScale).GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance))
        {
            if (property.Name == nameof(FaultScale.Name)) continue;
            var a = Format(property.GetValue(full));
            var b = Format(property.GetValue(quick));
            output.WriteLine($"  {property.Name,-28} {a}{(a == b ? "" : " / " + b)}");
        }
    }

    private static string Format(object? value) => value switch
    {
        TimeSpan t => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? "",
    };
}
