using System.Collections.Concurrent;

namespace ActorHttp.Kernel;

/// <summary>
/// One actor's queues and its run loop: a multi-producer queue of user messages, a queue of system
/// messages that always go first, and a status word that the poster who finds it idle claims with
/// one compare-and-swap and then schedules (so at most one turn runs at a time). A turn processes
/// all system messages and up to <c>throughput</c> user messages, goes idle, and re-checks the
/// queues: a message enqueued after the last check but before the idle write is never lost.
/// </summary>
internal sealed class Mailbox : IThreadPoolWorkItem
{
    private const int Idle = 0;
    private const int Scheduled = 1;
    private const int Closed = 2;

    private readonly ConcurrentQueue<Envelope> _user = new();
    private readonly ConcurrentQueue<SystemMessage> _system = new();
    private readonly ActorCell _cell;
    private readonly MessageDispatcher _dispatcher;
    private readonly int _throughput;

    // Messages put back in front of the queue by Unstash; owned by the running turn only.
    private LinkedList<Envelope>? _front;
    private int _status;

    internal Mailbox(ActorCell cell, MessageDispatcher dispatcher, int throughput)
    {
        _cell = cell;
        _dispatcher = dispatcher;
        _throughput = throughput;
    }

    internal MessageDispatcher Dispatcher => _dispatcher;

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

    internal void PostSystem(SystemMessage message)
    {
        _system.Enqueue(message);
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
        while (true)
        {
            var s = Volatile.Read(ref _status);
            if (s == Scheduled) return;
            if (s == Closed)
            {
                // The actor is dead: whatever we just enqueued (and anything else) is drained here;
                // TryDequeue hands each message to exactly one drainer.
                DrainAfterClose();
                return;
            }
            if (Interlocked.CompareExchange(ref _status, Scheduled, Idle) == Idle)
            {
                _dispatcher.Schedule(this);
                return;
            }
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
            var budget = _throughput;
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
        !_system.IsEmpty || (cell.CanProcessUserMessages && (!_user.IsEmpty || _front is { Count: > 0 }));

    private void ProcessSystemMessages(ActorCell cell)
    {
        while (Volatile.Read(ref _status) == Scheduled && _system.TryDequeue(out var message))
            cell.SystemInvoke(message);
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
        while (_system.TryDequeue(out var sys)) _cell.SystemInvokeAfterDeath(sys);
        while (_user.TryDequeue(out var envelope)) _cell.DeliverDeadLetter(envelope);
    }
}
