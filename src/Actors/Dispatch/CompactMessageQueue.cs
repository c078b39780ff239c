using Akka.Actor;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace ActorHttp.Dispatch;

/// <summary>
/// An Akka message queue that costs about 200 B while empty instead of the default
/// <see cref="UnboundedMessageQueue"/>'s 1.1 KB: unbounded, FIFO per producer, any number of
/// producers and the owning actor's mailbox run as the one consumer. Made by
/// <see cref="CompactMailbox"/>.
/// </summary>
/// <remarks>
/// <para>Every idle connection is three actors (connection, reader, writer) each holding a queue it
/// rarely uses, so the empty size is what matters. The queue is a segmented ring
/// (<see cref="MpscQueue{T}"/>) whose first segment has two slots and doubles only when producers
/// outrun the consumer.</para>
/// <para><b>Stash.</b> It also offers Akka's deque semantics (<see cref="EnqueueFirst"/>), so actors
/// with <see cref="IWithUnboundedStash"/> can use it: unstashed messages go to a stack made on first
/// use, taken before the ring. Only the owner's turn touches that stack (Akka calls
/// <see cref="EnqueueFirst"/> from <c>Unstash</c>, inside the turn), so it needs no lock; a producer
/// that reads <see cref="HasMessages"/> meanwhile may see a stale count of it, which is harmless
/// because the run that unstashed re-checks the queue itself before it lets go of the mailbox.</para>
/// </remarks>
public sealed class CompactMessageQueue : IMessageQueue, IUnboundedMessageQueueSemantics, IUnboundedDequeBasedMessageQueueSemantics
{
    // Not readonly: a mutable struct (see MpscQueue).
    private MpscQueue<Envelope> _queue = new();

    // Unstashed messages, newest on top; owned by the owner's turn; null until the first unstash.
    private Stack<Envelope>? _prepended;

    /// <inheritdoc />
    public bool HasMessages => !_queue.IsEmpty || _prepended is { Count: > 0 };

    /// <inheritdoc />
    public int Count => _queue.Count + (_prepended?.Count ?? 0);

    /// <inheritdoc />
    public void Enqueue(IActorRef receiver, Envelope envelope) => _queue.Enqueue(envelope);

    /// <inheritdoc />
    public bool TryDequeue(out Envelope envelope)
    {
        if (_prepended is { Count: > 0 } prepended)
        {
            envelope = prepended.Pop();
            return true;
        }

        return _queue.TryDequeue(out envelope);
    }

    /// <inheritdoc />
    public void EnqueueFirst(Envelope envelope) => (_prepended ??= new Stack<Envelope>()).Push(envelope);

    /// <inheritdoc />
    public void CleanUp(IActorRef owner, IMessageQueue deadletters)
    {
        while (TryDequeue(out var envelope)) deadletters.Enqueue(owner, envelope);
    }

    /// <summary>Slots in the ring producers use now (tests: an idle queue keeps its two-slot ring).</summary>
    internal int RingLength => _queue.TailLength;
}
