using Akka.Actor;
using Akka.Event;

namespace ActorHttp.Faults;

/// <summary>
/// The harness's Akka logger: it counts warnings and errors (printed as <c>log_errors=</c> where a fault reports them)
/// and writes them to standard error only with <c>--verbose</c>, so that standard output holds the result lines alone.
/// </summary>
public sealed class CountingLogger : ReceiveActor
{
    private static long _errors, _warnings;

    /// <summary>Echo log events to standard error.</summary>
    public static volatile bool Verbose;

    /// <summary>Errors logged since the process started.</summary>
    public static long Errors => Interlocked.Read(ref _errors);

    /// <summary>Warnings logged since the process started.</summary>
    public static long Warnings => Interlocked.Read(ref _warnings);

    /// <summary>The logger.</summary>
    public CountingLogger()
    {
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(e =>
        {
            if (e is Error) Interlocked.Increment(ref _errors);
            else if (e is Warning) Interlocked.Increment(ref _warnings);
            if (Verbose) Console.Error.WriteLine($"[{e.LogLevel()}] {e.LogSource}: {e.Message}{(e.Cause is { } c ? " " + c.GetType().Name + ": " + c.Message : "")}");
        });
    }
}
