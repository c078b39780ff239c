namespace ActorHttp.Kernel;

/// <summary>
/// A deterministic dispatcher for tests (Proto.Actor's synchronous dispatcher): a mailbox runs on
/// the thread that made it runnable. A mailbox made runnable while another runs on the same thread
/// is queued and run when the outer one finishes, so actors never nest and ordering stays FIFO.
/// </summary>
internal sealed class CallingThreadDispatcher : MessageDispatcher
{
    [ThreadStatic] private static Queue<Mailbox>? _pending;
    [ThreadStatic] private static bool _running;

    public override string Id => Dispatchers.CallingThreadDispatcherId;

    internal override void Schedule(Mailbox mailbox)
    {
        (_pending ??= new Queue<Mailbox>()).Enqueue(mailbox);
        if (_running) return;
        _running = true;
        try
        {
            while (_pending.TryDequeue(out var next)) next.RunTurn();
        }
        finally
        {
            _running = false;
        }
    }
}
