namespace ActorHttp.Client.Pool;

/// <summary>
/// A snapshot of one host pool's connections and waiting requests (the <c>GetPoolStats</c> answer).
/// </summary>
/// <param name="Idle">Connections on the idle stack.</param>
/// <param name="Busy">Connections handed to a request and not yet returned or closed.</param>
/// <param name="Dialing">Dials started and not yet reported.</param>
/// <param name="Waiting">Requests queued for a connection.</param>
public readonly record struct PoolStats(int Idle, int Busy, int Dialing, int Waiting)
{
    /// <summary>Go's <c>connsPerHost</c>: what max-conns-per-host bounds.</summary>
    public int Conns => Idle + Busy + Dialing;
}
