using System.CommandLine;
using ActorHttp.Cli.Bench;
using ActorHttp.Cli.Get;

namespace ActorHttp.Cli.Tests;

/// <summary>Runs a command in-process with string writers for standard output and error.</summary>
internal static class CommandRunner
{
    public sealed record Outcome(int ExitCode, string Out, string Error);

    public static Task<Outcome> GetAsync(RoundTripperFactory transport, params string[] args) =>
        RunAsync(console => GetCommand.Create(transport, () => console), args);

    public static Task<Outcome> BenchAsync(RoundTripperFactory transport, params string[] args) =>
        RunAsync(console => BenchCommand.Create(transport, () => console), args);

    /// <summary>The tool's own transport: the actor client (ActorTransport).</summary>
    public static readonly RoundTripperFactory Actors = ClientTransports.Default;

    private static async Task<Outcome> RunAsync(Func<CliConsole, Command> create, string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var command = create(new CliConsole(stdout, stderr, null, false));
        int code = await command.InvokeAsync(args);
        return new Outcome(code, stdout.ToString(), stderr.ToString());
    }
}
