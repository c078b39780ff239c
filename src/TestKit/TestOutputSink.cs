using Serilog.Core;
using Serilog.Events;
using Xunit.Abstractions;

namespace ActorHttp.TestKit;

/// <summary>A Serilog sink that writes to xunit's per-test output, so a failing test shows its actors' logs.</summary>
internal sealed class TestOutputSink(ITestOutputHelper output) : ILogEventSink
{
    public void Emit(LogEvent logEvent)
    {
        var line = $"{logEvent.Timestamp:HH:mm:ss.fff} [{logEvent.Level}] {logEvent.RenderMessage()}";
        if (logEvent.Exception is { } e) line += Environment.NewLine + e;
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test already finished (a late log line from shutdown); xunit refuses output then.
        }
    }
}
