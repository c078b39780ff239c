namespace ActorHttp.Kernel;

/// <summary>
/// One actor's queues and its run loop: a multi-producer queue of user messages, a stack of system
/// messages (taken whole and replayed in the order they were pushed) that always go first, and a status word that the poster who finds it idle claims with
/// one compare-and-swap and then schedules (so at most one turn runs at a time). A turn processes
/// all system messages and up to <c>throughput</c> user messages, goes idle, and re-checks the
/// queues: a message enqueued after the last check but before the idle write is never lost.
/// </summary>
internal sealed class Mailbox : IThreadPoolWorkItem
{
    private const int Idle = 0;
    private const int Scheduled = 1;
    private const int Closed = 2;

    // Not readonly: a mutable struct (see MpscQueue).
    private MpscQueue<Envelope> _user = new();

    // System messages are rare (create, watch, stop, failure, async continuations), so they cost no
    // queue: producers push them onto this lock-free stack through their own Next links, and the
    // turn takes the stack whole and reverses it into _systemPending, which it owns.
    private SystemMessage? _systemPushed;
    private SystemMessage? _systemPending;

    // 1 while a thread drains the closed mailbox: the user queue has one consumer at a time.
    private int _draining;
    private readonly ActorCell _cell;
    private readonly MessageDispatcher _dispatcher;

    // Messages put back in front of the queue by Unstash; owned by the running turn only.
    private LinkedList<Envelope>? _front;
    private int _status;

    internal Mailbox(ActorCell cell, MessageDispatcher dispatcher)
    {
        _cell = cell;
        _dispatcher = dispatcher;
    }

    internal MessageDispatcher Dispatcher => _dispatcher;

    internal ActorCell Cell => _cell;

    /// <summary>No turn is running or scheduled (diagnostics and tests: stale as soon as it is read).</summary>
    internal bool IsIdle => Volatile.Read(ref _status) == Idle;

    internal bool IsClosed => Volatile.Read(ref _status) == Closed;

    internal void Post(in Envelope envelope)
    {
        _user.Enqueue(envelope);
        ScheduleOrDrain();
    }

    /// <summary>
    /// Enqueues like <see cref="Post"/>, but when this call is the one that claims the idle mailbox
    /// it returns true instead of scheduling: the caller must then run the turn itself
    /// (<see cref="ActorCompletion"/>).
    /// </summary>
    internal bool PostAndClaim(in Envelope envelope)
    {
        _user.Enqueue(envelope);
        return TryClaim();
    }

    internal void PostSystem(SystemMessage message)
    {
        if (!ReferenceEquals(message.Next, SystemMessage.Unposted))
            throw new InvalidOperationException($"{message.GetType().Name} is already in a mailbox; send a new instance.");
        var top = Volatile.Read(ref _systemPushed);
        while (true)
        {
            message.Next = top;
            var seen = Interlocked.CompareExchange(ref _systemPushed, message, top);
            if (ReferenceEquals(seen, top)) break;
            top = seen;
        }
        ScheduleOrDrain();
    }

    /// <summary>Puts stashed messages back before everything queued (owner turn only).</summary>
    internal void PrependAll(IReadOnlyList<Envelope> envelopes)
    {
        if (envelopes.Count == 0) return;
        _front ??= new LinkedList<Envelope>();
        for (var i = envelopes.Count - 1; i >= 0; i--) _front.AddFirst(envelopes[i]);
    }

    private void ScheduleOrDrain()
    {
        if (TryClaim()) _dispatcher.Schedule(this);
    }

    // After an enqueue: true when this caller moved the mailbox from Idle to Scheduled and so owns
    // the next turn (it schedules or runs it). False when a turn is already scheduled (it will see
    // the message), or when the actor is dead: then whatever was just enqueued (and anything else)
    // is drained here, by one drainer at a time.
    private bool TryClaim()
    {
        while (true)
        {
            var s = Volatile.Read(ref _status);
            if (s == Scheduled) return false;
            if (s == Closed)
            {
                DrainAfterClose();
                return false;
            }
            if (Interlocked.CompareExchange(ref _status, Scheduled, Idle) == Idle) return true;
        }
    }

    /// <summary>Thread-pool entry point: this turn, then the turns it hands off to (<see cref="INonBlockingActor"/>).</summary>
    void IThreadPoolWorkItem.Execute() => ThreadPoolDispatcher.RunChain(this);

    /// <summary>One turn, on the calling thread; only the poster that claimed the mailbox (or its dispatcher) calls it.</summary>
    internal void RunTurn()
    {
        if (Volatile.Read(ref _status) != Scheduled) return;
        var cell = _cell;
        var prev = ActorCell.EnterTurn(cell);
        try
        {
            ProcessSystemMessages(cell);
            // Read per turn rather than kept: a field would be 8 B more in every actor (alignment).
            var budget = _cell.System.Settings.Throughput;
            while (budget-- > 0 && cell.CanProcessUserMessages && Volatile.Read(ref _status) == Scheduled)
            {
                if (!TryDequeueUser(out var envelope)) break;
                cell.Invoke(envelope);
                ProcessSystemMessages(cell);
            }
        }
        finally
        {
            ActorCell.LeaveTurn(prev);
        }

        // Closed during this turn: the cell drained the queues when it closed them.
        if (Interlocked.CompareExchange(ref _status, Idle, Scheduled) != Scheduled) return;

        // The exchange above is a full fence, so a poster that enqueued before it either saw
        // Scheduled (and relies on this re-check) or will see Idle and schedule itself.
        if (HasWork(cell) && Interlocked.CompareExchange(ref _status, Scheduled, Idle) == Idle)
            _dispatcher.Schedule(this);
    }

    private bool HasWork(ActorCell cell) =>
        HasSystemMessages || (cell.CanProcessUserMessages && (!_user.IsEmpty || _front is { Count: > 0 }));

    private bool HasSystemMessages => Volatile.Read(ref _systemPushed) is not null || Volatile.Read(ref _systemPending) is not null;

    private void ProcessSystemMessages(ActorCell cell)
    {
        while (Volatile.Read(ref _status) == Scheduled && TryDequeueSystem(out var message))
            cell.SystemInvoke(message);
    }

    // Owner turn, or the drainer of a closed mailbox.
    private bool TryDequeueSystem(out SystemMessage message)
    {
        var first = _systemPending;
        if (first is null)
        {
            if (Volatile.Read(ref _systemPushed) is null)
            {
                message = null!;
                return false;
            }
            // The stack holds the newest on top: reversed, it is in the order of the pushes.
            for (var taken = Interlocked.Exchange(ref _systemPushed, null); taken is not null;)
            {
                var below = taken.Next;
                taken.Next = first;
                first = taken;
                taken = below;
            }
        }
        _systemPending = first!.Next;
        first.Next = SystemMessage.Unposted;
        message = first;
        return true;
    }

    private bool TryDequeueUser(out Envelope envelope)
    {
        if (_front is { Count: > 0 } front)
        {
            envelope = front.First!.Value;
            front.RemoveFirst();
            return true;
        }
        return _user.TryDequeue(out envelope);
    }

    /// <summary>Closes the mailbox for good (owner turn only) and drains what is left.</summary>
    internal void Close()
    {
        Interlocked.Exchange(ref _status, Closed);
        if (_front is { } front)
        {
            foreach (var e in front) _cell.DeliverDeadLetter(e);
            front.Clear();
        }
        DrainAfterClose();
    }

    private void DrainAfterClose()
    {
        do
        {
            // Another thread is draining; it looks again after letting go, so it will see ours.
            if (Interlocked.CompareExchange(ref _draining, 1, 0) != 0) return;
            try
            {
                while (TryDequeueSystem(out var sys)) _cell.SystemInvokeAfterDeath(sys);
                while (_user.TryDequeue(out var envelope)) _cell.DeliverDeadLetter(envelope);
            }
            finally
            {
                Interlocked.Exchange(ref _draining, 0); // a full fence before the look below
            }
        }
        while (HasSystemMessages || !_user.IsEmpty);
    }
}
