using ActorHttp.Akka.Bench;
using BenchmarkDotNet.Running;

// `footprint`: retained memory per idle actor and per connection-shaped group, default mailbox
// against the compact one (a plain measurement, see ActorFootprint).
// Anything else goes to BenchmarkDotNet's switcher: --filter '*', --list flat.
if (args is ["footprint", ..])
{
    await ActorFootprint.RunAsync();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
