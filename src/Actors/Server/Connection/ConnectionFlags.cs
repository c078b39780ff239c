namespace ActorHttp.Server.Connection;

/// <summary>
/// State of a server connection that its handlers read while they run on other threads.
/// </summary>
/// <remarks>Written only by the <see cref="ServerConnection"/> actor; read by handler threads.</remarks>
internal sealed class ConnectionFlags
{
    private static readonly CancellationTokenSource Canceled = MakeCanceled();

    private volatile bool _shuttingDown;
    // Made when a handler first asks for the abort token: most never do, and an idle connection
    // should not hold a CancellationTokenSource. After Abort it is (or becomes) a canceled one.
    // Whoever swaps it in first wins: a handler's fresh source (then Abort cancels that one) or
    // Abort's shared canceled one (then the handler gets that).
    private CancellationTokenSource? _aborted;

    /// <summary>The server is shutting down: responses written from now on say <c>Connection: close</c>.</summary>
    public bool ShuttingDown
    {
        get => _shuttingDown;
        set => _shuttingDown = value;
    }

    /// <summary>Canceled once the client went away or the connection closed (<see cref="ServerRequest.Aborted"/>).</summary>
    public CancellationToken Aborted
    {
        get
        {
            var cts = Volatile.Read(ref _aborted);
            if (cts is null)
            {
                var made = new CancellationTokenSource();
                cts = Interlocked.CompareExchange(ref _aborted, made, null) ?? made;
                if (!ReferenceEquals(cts, made)) made.Dispose();
            }

            return cts.Token;
        }
    }

    /// <summary>Cancels <see cref="Aborted"/> for whoever took it or takes it later. Written by the connection actor.</summary>
    public void Abort()
    {
        var cts = Interlocked.CompareExchange(ref _aborted, Canceled, null);
        if (cts is not null && !ReferenceEquals(cts, Canceled)) cts.Cancel();
    }

    /// <summary>
    /// Cancels the token handed out for the request in progress while the connection lives on (its handler timed
    /// out): the next request's handler gets a fresh one. Written by the connection actor. The cancelled source is not
    /// disposed: the old handler may still be registering on its token.
    /// </summary>
    public void CancelRequest()
    {
        var cts = Volatile.Read(ref _aborted);
        // None taken yet (ServerRequest answers a cancelled token from now on), or the connection is aborted already.
        if (cts is null || ReferenceEquals(cts, Canceled)) return;
        if (ReferenceEquals(Interlocked.CompareExchange(ref _aborted, null, cts), cts)) cts.Cancel();
    }

    /// <summary>Releases the source (the connection stopped; Abort ran first).</summary>
    public void Dispose()
    {
        if (Volatile.Read(ref _aborted) is { } cts && !ReferenceEquals(cts, Canceled)) cts.Dispose();
    }

    private static CancellationTokenSource MakeCanceled()
    {
        var cts = new CancellationTokenSource();
        cts.Cancel();
        return cts;
    }
}
