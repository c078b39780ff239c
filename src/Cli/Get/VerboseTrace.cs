using System.Diagnostics;
using System.Globalization;
using ActorHttp.Client;

namespace ActorHttp.Cli.Get;

/// <summary>
/// <c>actorhttp get -v</c>'s trace sink: writes each trace event to standard error as it happens,
/// stamped with the milliseconds since the command started, and keeps the moments a summary needs
/// (dial, TLS, request written, first byte). Events arrive on the transport's threads, the heads
/// on the caller's: every write takes one lock so lines never interleave.
/// </summary>
internal sealed class VerboseTrace : IClientTrace
{
    private readonly TextWriter _error;
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly Lock _lock = new();

    // Of the latest hop; written under _lock.
    private long _dialStart, _dialDone, _tlsStart, _tlsDone, _wroteRequest, _firstByte;

    public VerboseTrace(TextWriter error) => _error = error;

    public void OnEvent(ClientTraceEvent traceEvent)
    {
        long now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            string? line = traceEvent switch
            {
                GetConn e => $"getting a connection to {e.HostPort}",
                DialStart e => Mark(ref _dialStart, now, $"dialing {e.Address}"),
                DialDone { Error: null } e => Mark(ref _dialDone, now, $"connected to {e.RemoteEndPoint ?? e.Address} in {Ms(_dialStart, now)} ms"),
                DialDone e => $"dial to {e.Address} failed: {e.Error!.Message}",
                TlsHandshakeStart => Mark(ref _tlsStart, now, "TLS handshake"),
                TlsHandshakeDone { Error: null } e => Mark(ref _tlsDone, now,
                    $"TLS {e.Protocol}, ALPN {e.ApplicationProtocol ?? "none"}, in {Ms(_tlsStart, now)} ms"),
                TlsHandshakeDone e => $"TLS handshake failed: {e.Error!.Message}",
                GotConn { Reused: true } e => $"reusing a connection{(e.WasIdle ? $" idle for {e.IdleTime.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)} ms" : "")}",
                GotConn => "using a new connection",
                WroteHeaders => null,
                WroteRequest { Error: null } => Mark(ref _wroteRequest, now, "request written"),
                WroteRequest e => $"writing the request failed: {e.Error!.Message}",
                GotFirstResponseByte => Mark(ref _firstByte, now, "first response byte"),
                Got1xxResponse e => $"informational response {e.StatusCode}",
                PutIdleConn { Error: null } => "connection returned to the pool",
                PutIdleConn e => $"connection not kept: {e.Error}",
                _ => traceEvent.ToString(),
            };
            if (line is not null) _error.WriteLine($"* [{Ms(_start, now)} ms] {line}");
        }
    }

    /// <summary>Writes lines as they are (the heads), under the lock.</summary>
    public void WriteLines(IEnumerable<string> lines)
    {
        lock (_lock)
            foreach (var line in lines) _error.WriteLine(line);
    }

    /// <summary>Writes the timing summary of the last hop and the total since the start.</summary>
    public void WriteSummary()
    {
        long now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            _error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"* timings: dial {Span(_dialStart, _dialDone)}, tls {Span(_tlsStart, _tlsDone)}, request written {Since(_wroteRequest)}, first byte {Since(_firstByte)}, total {Ms(_start, now)} ms"));
        }
    }

    private static string Mark(ref long field, long now, string line)
    {
        field = now;
        return line;
    }

    private string Since(long at) => at == 0 ? "-" : Ms(_start, at) + " ms";

    private static string Span(long from, long to) => from == 0 || to == 0 ? "-" : Ms(from, to) + " ms";

    private static string Ms(long from, long to) =>
        Stopwatch.GetElapsedTime(from, to).TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture);
}
