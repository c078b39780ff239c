using ActorHttp.Akka.Bench;
using BenchmarkDotNet.Running;

// `footprint`: retained memory per idle actor and per connection-shaped group, default mailbox
// against the compact one (a plain measurement, see ActorFootprint).
// `crossings`: round trips between a loop and another loop or the default dispatcher (the cost of
// waking an idle thread; see Crossings).
// Anything else goes to BenchmarkDotNet's switcher: --filter '*', --list flat.
if (args is ["footprint", ..])
{
    await ActorFootprint.RunAsync();
    return;
}

if (args is ["crossings", ..])
{
    await Crossings.RunAsync();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
