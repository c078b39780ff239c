namespace ActorHttp.Kernel;

/// <summary>
/// The default dispatcher: a mailbox with work is queued onto the .NET thread pool as an
/// <see cref="IThreadPoolWorkItem"/> (no allocation, no execution-context capture). Global rather
/// than local queue so a busy actor does not starve the ones its worker thread would run next.
/// </summary>
internal sealed class ThreadPoolDispatcher : MessageDispatcher
{
    public override string Id => Dispatchers.DefaultDispatcherId;

    internal override void Schedule(Mailbox mailbox) => ThreadPool.UnsafeQueueUserWorkItem(mailbox, preferLocal: false);
}
