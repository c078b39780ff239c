using System.Runtime.InteropServices;
using Akka.Actor;
using ActorHttp;
using ClusterKv;

// A ClusterKv node: dotnet run --project samples/ClusterKv -c Release -- --http-port 8081 --akka-port 4051 --seed 127.0.0.1:4051 --data kv.db
Options options;
try
{
    options = Options.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(Options.Usage);
    return 2;
}

KvApp.PrepareDataFile(options.DataFile);
var system = ActorSystem.Create(Options.SystemName,
    KvApp.BuildConfig(options, Environment.GetEnvironmentVariable(KvApp.OverridesVariable)));
Http.Get(system);   // ActorHttp's reference config and its serializer, before any request crosses nodes
KvApp.Start(system, options);

// SIGTERM and Ctrl+C leave gracefully: CoordinatedShutdown unbinds the HTTP server, drains its requests, hands the
// shards over to the other nodes and leaves the cluster. Cancelling the signal keeps the runtime from exiting first.
var shutdown = CoordinatedShutdown.Get(system);
void Leave(PosixSignalContext context)
{
    context.Cancel = true;
    shutdown.Run(CoordinatedShutdown.ClrExitReason.Instance);
}
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Leave);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Leave);

// The system also ends when the split-brain resolver downs this node, or when the HTTP server is gone (KvNode).
await system.WhenTerminated;
return shutdown.ShutdownReason?.ExitCode ?? 0;   // 0 after SIGTERM; not 0 when downed or when the server failed
