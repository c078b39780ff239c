using ActorHttp.Client;

namespace ActorHttp.Cli.Bench;

/// <summary>
/// One load loop's trace sink: counts requests served on a new or a reused connection, and the dials
/// the request's trace saw. One per loop, so the counters are never contended; increments are interlocked only
/// because the transport raises events from its own threads.
/// </summary>
internal sealed class PoolCounters : IClientTrace
{
    private long _dialed, _dialFailed, _reused, _fresh;

    /// <summary>Connections dialed successfully.</summary>
    public long Dialed => Volatile.Read(ref _dialed);

    /// <summary>Dials that failed.</summary>
    public long DialFailed => Volatile.Read(ref _dialFailed);

    /// <summary>Requests that got a connection that had served an earlier request.</summary>
    public long Reused => Volatile.Read(ref _reused);

    /// <summary>Requests that got a connection that had served none.</summary>
    public long Fresh => Volatile.Read(ref _fresh);

    public void OnEvent(ClientTraceEvent traceEvent)
    {
        switch (traceEvent)
        {
            case DialDone { Error: null }: Interlocked.Increment(ref _dialed); break;
            case DialDone: Interlocked.Increment(ref _dialFailed); break;
            case GotConn { Reused: true }: Interlocked.Increment(ref _reused); break;
            case GotConn: Interlocked.Increment(ref _fresh); break;
        }
    }
}
