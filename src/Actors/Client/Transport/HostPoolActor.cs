using System.Diagnostics;
using ActorHttp.Client.Connection;
using ActorHttp.Client.Pool;
using ActorHttp.Client.Settings;
using Akka.Actor;

namespace ActorHttp.Client.Transport;

/// <summary>
/// The pool of one connection key (Go's per-key <c>idleConn</c>, <c>idleConnWait</c>, <c>connsPerHost</c>,
/// <c>connsPerHostWait</c>): it owns a <see cref="HostPool{TConn}"/> of connection actors, carries out the
/// effects that state machine returns (start a connection, hand one to a request, fail a request, close),
/// supervises the <see cref="PersistentConnection"/> children, and retries a request when its connection failed in
/// the way Go's <c>shouldRetryRequest</c> allows. Its parent is the <see cref="TransportActor"/>.
/// </summary>
/// <remarks>
/// <para><b>Supervision.</b> Connections are never restarted (a half-read stream cannot be resumed): a failed one
/// stops, and its <see cref="Terminated"/> frees its slot, which the pool gives to the next waiter.</para>
/// <para><b>Ordering.</b> A connection reports the end of its exchange before it stops, but <see cref="Terminated"/>
/// may overtake those reports. So on <see cref="Terminated"/> this actor tells itself <c>ConnGone</c>, which
/// queues behind anything the connection sent; an exchange still on record then was never received by the
/// connection (it stopped first — typically the server closed it while idle): nothing of it was written, and it is
/// retried if that connection was a reused one (see Gone).</para>
/// <para><b>Retries.</b> As Go's <c>Transport.roundTrip</c> loops, a request is queued again each time its connection
/// fails in a retryable way, so two stale idle connections in a row are both retried. The loop is bounded without a
/// count: only a failure on a reused connection is retryable (the connection decides, see
/// <c>PersistentConnection.Retryable</c>; and here, for an exchange a dead connection never took), so every retry
/// spends a connection that had answered before, the idle stack empties, and a retry that gets a fresh dial ends it.
/// The request's deadline (<c>request-timeout</c>, from its first arrival) bounds the whole loop too.</para>
/// <para><b>Ownership.</b> Every field is this actor's; the transport learns of idle connections through messages.</para>
/// </remarks>
public sealed class HostPoolActor : ReceiveActor, IWithTimers
{
    /// <summary>Event from a connection: it is dialed and ready.</summary>
    public sealed record ConnDialed
    {
        /// <summary>The one instance.</summary>
        public static readonly ConnDialed Instance = new();

        private ConnDialed() { }
    }

    /// <summary>Event from a connection: its dial failed; it stops.</summary>
    public sealed record ConnDialFailed(HttpClientException Error);

    /// <summary>Event from a connection: exchange <paramref name="Id"/> failed before its response; the connection stops.</summary>
    public sealed record ExchangeFailed(long Id, HttpClientException Error, bool Retryable);

    /// <summary>Event from a connection: exchange <paramref name="Id"/>'s response is over; reusable connections wait for the next.</summary>
    public sealed record ExchangeFinished(long Id, bool Reusable);

    /// <summary>Command from the transport: close this connection if it is idle (the global idle cap evicted it).</summary>
    public sealed record CloseIdleConn(IActorRef Conn);

    /// <summary>Command from the transport: its connections outnumber max-idle-conns; report idle changes from now on
    /// (starting with the connections idle now). See <see cref="TransportActor"/> for why not from the start.</summary>
    public sealed record TrackIdle
    {
        /// <summary>The one instance.</summary>
        public static readonly TrackIdle Instance = new();

        private TrackIdle() { }
    }

    /// <summary>Command from a cluster-wide pool that hands its shard over (<see cref="Cluster.ClusterHostPool"/>): give back every
    /// request still waiting for a connection, each answered with <see cref="Released"/>; running exchanges go on.</summary>
    public sealed record ReleaseWaiting
    {
        /// <summary>The one instance.</summary>
        public static readonly ReleaseWaiting Instance = new();

        private ReleaseWaiting() { }
    }

    /// <summary>Reply to a request's reply target after <see cref="ReleaseWaiting"/>: round trip <paramref name="Id"/> left the queue
    /// and nothing of it was written; it may be sent to another pool.</summary>
    public sealed record Released(long Id);

    /// <summary>What a pool tells its transport for the global idle cap (max-idle-conns).</summary>
    public enum IdleReports
    {
        /// <summary>Nothing: there is no global cap.</summary>
        None,

        /// <summary>Only the start and end of each connection, until told to <see cref="TrackIdle"/>.</summary>
        ConnCount,

        /// <summary>Every connection that goes idle or leaves idle.</summary>
        Changes,
    }

    private sealed record ConnGone(IActorRef Conn);

    private sealed record Tick
    {
        public static readonly Tick Instance = new();
    }

    // A request this pool holds, from its arrival to its response (or failure).
    private sealed class Pending(TransportActor.RoundTrip roundTrip, IActorRef replyTo, TimeSpan arrivedAt)
    {
        public TransportActor.RoundTrip RoundTrip { get; } = roundTrip;
        public long StartTimestamp { get; } = Stopwatch.GetTimestamp();
        public ClientRequest Request => RoundTrip.Request;
        public IActorRef ReplyTo { get; } = replyTo;
        public TimeSpan ArrivedAt { get; } = arrivedAt;
        public WantConn? Want { get; set; }
        public IActorRef? Conn { get; set; }
        // Whether Conn had served an exchange before (Go's pc.isReused): only then is a failure retried.
        public bool Reused { get; set; }
    }

    // What the metrics need of a live connection.
    private sealed class ConnInfo(long openedAt)
    {
        public long OpenedAt { get; } = openedAt;
        public bool Active { get; set; }
    }

    private const string TickTimer = "tick";

    private readonly ConnectionKey _key;
    private readonly HostSettings _settings;
    private readonly Func<ClientRequest?, Props> _connectionProps;
    private readonly ClientMetrics? _metrics;
    private readonly HostPool<IActorRef> _pool;
    private readonly IActorRef _transport;
    private readonly Func<TimeSpan>? _clock;

    // The same for every request of this pool, so made once.
    private readonly GetConn _getConn;

    // Ranks the order connections go idle in across every pool of the process, for the transport's idle list.
    private static long _idleRanks;

    // What the transport hears of (see IdleReports); only ConnCount → Changes happens later.
    private IdleReports _reports;

    // While counting: the idle connections and their ranks, to hand over when the transport starts tracking.
    // Connection-keyed tables hash by the actor's uid (ActorRefKeys), not by its path: they are looked up on every request.
    private readonly Dictionary<IActorRef, long> _idleRank = new(ActorRefKeys.Instance);

    private readonly Dictionary<long, Pending> _byWant = new();     // waiting: want id → request
    private readonly Dictionary<long, Pending> _byRequest = new();  // every request held, by its id
    private readonly Dictionary<IActorRef, Pending> _busy = new(ActorRefKeys.Instance);  // connection → the exchange it runs
    private readonly HashSet<IActorRef> _dialing = new(ActorRefKeys.Instance);
    private readonly Dictionary<IActorRef, ConnInfo> _open = new(ActorRefKeys.Instance);          // dialed connections, for the metrics
    private Pending? _lastQueued;
    private long _wantSeq;
    private long _connSeq;
    private TimeSpan? _timerDue;

    /// <summary>A pool for <paramref name="key"/>; <paramref name="connectionProps"/> makes one connection (tests pass a scripted one).</summary>
    /// <remarks><paramref name="connectionProps"/> gets the request whose arrival started the dial, for its trace (Go traces a dial on the request that asked for it).</remarks>
    /// <param name="key">The connection key this pool serves.</param>
    /// <param name="settings">The host's settings.</param>
    /// <param name="connectionProps">Makes one connection actor.</param>
    /// <param name="metrics">Instruments, or null.</param>
    /// <param name="reports">What to tell the parent transport, which enforces max-idle-conns.</param>
    /// <param name="clock">The pool's monotonic clock; null = the scheduler's (see <see cref="TransportOptions.Clock"/>).</param>
    public HostPoolActor(ConnectionKey key, HostSettings settings, Func<ClientRequest?, Props> connectionProps, ClientMetrics? metrics,
        IdleReports reports = IdleReports.Changes, Func<TimeSpan>? clock = null)
    {
        _clock = clock;
        _reports = reports;
        _key = key;
        _settings = settings;
        _connectionProps = connectionProps;
        _metrics = metrics;
        _pool = new HostPool<IActorRef>(settings.Pool, comparer: ActorRefKeys.Instance);
        _transport = Context.Parent;
        _getConn = new GetConn(key.DialHostPort);

        Receive<TransportActor.RoundTrip>(m => Arrive(m, m.ReplyTo ?? Sender));
        Receive<TransportActor.CancelRoundTrip>(m => Cancel(m.Id));
        Receive<ConnDialed>(_ => Dialed(Sender));
        Receive<ConnDialFailed>(m => DialFailed(Sender, m.Error));
        Receive<ExchangeFailed>(m => Failed(Sender, m));
        Receive<ExchangeFinished>(m => Finished(Sender, m));
        Receive<CloseIdleConn>(m => Run(_pool.CloseIdleConn(m.Conn, ConnCloseReason.TooManyIdle)));
        Receive<TransportActor.CloseIdleConnections>(_ => Run(_pool.CloseIdleConnections()));
        Receive<TrackIdle>(_ => StartTrackingIdle());
        Receive<ConnectionSupervision.ChildTerminated>(_ => { });   // connections are watched (Terminated, below)
        Receive<Terminated>(m => Self.Tell(new ConnGone(m.ActorRef)));
        Receive<ConnGone>(m => Gone(m.Conn));
        Receive<Tick>(_ =>
        {
            _timerDue = null;
            Run(_pool.Tick(Now));
        });
        Receive<TransportActor.GetPoolStats>(_ => Sender.Tell(_pool.Stats));
        // Last: only a cluster-wide pool sends it, once, and the messages above stay as many type tests away as before.
        Receive<ReleaseWaiting>(_ => Release());
    }

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <inheritdoc />
    protected override SupervisorStrategy SupervisorStrategy() => ConnectionSupervision.For(Context.Props.SupervisorStrategy);

    /// <inheritdoc />
    protected override void PostStop()
    {
        // The transport is shutting down (a pool lives as long as it), and every request held here fails now, typed,
        // rather than at its deadline. The connections stopped first (children do), each answering the exchange it
        // had taken (PersistentConnection.PostStop). Left to answer here: requests waiting for a connection, requests
        // handed to a connection that stopped before it took them (their Exchange went to dead letters; an async
        // caller's promise still open is one of those, while an actor caller cannot be told apart from one already
        // answered and is left to its deadline), and round trips still in this mailbox.
        foreach (var pending in _byRequest.Values.ToArray())
        {
            if (pending.Conn is null || pending.ReplyTo is CallerPromise { Task.IsCompleted: false })
                Reply(pending, TransportStopped.Error(pending.Request));
        }
        _byWant.Clear();
        _busy.Clear();
        TransportStopped.FailUnreceived(Context);
        // The open-connections meter went up in Dialed; the Terminated that would bring it down never comes now.
        if (_metrics is not null)
            foreach (var (_, info) in _open) _metrics.ConnectionClosed(_key.Endpoint, info.Active, Stopwatch.GetElapsedTime(info.OpenedAt));
        _open.Clear();
    }

    // The scheduler's monotonic clock, unless the options gave another (tests that move a manual scheduler).
    private TimeSpan Now => _clock is { } clock ? clock() : Context.System.Scheduler.MonotonicClock;

    private void Arrive(TransportActor.RoundTrip roundTrip, IActorRef replyTo)
    {
        var pending = new Pending(roundTrip, replyTo, Now);
        if (!_byRequest.TryAdd(roundTrip.Id, pending))
        {
            replyTo.Tell(new Status.Failure(new HttpClientException(ClientErrorKind.InvalidRequest,
                $"Request id {roundTrip.Id} is already in flight.", roundTrip.Request)));
            return;
        }
        _metrics?.RequestStarted(roundTrip.Request.Method, _key.Endpoint);
        ClientTracing.Raise(Context.System, roundTrip.Request, _getConn);
        Queue(pending);
    }

    // Go's getConn: ask the pool for a connection for this request (again, on a retry).
    private void Queue(Pending pending)
    {
        var deadline = _settings.RequestTimeout > TimeSpan.Zero ? pending.ArrivedAt + _settings.RequestTimeout : (TimeSpan?)null;
        var want = new WantConn(++_wantSeq, Now, deadline);
        pending.Want = want;
        pending.Conn = null;
        _byWant[want.Id] = pending;
        _lastQueued = pending;
        Run(_pool.GetConn(want, Now));
    }

    private void Cancel(long id)
    {
        if (!_byRequest.TryGetValue(id, out var pending)) return;
        if (pending.Conn is { } conn)
        {
            conn.Tell(new PersistentConnection.Abort(id));
            return;
        }
        if (pending.Want is { } want && _pool.CancelWant(want.Id))
        {
            _byWant.Remove(want.Id);
            Reply(pending, new HttpClientException(ClientErrorKind.Canceled, "The request was cancelled while waiting for a connection.", pending.Request));
        }
    }

    // Only requests in the queue: one handed to a connection may have been written already.
    private void Release()
    {
        foreach (var pending in _byWant.Values.ToArray())
        {
            if (pending.Want is not { } want || !_pool.CancelWant(want.Id)) continue;
            _byWant.Remove(want.Id);
            _byRequest.Remove(pending.RoundTrip.Id);
            _metrics?.RequestStopped(pending.Request.Method, _key.Endpoint, null, ClientErrorKind.Canceled, Stopwatch.GetElapsedTime(pending.StartTimestamp));
            pending.ReplyTo.Tell(new Released(pending.RoundTrip.Id));
        }
        ArmTimer();
    }

    private void Dialed(IActorRef conn)
    {
        if (!_dialing.Remove(conn)) return;
        _open[conn] = new ConnInfo(Stopwatch.GetTimestamp());
        _metrics?.ConnectionOpened(_key.Endpoint, active: false);
        Run(_pool.DialSucceeded(conn, Now));
    }

    private void DialFailed(IActorRef conn, HttpClientException error)
    {
        if (!_dialing.Remove(conn)) return;
        Run(_pool.DialFailed(error, Now));
    }

    private void Failed(IActorRef conn, ExchangeFailed m)
    {
        if (!_busy.Remove(conn, out var pending) || pending.RoundTrip.Id != m.Id) return;
        if (m.Retryable)
        {
            Queue(pending);
            return;
        }
        Reply(pending, m.Error);
    }

    private void Finished(IActorRef conn, ExchangeFinished m)
    {
        if (_busy.Remove(conn, out var pending) && pending.RoundTrip.Id == m.Id)
        {
            _byRequest.Remove(m.Id);
            if (m.Reusable) ClientTracing.Raise(Context.System, pending.Request, PutIdleConn.Kept);
        }
        if (m.Reusable) Run(_pool.TryPutIdleConn(conn, Now));
    }

    private void Gone(IActorRef conn)
    {
        if (_dialing.Remove(conn))
            Run(_pool.DialFailed(new HttpClientException(ClientErrorKind.Dial, $"The connection to {_key.HostPort} stopped while dialing."), Now));
        if (_busy.Remove(conn, out var pending))
        {
            // The connection never took the exchange (it stopped first, typically closed by the server while idle):
            // nothing of it reached the wire, Go's nothingWrittenError. Retried on a reused connection, as Go does, for
            // any request whose body was not touched or can be rewound; a fresh connection that died ends the loop.
            if (pending.Reused && (pending.Request.IsReplayable || pending.Request.Content is not { HasStarted: true })) Queue(pending);
            else Reply(pending, new HttpClientException(ClientErrorKind.ConnectionClosed,
                "The connection closed before the request was sent.", pending.Request, requestWritten: false));
        }
        if (_open.Remove(conn, out var info)) _metrics?.ConnectionClosed(_key.Endpoint, info.Active, Stopwatch.GetElapsedTime(info.OpenedAt));
        if (_reports == IdleReports.Changes) _transport.Tell(new TransportActor.IdleGone(conn));
        else if (_reports == IdleReports.ConnCount)
        {
            _idleRank.Remove(conn);
            _transport.Tell(TransportActor.ConnClosed.Instance);
        }
        Run(_pool.ConnClosed(conn, Now));
    }

    // Carries out what the pool decided, in order, then re-arms the timer (the loop in HostPool's remarks).
    private void Run(IReadOnlyList<PoolEffect<IActorRef>> effects)
    {
        // Indexed, not foreach: enumerating the interface would box an enumerator on every message.
        for (var n = 0; n < effects.Count; n++)
        {
            var effect = effects[n];
            switch (effect)
            {
                case PoolEffect<IActorRef>.StartDial:
                    var dialFor = _lastQueued is { Want.IsWaiting: true } asking ? asking.Request : null;
                    var conn = Context.ActorOf(_connectionProps(dialFor), $"conn-{++_connSeq}");
                    Context.Watch(conn);
                    _dialing.Add(conn);
                    if (_reports == IdleReports.ConnCount) _transport.Tell(TransportActor.ConnOpened.Instance);
                    break;
                case PoolEffect<IActorRef>.Deliver d:
                    if (!_byWant.Remove(d.Want.Id, out var served)) break;
                    served.Conn = d.Conn;
                    served.Reused = d.Reused;
                    _busy[d.Conn] = served;
                    if (d.WasIdle) LeftIdle(d.Conn);
                    _metrics?.RequestDequeued(served.Request.Method, _key.Endpoint, Stopwatch.GetElapsedTime(served.StartTimestamp));
                    SetActive(d.Conn, true);
                    ClientTracing.Raise(Context.System, served.Request, new GotConn(d.Reused, d.WasIdle, d.IdleTime));
                    d.Conn.Tell(new PersistentConnection.Exchange(served.RoundTrip.Id, served.Request, served.ReplyTo, d.Reused, served.StartTimestamp));
                    break;
                case PoolEffect<IActorRef>.Fail f:
                    if (!_byWant.Remove(f.Want.Id, out var failed)) break;
                    Reply(failed, f.Kind switch
                    {
                        PoolErrorKind.TooManyPendingRequests => new HttpClientException(ClientErrorKind.TooManyPendingRequests,
                            $"{_settings.MaxPendingRequests} requests already wait for a connection to {_key.HostPort}.", failed.Request),
                        PoolErrorKind.WaitTimeout => new HttpClientException(ClientErrorKind.RequestTimeout,
                            $"No connection to {_key.HostPort} within {_settings.RequestTimeout}.", failed.Request),
                        _ => f.Cause is HttpClientException e
                            ? new HttpClientException(e.Kind, e.Message, failed.Request, false, e.InnerException) { ProxyStatusCode = e.ProxyStatusCode }
                            : new HttpClientException(ClientErrorKind.Dial, f.Cause?.Message ?? "The dial failed.", failed.Request, false, f.Cause),
                    });
                    break;
                case PoolEffect<IActorRef>.Close c:
                    Context.Stop(c.Conn);
                    if (c.WasIdle) LeftIdle(c.Conn);
                    break;
                case PoolEffect<IActorRef>.Idled i:
                    SetActive(i.Conn, false);
                    WentIdle(i.Conn);
                    break;
            }
        }
        ArmTimer();
    }

    private void WentIdle(IActorRef conn)
    {
        if (_reports == IdleReports.None) return;
        var rank = Interlocked.Increment(ref _idleRanks);
        if (_reports == IdleReports.Changes) _transport.Tell(new TransportActor.IdleAdded(_key, conn, rank));
        else _idleRank[conn] = rank;
    }

    private void LeftIdle(IActorRef conn)
    {
        if (_reports == IdleReports.Changes) _transport.Tell(new TransportActor.IdleGone(conn));
        else if (_reports == IdleReports.ConnCount) _idleRank.Remove(conn);
    }

    private void StartTrackingIdle()
    {
        if (_reports != IdleReports.ConnCount) return;
        _reports = IdleReports.Changes;
        foreach (var (conn, rank) in _idleRank) _transport.Tell(new TransportActor.IdleAdded(_key, conn, rank));
        _idleRank.Clear();
    }

    private void ArmTimer()
    {
        var due = _pool.NextDeadline;
        if (due == _timerDue) return;
        _timerDue = due;
        if (due is { } d) Timers.StartSingleTimer(TickTimer, Tick.Instance, d > Now ? d - Now : TimeSpan.Zero);
        else Timers.Cancel(TickTimer);
    }

    private void SetActive(IActorRef conn, bool active)
    {
        // Only the metrics need it: no lookup per request without them.
        if (_metrics is null || !_open.TryGetValue(conn, out var info) || info.Active == active) return;
        info.Active = active;
        _metrics.ConnectionStateChanged(_key.Endpoint, nowIdle: !active);
    }

    // The request's final failure (a retry is not one); the response's own end is recorded by the connection.
    private void Reply(Pending pending, HttpClientException error)
    {
        _byRequest.Remove(pending.RoundTrip.Id);
        _metrics?.RequestStopped(pending.Request.Method, _key.Endpoint, null, error.Kind, Stopwatch.GetElapsedTime(pending.StartTimestamp));
        pending.ReplyTo.Tell(new Status.Failure(error));
    }
}
