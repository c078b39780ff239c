using ActorHttp.Kernel.Bench;
using BenchmarkDotNet.Running;

// `footprint`: retained memory per idle actor (a plain measurement, see ActorFootprint).
// Anything else goes to BenchmarkDotNet's switcher: --filter '*', --list flat.
if (args is ["footprint"])
{
    await ActorFootprint.RunAsync();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
