namespace ActorHttp.Client.Pool;

/// <summary>
/// Why a <see cref="HostPool{TConn}"/> failed a waiting request instead of giving it a connection.
/// </summary>
/// <remarks>
/// A closed set, carried by <see cref="PoolEffect{TConn}.Fail"/>; the client maps each kind onto its
/// one error type. None of these means anything reached the wire.
/// </remarks>
public enum PoolErrorKind
{
    /// <summary>The host was at max-conns-per-host and max-pending-requests requests already waited.</summary>
    TooManyPendingRequests,

    /// <summary>The request's deadline passed while it waited for a connection.</summary>
    WaitTimeout,

    /// <summary>The dial that would have served this request failed; the cause is attached.</summary>
    DialFailed,
}
