using ActorHttp.Kernel.Bench;
using BenchmarkDotNet.Running;

// `footprint`: retained memory per idle actor (a plain measurement, see ActorFootprint);
// `footprint --by-type` adds which types those bytes are.
// Anything else goes to BenchmarkDotNet's switcher: --filter '*', --list flat.
if (args is ["footprint", ..])
{
    await ActorFootprint.RunAsync(byType: args is [_, "--by-type"]);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
