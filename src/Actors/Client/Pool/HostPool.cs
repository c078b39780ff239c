using System.Diagnostics;

namespace ActorHttp.Client.Pool;

/// <summary>
/// The connection pool of one connection key as a pure state machine: Go's per-key Transport
/// state (<c>idleConn</c>, <c>idleConnWait</c>, <c>connsPerHost</c>, <c>connsPerHostWait</c>) and the
/// verbs that move it. The host pool actor owns one and carries out the <see cref="PoolEffect{TConn}"/>s
/// every operation returns.
/// </summary>
/// <remarks>
/// <para><b>Ownership.</b> One host pool actor owns the instance and is the only caller; nothing here
/// is thread-safe and nothing needs to be. There is no clock, no timer and no I/O: the caller passes
/// <c>now</c> (monotonic time from any origin) into every operation, so tests replay any interleaving.</para>
///
/// <para><b>Shape.</b> Connections are idle (on a LIFO stack: the most recently returned is taken first,
/// so the least used ones age out by idle-conn-timeout), busy (handed to a request), or dialing (a
/// count: a dial has no connection yet). Requests that found no idle connection wait in one FIFO queue.
/// dialing + busy + idle never exceeds max-conns-per-host (when it is not 0).</para>
///
/// <para><b>The one rule.</b> Every operation ends in <see cref="DialForWaiters"/>: while more requests
/// wait than dials are in flight and a slot is free, start a dial. A freed slot (Go's
/// <c>decConnsPerHost</c>) and a new request (Go's <c>queueForDial</c>) are both just cases of it.</para>
///
/// <para><b>Dials are not bound to requests.</b> Go starts a dial for one <c>wantConn</c> but lets an idle
/// connection serve that want first, and since Go 1.23 a dial outlives a request that gave up
/// (golang/go#59017, #66442): either way the dialed connection goes idle for the next waiter. Here a dial belongs to no one: its connection goes to the oldest live waiter, or idle. The
/// outcome is the same FIFO service with one fewer moving part, and it allows SocketsHttpHandler's rule
/// for when to dial (waiters &gt; pending dials): a request that arrives while a surplus dial is in flight
/// (its requester gave up) waits for that dial instead of starting another.</para>
///
/// <para><b>A failed dial</b> fails the oldest live waiter with <see cref="PoolErrorKind.DialFailed"/>, but only
/// if the dials still in flight are fewer than the waiters: the dial that failed was, in FIFO terms,
/// the one serving that waiter (Go gives the error to the want the dial was started for, if it still waits). When the
/// remaining dials still cover every waiter, nobody fails: one of them will serve the oldest. If the
/// host was at max-conns-per-host, the freed slot then dials for the next uncovered waiter.</para>
///
/// <para><b>max-pending-requests</b> bounds the requests waiting for a connection slot: those that found
/// no idle connection, no free slot (the host is at max-conns-per-host) and no surplus dial in flight.
/// Requests with a dial in flight for them are bounded by max-conns-per-host already and do not count;
/// with max-conns-per-host = 0 nobody ever waits for a slot, so the bound never applies. When that many
/// already wait, the next such request fails at once with <see cref="PoolErrorKind.TooManyPendingRequests"/>.</para>
///
/// <para><b>Closing.</b> When the pool asks for a close it forgets the connection and frees its slot at
/// once (Go decrements <c>connsPerHost</c> in <c>closeLocked</c>, not when the socket is gone), so the
/// <see cref="ConnClosed"/> that follows is a no-op. A connection that dies on its own reaches
/// <see cref="ConnClosed"/> first; the slot then goes to the next waiter.</para>
///
/// <para><b>The owner's loop.</b> Every operation returns effects to carry out in order (the list is valid until the
/// next operation); then re-arm the timer:</para>
/// <code>
/// foreach (var effect in pool.GetConn(want, now))
///     switch (effect)
///     {
///         case PoolEffect&lt;IActorRef&gt;.StartDial:     /* start a connection actor that dials and reports back */ break;
///         case PoolEffect&lt;IActorRef&gt;.Deliver d:     /* tell d.Want's requester: d.Conn, d.Reused, d.IdleTime */ break;
///         case PoolEffect&lt;IActorRef&gt;.Fail f:        /* tell f.Want's requester: a failure of kind f.Kind */ break;
///         case PoolEffect&lt;IActorRef&gt;.Close c:       /* stop c.Conn; if c.WasIdle, tell the transport's LRU */ break;
///         case PoolEffect&lt;IActorRef&gt;.Idled i:       /* tell the transport's LRU */ break;
///     }
/// if (pool.NextDeadline is { } due) /* (re)arm a single timer for due; on it, call pool.Tick(now) */;
/// </code>
///
/// <para><b>Late deliveries.</b> A request cancelled while its <see cref="PoolEffect{TConn}.Deliver"/> was in
/// flight gives the connection back with <see cref="TryPutIdleConn"/> (Go's <c>wantConn.cancel</c>
/// putting a delivered connection back).</para>
/// </remarks>
/// <typeparam name="TConn">The owner's handle on a connection (the connection actor's ref); compared with its own equality.</typeparam>
public sealed class HostPool<TConn> where TConn : class
{
    // A live connection the pool knows: idle when IdleNode is set, busy otherwise.
    private sealed class ConnEntry(TConn conn, TimeSpan? expiresAt)
    {
        public TConn Conn { get; } = conn;

        // Dial time + max-conn-lifetime - jitter; null when there is no lifetime limit.
        public TimeSpan? ExpiresAt { get; } = expiresAt;

        // Go: persistConn.idleAt. Meaningful only while idle.
        public TimeSpan IdleSince { get; set; }

        // Its node on the idle stack; null while busy. One field, so "idle and busy" cannot be represented.
        public LinkedListNode<ConnEntry>? IdleNode { get; set; }
    }

    private readonly HostPoolSettings settings;
    private readonly Func<double> random;

    // Every idle and busy connection (Go's connsPerHost counts these plus dials).
    private readonly Dictionary<TConn, ConnEntry> conns;

    // Go: idleConn[key]. Most recently used at the end (Last is the top of the stack); First is the oldest.
    private readonly LinkedList<ConnEntry> idle = new();

    // Go: idleConnWait[key] and connsPerHostWait[key] in one FIFO queue; oldest first, only live wants.
    private readonly LinkedList<WantConn> waiting = new();
    private readonly Dictionary<long, WantConn> waitingById = new();

    // Dials started and not yet reported (Go counts them in connsPerHost).
    private int dialing;

    // Never later than the earliest real deadline; may be earlier after removals (then Tick finds
    // nothing, and sets it exactly). Cheap to keep, so no scan on the hot path.
    private TimeSpan? nextDeadline;

    // Effects of the operation in progress. One list, reused: an operation's result is read before the next
    // operation starts (the owner's loop), and a list per operation was a good part of a request's allocations.
    private readonly List<PoolEffect<TConn>> effects = new(4);

    /// <summary>Creates an empty pool.</summary>
    /// <param name="settings">Its limits (validated here).</param>
    /// <param name="random">Uniform in [0, 1), for the lifetime jitter; tests pass a fixed one. Default: <see cref="Random.Shared"/>.</param>
    /// <param name="comparer">How connection handles are compared; null = their own equality.</param>
    public HostPool(HostPoolSettings settings, Func<double>? random = null, IEqualityComparer<TConn>? comparer = null)
    {
        this.settings = settings.Validate();
        this.random = random ?? Random.Shared.NextDouble;
        conns = new Dictionary<TConn, ConnEntry>(comparer);
    }

    /// <summary>The limits this pool enforces.</summary>
    public HostPoolSettings Settings => settings;

    /// <summary>Idle, busy, dialing and waiting counts.</summary>
    public PoolStats Stats => new(idle.Count, conns.Count - idle.Count, dialing, waiting.Count);

    /// <summary>
    /// When to call <see cref="Tick"/> next (an idle timeout, a lifetime or a waiter's deadline); null = no
    /// timer needed. Never later than the real next deadline; possibly earlier, which costs one idle tick.
    /// </summary>
    public TimeSpan? NextDeadline => nextDeadline;

    /// <summary>
    /// A request wants a connection (Go's <c>getConn</c>): the most recently idled live connection
    /// (<see cref="PoolEffect{TConn}.Deliver"/>), else it waits and, if a slot is free, a dial starts
    /// (<see cref="PoolEffect{TConn}.StartDial"/>), else it only waits — or it is refused
    /// (<see cref="PoolEffect{TConn}.Fail"/>, <see cref="PoolErrorKind.TooManyPendingRequests"/>).
    /// Stale idle connections met on the way are closed.
    /// </summary>
    public IReadOnlyList<PoolEffect<TConn>> GetConn(WantConn want, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(want);
        if (!want.IsWaiting || waitingById.ContainsKey(want.Id))
            throw new ArgumentException($"{want} is not a new waiting want", nameof(want));
        effects.Clear();
        if (!QueueForIdleConn(want, now)) QueueForDial(want);
        return End();
    }

    /// <summary>
    /// A busy connection finished its exchange and may be reused (Go's <c>tryPutIdleConn</c>): it serves the
    /// oldest live waiter, else goes on the idle stack (<see cref="PoolEffect{TConn}.Idled"/>), else — keep-alives
    /// disabled, lifetime over, per-host idle cap reached, or not a connection this pool lent — it is closed.
    /// </summary>
    public IReadOnlyList<PoolEffect<TConn>> TryPutIdleConn(TConn conn, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(conn);
        effects.Clear();
        if (!conns.TryGetValue(conn, out var entry) || entry.IdleNode is not null)
        {
            // Returned twice, or after the pool closed it: whatever it is, it must not be reused.
            var wasIdle = entry is not null;
            if (entry is not null) Forget(entry);
            Emit(new PoolEffect<TConn>.Close(conn, ConnCloseReason.NotOwned, wasIdle));
            return End();
        }

        var reason = settings.DisableKeepAlives ? ConnCloseReason.KeepAlivesDisabled
            : LifetimeOver(entry, now) ? ConnCloseReason.LifetimeExceeded
            : (ConnCloseReason?)null;
        if (reason is { } r)
        {
            Forget(entry);
            Emit(new PoolEffect<TConn>.Close(conn, r, WasIdle: false));
        }
        else if (PopLiveWaiter(now) is { } want)
        {
            Deliver(want, entry, reused: true, wasIdle: false, TimeSpan.Zero);
        }
        else
        {
            PutIdle(entry, now);
        }
        return End();
    }

    /// <summary>
    /// A dial started by <see cref="PoolEffect{TConn}.StartDial"/> produced <paramref name="conn"/> (Go's
    /// <c>dialConnFor</c> succeeding): it serves the oldest live waiter, else goes idle, else is closed.
    /// </summary>
    public IReadOnlyList<PoolEffect<TConn>> DialSucceeded(TConn conn, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(conn);
        effects.Clear();
        if (dialing == 0 || conns.ContainsKey(conn))
        {
            Debug.Fail($"DialSucceeded({conn}) without a dial in flight, or for a known connection");
            Emit(new PoolEffect<TConn>.Close(conn, ConnCloseReason.NotOwned, WasIdle: false));
            return End();
        }

        dialing--;
        var expiresAt = settings.MaxConnLifetime > TimeSpan.Zero
            ? now + settings.MaxConnLifetime - settings.MaxConnLifetimeJitter * random()
            : (TimeSpan?)null;
        var entry = new ConnEntry(conn, expiresAt);
        conns.Add(conn, entry);
        if (PopLiveWaiter(now) is { } want)
        {
            Deliver(want, entry, reused: false, wasIdle: false, TimeSpan.Zero);
        }
        else if (settings.DisableKeepAlives)
        {
            // A late dial with keep-alives off has nobody to serve and may not idle.
            Forget(entry);
            Emit(new PoolEffect<TConn>.Close(conn, ConnCloseReason.KeepAlivesDisabled, WasIdle: false));
        }
        else
        {
            // As Go 1.23 (golang/go#59017): a dial whose request was served elsewhere, or gave up, still pools its connection.
            PutIdle(entry, now);
        }
        return End();
    }

    /// <summary>
    /// A dial failed (Go's <c>dialConnFor</c> with an error): the oldest live waiter gets
    /// <paramref name="error"/> if the remaining dials cannot cover every waiter (see the remarks);
    /// the freed slot may start a dial for the next one.
    /// </summary>
    public IReadOnlyList<PoolEffect<TConn>> DialFailed(Exception error, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(error);
        effects.Clear();
        if (dialing == 0)
        {
            Debug.Fail("DialFailed without a dial in flight");
            return End();
        }

        dialing--;
        ExpireWaitersAtHead(now);
        if (waiting.Count > dialing && waiting.First is { } first)
        {
            var want = first.Value;
            Dequeue(want);
            want.TryDeliver(WantConnState.Failed);
            Emit(new PoolEffect<TConn>.Fail(want, PoolErrorKind.DialFailed, error));
        }
        return End();
    }

    /// <summary>
    /// A connection died or was stopped (the actor's <c>Terminated</c>; Go's <c>decConnsPerHost</c> from
    /// <c>closeLocked</c>): the pool forgets it, and its slot goes to the next waiter. A connection the
    /// pool already closed, or never knew, changes nothing.
    /// </summary>
    public IReadOnlyList<PoolEffect<TConn>> ConnClosed(TConn conn, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(conn);
        effects.Clear();
        if (conns.TryGetValue(conn, out var entry)) Forget(entry);
        ExpireWaitersAtHead(now);
        return End();
    }

    /// <summary>
    /// A waiting request withdraws (Go's <c>wantConn.cancel</c>): it leaves the queue and dials in flight go on
    /// (Go 1.23: their connections go idle). False when it was not waiting here (already served, failed,
    /// cancelled, or unknown); a connection already delivered to it comes back through <see cref="TryPutIdleConn"/>.
    /// </summary>
    public bool CancelWant(long wantId)
    {
        if (!waitingById.TryGetValue(wantId, out var want)) return false;
        Dequeue(want);
        want.TryDeliver(WantConnState.Cancelled);
        AssertInvariants();
        return true;
    }

    /// <summary>
    /// The owner's timer fired: closes idle connections past idle-conn-timeout or their lifetime (Go's
    /// <c>closeConnIfStillIdle</c>) and fails waiters past their deadline, then sets <see cref="NextDeadline"/> exactly.
    /// </summary>
    public IReadOnlyList<PoolEffect<TConn>> Tick(TimeSpan now)
    {
        effects.Clear();
        if (nextDeadline is not { } due || now < due) return End();

        for (var node = idle.First; node is not null;)
        {
            var next = node.Next;
            if (IdleExpiry(node.Value, now) is { } reason)
            {
                Forget(node.Value);
                Emit(new PoolEffect<TConn>.Close(node.Value.Conn, reason, WasIdle: true));
            }
            node = next;
        }
        for (var node = waiting.First; node is not null;)
        {
            var next = node.Next;
            if (node.Value.IsExpired(now)) FailExpired(node.Value);
            node = next;
        }

        nextDeadline = null;
        foreach (var entry in idle) LowerNextDeadline(entry);
        foreach (var want in waiting)
            if (want.Deadline is { } d) LowerNextDeadline(d);
        return End();
    }

    /// <summary>
    /// Closes <paramref name="conn"/> if it is idle here (Go's <c>removeIdleConnLocked</c> after the transport's
    /// global LRU evicted it); nothing if it was taken meanwhile.
    /// </summary>
    public IReadOnlyList<PoolEffect<TConn>> CloseIdleConn(TConn conn, ConnCloseReason reason)
    {
        effects.Clear();
        if (conns.TryGetValue(conn, out var entry) && entry.IdleNode is not null)
        {
            Forget(entry);
            Emit(new PoolEffect<TConn>.Close(conn, reason, WasIdle: true));
        }
        return End();
    }

    /// <summary>Closes every idle connection (Go's <c>CloseIdleConnections</c>); busy ones and dials are left alone.</summary>
    public IReadOnlyList<PoolEffect<TConn>> CloseIdleConnections()
    {
        effects.Clear();
        while (idle.First is { } node)
        {
            Forget(node.Value);
            Emit(new PoolEffect<TConn>.Close(node.Value.Conn, ConnCloseReason.ClosedIdle, WasIdle: true));
        }
        return End();
    }

    // Go: queueForIdleConn. Takes from the top of the stack, closing stale connections met on the way.
    // (Go also parks the want in idleConnWait here; our single queue is joined in QueueForDial.)
    private bool QueueForIdleConn(WantConn want, TimeSpan now)
    {
        while (idle.Last is { } node)
        {
            var entry = node.Value;
            if (IdleExpiry(entry, now) is { } reason)
            {
                Forget(entry);
                Emit(new PoolEffect<TConn>.Close(entry.Conn, reason, WasIdle: true));
                continue;
            }
            var idleTime = now - entry.IdleSince;
            idle.Remove(node);
            entry.IdleNode = null;
            Deliver(want, entry, reused: true, wasIdle: true, idleTime);
            return true;
        }
        return false;
    }

    // Go: queueForDial. Joins the queue; End's DialForWaiters starts the dial if a slot is free.
    private void QueueForDial(WantConn want)
    {
        var coveredBySurplusDial = waiting.Count < dialing;
        var pendingForSlot = waiting.Count - dialing;
        if (!coveredBySurplusDial && !HasFreeSlot && settings.MaxPendingRequests > 0
            && pendingForSlot >= settings.MaxPendingRequests)
        {
            want.TryDeliver(WantConnState.Failed);
            Emit(new PoolEffect<TConn>.Fail(want, PoolErrorKind.TooManyPendingRequests));
            return;
        }
        want.QueueNode = waiting.AddLast(want);
        waitingById.Add(want.Id, want);
        if (want.Deadline is { } d) LowerNextDeadline(d);
    }

    // Go: decConnsPerHost handing a freed slot to connsPerHostWait, and queueForDial's dial. Run at the end
    // of every operation, so "a free slot and an uncovered waiter" never survives one.
    private void DialForWaiters()
    {
        while (waiting.Count > dialing && HasFreeSlot)
        {
            dialing++;
            Emit(PoolEffect<TConn>.StartDial.Instance);
        }
    }

    private bool HasFreeSlot => settings.MaxConnsPerHost == 0 || conns.Count + dialing < settings.MaxConnsPerHost;

    // The idle-conn half of Go's tryPutIdleConn, once no waiter wanted the connection.
    private void PutIdle(ConnEntry entry, TimeSpan now)
    {
        if (settings.MaxIdleConnsPerHost > 0 && idle.Count >= settings.MaxIdleConnsPerHost)
        {
            // Go closes the returned connection, not an older idle one: the cap is a refusal, not an eviction.
            Forget(entry);
            Emit(new PoolEffect<TConn>.Close(entry.Conn, ConnCloseReason.TooManyIdleForHost, WasIdle: false));
            return;
        }
        entry.IdleSince = now;
        entry.IdleNode = idle.AddLast(entry);
        LowerNextDeadline(entry);
        Emit(new PoolEffect<TConn>.Idled(entry.Conn));
    }

    // Go: wantConnQueue.popFront after cleanFrontNotWaiting; waiters past their deadline fail on the way.
    private WantConn? PopLiveWaiter(TimeSpan now)
    {
        ExpireWaitersAtHead(now);
        if (waiting.First is not { } first) return null;
        Dequeue(first.Value);
        return first.Value;
    }

    private void ExpireWaitersAtHead(TimeSpan now)
    {
        while (waiting.First is { } first && first.Value.IsExpired(now)) FailExpired(first.Value);
    }

    private void FailExpired(WantConn want)
    {
        Dequeue(want);
        want.TryDeliver(WantConnState.Failed);
        Emit(new PoolEffect<TConn>.Fail(want, PoolErrorKind.WaitTimeout));
    }

    // Go: wantConn.tryDeliver succeeding; the connection is busy from here on.
    private void Deliver(WantConn want, ConnEntry entry, bool reused, bool wasIdle, TimeSpan idleTime)
    {
        var delivered = want.TryDeliver(WantConnState.Delivered);
        Debug.Assert(delivered, $"{want} delivered twice");
        Debug.Assert(entry.IdleNode is null, "a delivered connection must not be idle");
        Emit(new PoolEffect<TConn>.Deliver(want, entry.Conn, reused, wasIdle, idleTime));
    }

    private void Dequeue(WantConn want)
    {
        Debug.Assert(want.QueueNode is not null);
        waiting.Remove(want.QueueNode);
        want.QueueNode = null;
        waitingById.Remove(want.Id);
    }

    // Drops the connection from every structure: its slot is free from here on.
    private void Forget(ConnEntry entry)
    {
        if (entry.IdleNode is not null)
        {
            idle.Remove(entry.IdleNode);
            entry.IdleNode = null;
        }
        conns.Remove(entry.Conn);
    }

    private static bool LifetimeOver(ConnEntry entry, TimeSpan now) => entry.ExpiresAt is { } e && now >= e;

    // Why an idle connection must go now, if it must. Lifetime first: it is the stricter statement.
    private ConnCloseReason? IdleExpiry(ConnEntry entry, TimeSpan now) =>
        LifetimeOver(entry, now) ? ConnCloseReason.LifetimeExceeded
        : settings.IdleConnTimeout > TimeSpan.Zero && now - entry.IdleSince >= settings.IdleConnTimeout ? ConnCloseReason.IdleTimeout
        : null;

    private void LowerNextDeadline(ConnEntry idleEntry)
    {
        if (settings.IdleConnTimeout > TimeSpan.Zero) LowerNextDeadline(idleEntry.IdleSince + settings.IdleConnTimeout);
        if (idleEntry.ExpiresAt is { } e) LowerNextDeadline(e);
    }

    private void LowerNextDeadline(TimeSpan at)
    {
        if (nextDeadline is not { } current || at < current) nextDeadline = at;
    }

    private void Emit(PoolEffect<TConn> effect) => effects.Add(effect);

    private IReadOnlyList<PoolEffect<TConn>> End()
    {
        DialForWaiters();
        AssertInvariants();
        return effects.Count == 0 ? Array.Empty<PoolEffect<TConn>>() : effects;
    }

    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        Debug.Assert(dialing >= 0, "dialing < 0");
        Debug.Assert(settings.MaxConnsPerHost == 0 || conns.Count + dialing <= settings.MaxConnsPerHost, "max-conns-per-host exceeded");
        Debug.Assert(idle.Count == 0 || waiting.Count == 0, "an idle connection while requests wait");
        Debug.Assert(!HasFreeSlot || waiting.Count <= dialing, "a free slot while a waiter has no dial");
        Debug.Assert(waiting.Count == waitingById.Count, "queue and index disagree");
    }

    /// <summary>
    /// Checks every invariant by a full scan and describes the first one broken; null when all hold.
    /// Tests call it after every step; <see cref="AssertInvariants"/> checks the cheap ones in debug builds.
    /// </summary>
    internal string? FindInvariantViolation()
    {
        if (dialing < 0) return $"dialing = {dialing}";
        if (settings.MaxConnsPerHost > 0 && conns.Count + dialing > settings.MaxConnsPerHost)
            return $"conns {conns.Count} + dialing {dialing} > max-conns-per-host {settings.MaxConnsPerHost}";
        if (idle.Count > 0 && waiting.Count > 0) return $"{idle.Count} idle while {waiting.Count} wait";
        if (HasFreeSlot && waiting.Count > dialing) return $"free slot, {waiting.Count} waiting, {dialing} dialing";
        if (settings.DisableKeepAlives && idle.Count > 0) return "idle connection with keep-alives disabled";
        if (settings.MaxIdleConnsPerHost > 0 && idle.Count > settings.MaxIdleConnsPerHost)
            return $"{idle.Count} idle > max-idle-conns-per-host {settings.MaxIdleConnsPerHost}";
        var idleSeen = 0;
        var previousIdleSince = TimeSpan.MinValue;
        foreach (var entry in idle)
        {
            if (!conns.TryGetValue(entry.Conn, out var known) || !ReferenceEquals(known, entry)) return $"idle {entry.Conn} not in conns";
            if (entry.IdleSince < previousIdleSince) return "idle stack not ordered by idle time";
            previousIdleSince = entry.IdleSince;
            idleSeen++;
        }
        if (conns.Values.Count(e => e.IdleNode is not null) != idleSeen) return "a connection marked idle is not on the stack";
        if (waiting.Count != waitingById.Count) return "queue and index disagree";
        foreach (var want in waiting)
        {
            if (!want.IsWaiting) return $"{want} queued but not waiting";
            if (!waitingById.TryGetValue(want.Id, out var indexed) || !ReferenceEquals(indexed, want)) return $"{want} not indexed";
            if (want.Deadline is { } d && (nextDeadline is null || nextDeadline > d)) return $"next deadline {nextDeadline} after {want}'s {d}";
        }
        return null;
    }
}
