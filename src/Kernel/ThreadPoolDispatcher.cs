namespace ActorHttp.Kernel;

/// <summary>
/// The default dispatcher: a mailbox with work is queued onto the .NET thread pool as an
/// <see cref="IThreadPoolWorkItem"/> (no allocation, no execution-context capture). Global rather
/// than local queue so a busy actor does not starve the ones its worker thread would run next.
/// </summary>
/// <remarks>
/// <para>Run next: while a turn of an <see cref="INonBlockingActor"/> runs, the first two idle actors
/// it makes runnable are not queued but parked in this thread's run-next slots, and their turns run
/// on this thread, in that order, as soon as the current turn ends (<see cref="RunChain"/>). Further
/// ones go to the pool, so a fan-out still spreads over the workers. Two, because the common end of
/// an exchange tells two actors at once (a connection tells its pool it is free and its reader to
/// wait for the next response): with one slot the second would cross to a pool worker on every
/// request, and off the pool (an epoll thread) that is a thread switch each time. The slots are
/// thread-local and always emptied before the chain returns its thread: a parked mailbox is never
/// lost.</para>
/// <para>Every chain starts where a thread-pool work item or an I/O completion
/// (<see cref="ActorCompletion"/>) enters the kernel, never inside a turn, so turns never nest.</para>
/// </remarks>
internal sealed class ThreadPoolDispatcher : MessageDispatcher
{
    [ThreadStatic] private static bool _chainRunning;
    [ThreadStatic] private static Mailbox? _runNext;
    [ThreadStatic] private static Mailbox? _runAfterNext;

    /// <param name="runNextLimit">Turns one chain may run back to back (<c>run-next-limit</c>); 0 turns run next off.</param>
    public ThreadPoolDispatcher(int runNextLimit) => RunNextLimit = runNextLimit;

    public override string Id => Dispatchers.DefaultDispatcherId;

    /// <summary>Turns one chain may run back to back before the rest goes to the pool.</summary>
    public int RunNextLimit { get; }

    /// <summary>True when an I/O completion on this thread may run an actor's turn in place: outside any turn and chain.</summary>
    internal bool CanRunInline => RunNextLimit > 0 && !_chainRunning && ActorCell.Current is null;

    /// <summary>
    /// True when <paramref name="cell"/>'s turn may run on this thread: always on a thread-pool
    /// thread, elsewhere (an epoll thread running completions inline) only for an actor that never
    /// blocks (see <see cref="INonBlockingActor"/>).
    /// </summary>
    internal static bool MayRunHere(ActorCell cell) =>
        INonBlockingActor.Holds(cell.Actor) || Thread.CurrentThread.IsThreadPoolThread;

    internal override void Schedule(Mailbox mailbox)
    {
        if (_chainRunning && _runAfterNext is null && RunNextLimit > 0
            && INonBlockingActor.Holds(ActorCell.Current?.Actor) && MayRunHere(mailbox.Cell))
        {
            if (_runNext is null) _runNext = mailbox;
            else _runAfterNext = mailbox;
            return;
        }

        Queue(mailbox);
    }

    /// <summary>Runs <paramref name="first"/>'s turn on this thread, then the turns handed off to it, up to the limit.</summary>
    internal static void RunChain(Mailbox first)
    {
        if (_chainRunning)
        {
            // Not reachable through the pool or ActorCompletion; kept so a misuse degrades to one turn.
            first.RunTurn();
            return;
        }

        var limit = first.Dispatcher is ThreadPoolDispatcher d ? d.RunNextLimit : 0;
        _chainRunning = true;
        try
        {
            var mailbox = first;
            for (var turns = 1; ; turns++)
            {
                mailbox.RunTurn();
                var next = _runNext;
                if (next is null) return;
                _runNext = _runAfterNext;
                _runAfterNext = null;
                if (turns >= limit)
                {
                    Queue(next);
                    return;   // the finally queues what is still parked
                }

                mailbox = next;
            }
        }
        finally
        {
            _chainRunning = false;
            // At the limit, or if a turn threw: parked mailboxes are Scheduled and must still run.
            if (_runNext is { } parked)
            {
                _runNext = null;
                Queue(parked);
            }

            if (_runAfterNext is { } parkedAfter)
            {
                _runAfterNext = null;
                Queue(parkedAfter);
            }
        }
    }

    private static void Queue(Mailbox mailbox) => ThreadPool.UnsafeQueueUserWorkItem(mailbox, preferLocal: false);
}
