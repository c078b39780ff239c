using System.Diagnostics;
using System.Globalization;
using ActorHttp.Faults;

// The fault harness (issue 12). Prints one FAULT line per fault and a FAULTS summary; exits 1 when any failed.
//   dotnet run --project bench/Faults -c Release -- [--quick] [--only NAME[,NAME...]] [--seed N] [--verbose]
// Internal: --helper ...   (the child processes the harness starts itself; see Helpers)

if (args.Length >= 1 && args[0] == "--helper") return await Helpers.RunAsync(args[1..]);

var quick = false;
var repeat = 1;
long? churn = null;
int? seed = null;
string[]? only = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--quick": quick = true; break;
        case "--only" when i + 1 < args.Length: only = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries); break;
        case "--seed" when i + 1 < args.Length: seed = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--verbose": CountingLogger.Verbose = true; break;
        case "--repeat" when i + 1 < args.Length: repeat = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--churn" when i + 1 < args.Length: churn = long.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "-h" or "--help":
            Help.Print(Console.Out);
            return 0;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}'");
            Help.Print(Console.Error);
            return 2;
    }
}

var scale = quick ? FaultScale.Quick : FaultScale.Full;
if (seed is { } s) scale = scale with { Seed = s };
if (churn is { } c) scale = scale with { ChurnRequests = c, Name = scale.Name + "+churn" };
if (only?.FirstOrDefault(n => FaultTable.Find(n) is null) is { } unknown)
{
    Console.Error.WriteLine($"no fault named '{unknown}'; faults: {string.Join(", ", FaultTable.All.Select(f => f.Name))}");
    return 2;
}

var faults = Enumerable.Repeat(FaultTable.All.Where(f => only is null || only.Contains(f.Name)), repeat).SelectMany(f => f).ToList();
var fdLimit = ProcessFacts.RaiseFileLimit(Helpers.FileLimit);
Console.Error.WriteLine($"faults: scale={scale.Name} seed={scale.Seed} fd_limit={fdLimit}");
await Warmup.RunAsync(scale, Warmup.Duration);
Console.Error.WriteLine($"warm-up done; client connections its stopped transport still counted open: {Meters.ClientConnectionsLeftAtDispose}");
int passed = 0, failed = 0;
foreach (var fault in faults)
{
    var clock = Stopwatch.StartNew();
    var result = await FaultTable.RunAsync(fault, scale);
    Console.WriteLine(result.Line());
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ({fault.Name}: {clock.Elapsed.TotalSeconds:F1} s)"));
    if (result.Ok) passed++;
    else failed++;
}
Console.WriteLine($"FAULTS passed={passed} failed={failed}");
return failed == 0 ? 0 : 1;
