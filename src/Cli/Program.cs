using System.CommandLine;
using ActorHttp.Cli.Bench;
using ActorHttp.Cli.Get;
using ActorHttp.Cli.Serve;

// actorhttp: the ActorHttp command-line tool (serve, get, bench).
var root = new RootCommand("ActorHttp: an HTTP/1.1 client and server whose every connection is an actor.")
{
    ServeCommand.Create(),
    GetCommand.Create(),
    BenchCommand.Create(),
};
return await root.InvokeAsync(args);
