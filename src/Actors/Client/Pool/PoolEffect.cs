namespace ActorHttp.Client.Pool;

/// <summary>
/// Something a <see cref="HostPool{TConn}"/> decided and its owner must carry out: start a dial,
/// hand a connection to a request, fail a request, close a connection, or note one went idle.
/// </summary>
/// <remarks>
/// The pool is pure: it changes its own state and returns these, in the order they must be
/// carried out. The host pool actor pattern-matches each one onto a message or a child action;
/// tests compare them as values.
/// </remarks>
/// <typeparam name="TConn">The owner's handle on a connection (the connection actor's ref).</typeparam>
public abstract record PoolEffect<TConn> where TConn : class
{
    private PoolEffect() { }

    /// <summary>
    /// Start one dial now (Go's <c>startDialConnForLocked</c>). It is not bound to a request: report its
    /// outcome with <see cref="HostPool{TConn}.DialSucceeded"/> or <see cref="HostPool{TConn}.DialFailed"/>.
    /// </summary>
    public sealed record StartDial : PoolEffect<TConn>
    {
        /// <summary>The one instance: a dial carries no data.</summary>
        public static readonly StartDial Instance = new();

        private StartDial() { }
    }

    /// <summary>
    /// Give <paramref name="Conn"/> to <paramref name="Want"/>'s request (Go's <c>tryDeliver</c> succeeding).
    /// The fields are Go's <c>httptrace.GotConnInfo</c>.
    /// </summary>
    /// <remarks>If the request is gone by the time it arrives, return the connection with <see cref="HostPool{TConn}.TryPutIdleConn"/>.</remarks>
    /// <param name="Want">The request served; now <see cref="WantConnState.Delivered"/>.</param>
    /// <param name="Conn">Now busy.</param>
    /// <param name="Reused">It served a request before.</param>
    /// <param name="WasIdle">It was taken from the idle stack (it left the transport's idle LRU).</param>
    /// <param name="IdleTime">How long it was idle, when <paramref name="WasIdle"/>.</param>
    public sealed record Deliver(WantConn Want, TConn Conn, bool Reused, bool WasIdle, TimeSpan IdleTime) : PoolEffect<TConn>;

    /// <summary>Fail <paramref name="Want"/>'s request: nothing was written for it. <paramref name="Cause"/> is the dial error for <see cref="PoolErrorKind.DialFailed"/>.</summary>
    public sealed record Fail(WantConn Want, PoolErrorKind Kind, Exception? Cause = null) : PoolEffect<TConn>;

    /// <summary>
    /// Close <paramref name="Conn"/>: the pool has already forgotten it and freed its slot, so a later
    /// <see cref="HostPool{TConn}.ConnClosed"/> for it is a no-op. <paramref name="WasIdle"/>: it left the idle stack.
    /// </summary>
    public sealed record Close(TConn Conn, ConnCloseReason Reason, bool WasIdle) : PoolEffect<TConn>;

    /// <summary>
    /// <paramref name="Conn"/> was pushed on the idle stack (Go's <c>idleConn[key] = append(...)</c>); the
    /// owner reports it to the transport's <see cref="IdleConnLru{TKey, TConn}"/>.
    /// </summary>
    public sealed record Idled(TConn Conn) : PoolEffect<TConn>;
}
