namespace ActorHttp.Dispatch;

/// <summary>
/// An unbounded multi-producer, single-consumer lock-free FIFO queue: the cross-thread run queue of an
/// <see cref="EventLoop"/>. Any number of producers, exactly one consumer at a time. Why not
/// <see cref="System.Collections.Concurrent.ConcurrentQueue{T}"/>: its first segment has 32 slots and
/// cache-line padding, about 1 KB; this one starts with <see cref="InitialLength"/> slots and doubles a
/// segment only when producers outrun the consumer.
/// </summary>
/// <remarks>
/// A segment is a bounded ring in the style of D. Vyukov's bounded queue: each slot carries a
/// sequence number that says whose turn it is (a producer reserving it, or the consumer taking it),
/// and producers reserve slots with a compare-and-swap on the tail. The reservation is a full fence
/// that the consumer can see before the item is published; the consumer treats a reserved slot as
/// work and waits for it, which is what an idle re-check relies on (a producer enqueues, then reads
/// the loop's sleeping flag; the loop sets the flag, then asks <see cref="IsEmpty"/>; one of them
/// sees the other). A full segment is frozen (its tail marked so no reservation can succeed any more)
/// before the next one is linked, so the consumer leaves a segment only when every reservation made
/// in it has been taken: nothing is lost, and each producer's items stay in its order.
/// <para>A struct, so that it lives inside its owner: keep it in a non-readonly field and never copy it.</para>
/// <para>It was also each actor's message queue until <see cref="CompactMessageQueue"/> became one
/// object with a lock: four objects (192 B) per idle actor was too many for a connection's actors.</para>
/// </remarks>
internal struct MpscQueue<T>
{
    /// <summary>
    /// Slots of the first segment: small, since a queue that ever holds more grows once to the ring it then
    /// keeps (the size it was tuned at when every actor had one).
    /// </summary>
    internal const int InitialLength = 2;

    /// <summary>
    /// Largest segment, as ConcurrentQueue's: a long backlog ends up in one ring that is reused
    /// instead of a new segment every thousand messages (with a cap of 1,024 the kernel's one-way
    /// flood benchmark allocated 24 B per message). The price, as with ConcurrentQueue, is that a
    /// queue that once had such a backlog keeps that ring while it lives.
    /// </summary>
    internal const int MaxLength = 1024 * 1024;

    private const long Frozen = 1L << 62;

    // Where producers enqueue; only moves forward along Next, and is written only on growth.
    private Segment _tail;

    // The consumer's state lives in its own object so that taking a message writes nothing that
    // producers read: sharing a cache line with the producers' tail would bounce it between cores
    // on every message.
    private readonly Reader _reader;

    public MpscQueue()
    {
        _tail = new Segment(InitialLength);
        _reader = new Reader(_tail);
    }

    /// <summary>Any thread.</summary>
    public void Enqueue(T item)
    {
        var segment = Volatile.Read(ref _tail);
        while (!segment.TryEnqueue(item)) segment = Grow(segment);
    }

    /// <summary>Consumer only.</summary>
    public readonly bool TryDequeue(out T item)
    {
        var reader = _reader;
        while (true)
        {
            if (reader.TryTake(out item)) return true;
            var segment = reader.Segment;
            if (!segment.IsFrozen) return false;
            // Frozen after the look above: its tail is final now, so one more look takes whatever
            // was reserved before the freeze, and only then is the segment done with.
            if (reader.TryTake(out item)) return true;
            var next = Volatile.Read(ref segment.Next);
            if (next is null) return false; // the producer that froze it links the next one in a moment
            reader.MoveTo(next);
        }
    }

    /// <summary>
    /// False when an item is published or reserved. Read-only, so safe while another thread is the
    /// consumer (the answer may then be stale, which the mailbox tolerates: that consumer re-checks).
    /// </summary>
    public readonly bool IsEmpty
    {
        get
        {
            var reader = _reader;
            var segment = Volatile.Read(ref reader.Segment);
            var head = Volatile.Read(ref reader.Head);
            if (segment.ReservedCount != head) return false;
            // Segments after the consumer's are all unread.
            for (segment = Volatile.Read(ref segment.Next); segment is not null; segment = Volatile.Read(ref segment.Next))
                if (segment.ReservedCount != 0) return false;
            return true;
        }
    }

    /// <summary>
    /// Items published or reserved and not yet taken. Read-only and approximate while producers or the
    /// consumer run (diagnostics, and Akka's <c>NumberOfMessages</c>); never negative.
    /// </summary>
    public readonly int Count
    {
        get
        {
            var reader = _reader;
            var segment = Volatile.Read(ref reader.Segment);
            var count = segment.ReservedCount - Volatile.Read(ref reader.Head);
            for (segment = Volatile.Read(ref segment.Next); segment is not null; segment = Volatile.Read(ref segment.Next))
                count += segment.ReservedCount;
            // The consumer may move to the next segment between the two reads above.
            return (int)Math.Clamp(count, 0, int.MaxValue);
        }
    }

    /// <summary>Slots in the segment producers use now (tests and diagnostics).</summary>
    internal int TailLength => Volatile.Read(ref _tail).Slots.Length;

    // A producer found the segment full: freeze it, link a bigger one (first linker wins), and
    // help move the tail so later producers start there.
    private Segment Grow(Segment full)
    {
        full.Freeze();
        var next = Volatile.Read(ref full.Next);
        if (next is null)
        {
            var created = new Segment(Math.Min(full.Slots.Length * 2, MaxLength));
            next = Interlocked.CompareExchange(ref full.Next, created, null) ?? created;
        }
        Interlocked.CompareExchange(ref _tail, next, full);
        return next;
    }

    private sealed class Segment
    {
        public readonly Slot[] Slots;
        public Segment? Next;
        private long _tail;   // next index to reserve, plus Frozen once no reservation may succeed

        public Segment(int length)
        {
            Slots = new Slot[length];
            for (var i = 0; i < length; i++) Slots[i].Sequence = i;
        }

        public bool IsFrozen => (Volatile.Read(ref _tail) & Frozen) != 0;

        /// <summary>How many indices producers have reserved (published or not).</summary>
        public long ReservedCount => Volatile.Read(ref _tail) & ~Frozen;

        public void Freeze() => Interlocked.Or(ref _tail, Frozen);

        public bool TryEnqueue(T item)
        {
            var slots = Slots;
            var mask = slots.Length - 1;
            while (true)
            {
                var tail = Volatile.Read(ref _tail);
                if ((tail & Frozen) != 0) return false;
                ref var slot = ref slots[(int)tail & mask];
                var diff = Volatile.Read(ref slot.Sequence) - tail;
                if (diff == 0)
                {
                    if (Interlocked.CompareExchange(ref _tail, tail + 1, tail) != tail) continue;
                    slot.Item = item;
                    Volatile.Write(ref slot.Sequence, tail + 1);
                    return true;
                }
                // The slot still holds an item from one lap ago: the ring is full.
                if (diff < 0) return false;
                // Another producer reserved this index first; try the next.
            }
        }
    }

    // Owned by the consumer; IsEmpty reads it from wherever it is called.
    private sealed class Reader(Segment first)
    {
        public Segment Segment = first;
        public Slot[] Slots = first.Slots;
        public long Head;   // next index to take in Segment

        public void MoveTo(Segment next)
        {
            Slots = next.Slots;
            Head = 0;
            Volatile.Write(ref Segment, next);
        }

        public bool TryTake(out T item)
        {
            var slots = Slots;
            var head = Head;
            ref var slot = ref slots[(int)head & (slots.Length - 1)];
            var spinner = default(SpinWait);
            while (Volatile.Read(ref slot.Sequence) != head + 1)
            {
                // Not published: empty, or reserved by a producer that is between its two writes.
                if (Segment.ReservedCount == head)
                {
                    item = default!;
                    return false;
                }
                spinner.SpinOnce(sleep1Threshold: -1);
            }
            item = slot.Item;
            slot.Item = default!;
            Volatile.Write(ref slot.Sequence, head + slots.Length);
            Volatile.Write(ref Head, head + 1);
            return true;
        }
    }

    private struct Slot
    {
        public T Item;
        public long Sequence;
    }
}
