namespace ActorHttp.Client.Pool;

/// <summary>
/// Why a <see cref="HostPool{TConn}"/> asks for a connection to be closed (<see cref="PoolEffect{TConn}.Close"/>).
/// </summary>
public enum ConnCloseReason
{
    /// <summary>Keep-alives are disabled: a connection serves one request (Go's <c>errKeepAlivesDisabled</c>).</summary>
    KeepAlivesDisabled,

    /// <summary>Idle for idle-conn-timeout (Go's <c>errIdleConnTimeout</c>).</summary>
    IdleTimeout,

    /// <summary>Older than its max-conn-lifetime (minus its jitter).</summary>
    LifetimeExceeded,

    /// <summary>The host already holds max-idle-conns-per-host idle connections (Go's <c>errTooManyIdleHost</c>).</summary>
    TooManyIdleForHost,

    /// <summary>Evicted by the transport-wide max-idle-conns cap, least recently used first (Go's <c>errTooManyIdle</c>).</summary>
    TooManyIdle,

    /// <summary>The idle connections were closed on request (Go's <c>CloseIdleConnections</c>).</summary>
    ClosedIdle,

    /// <summary>The pool does not know the connection (returned twice, or after it was closed): close it rather than trust it.</summary>
    NotOwned,
}
