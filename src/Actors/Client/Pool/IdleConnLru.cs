using System.Diagnostics;

namespace ActorHttp.Client.Pool;

/// <summary>
/// The transport-wide list of idle connections in least-recently-idled order (Go's <c>connLRU</c>,
/// <c>Transport.idleLRU</c>), enforcing max-idle-conns across every host.
/// </summary>
/// <remarks>
/// Owned by the transport actor. Host pools report each connection that goes idle
/// (<see cref="PoolEffect{TConn}.Idled"/>) and each that leaves the idle stack (a
/// <see cref="PoolEffect{TConn}.Deliver"/> or <see cref="PoolEffect{TConn}.Close"/> with <c>WasIdle</c>), once the
/// transport has more connections than the cap (before that the cap cannot be reached; see TransportActor).
/// When an <see cref="Add(TKey, TConn, long)"/> goes over the cap it hands back the connection idle the longest, whichever host
/// holds it; the transport asks that host's pool to close it with
/// <see cref="HostPool{TConn}.CloseIdleConn"/> and <see cref="ConnCloseReason.TooManyIdle"/>.
/// Pure and not thread-safe: all operations are O(1), but an Add ranked older than the newest entries, which steps back past them.
/// <para><b>Races.</b> Reports travel as messages, so the list can be behind its pools: it may evict a
/// connection a request took meanwhile. The pool's <see cref="HostPool{TConn}.CloseIdleConn"/> then does
/// nothing and the later report of the take finds nothing to remove. The cap can be briefly undershot
/// that way, and overshot only by the reports still in flight.</para>
/// </remarks>
public sealed class IdleConnLru<TKey, TConn> where TConn : class
{
    // Go: connLRU.ll, most recently used at the front there; here oldest first (First) and newest last.
    private readonly LinkedList<Entry> order = new();
    private readonly Dictionary<TConn, LinkedListNode<Entry>> nodes = new();

    // The rank of the newest entry added without one, so that those keep arrival order.
    private long lastRank;

    private readonly record struct Entry(IdleConnRef<TKey, TConn> Ref, long Rank);

    /// <summary>Creates an empty list.</summary>
    /// <param name="maxIdleConns">Go's <c>MaxIdleConns</c>: idle connections across all hosts; 0 = no limit.</param>
    public IdleConnLru(int maxIdleConns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxIdleConns);
        MaxIdleConns = maxIdleConns;
    }

    /// <summary>The cap across all hosts; 0 = no limit.</summary>
    public int MaxIdleConns { get; }

    /// <summary>Idle connections known (Go's <c>connLRU.len</c>).</summary>
    public int Count => order.Count;

    /// <summary>
    /// <paramref name="conn"/> of <paramref name="hostKey"/>'s pool went idle (Go's <c>connLRU.add</c>). Returns the
    /// least recently idled connection when this goes over the cap (it is no longer in the list), else null.
    /// Adding a connection already present makes it the most recent.
    /// </summary>
    public IdleConnRef<TKey, TConn>? Add(TKey hostKey, TConn conn) => Add(hostKey, conn, lastRank + 1);

    /// <summary>
    /// As <see cref="Add(TKey, TConn)"/>, but the connection takes its place by <paramref name="rank"/> (larger = idled
    /// later) rather than by arrival: reports from different pools may arrive out of the order the connections idled in.
    /// </summary>
    public IdleConnRef<TKey, TConn>? Add(TKey hostKey, TConn conn, long rank)
    {
        ArgumentNullException.ThrowIfNull(conn);
        Remove(conn);
        var entry = new Entry(new IdleConnRef<TKey, TConn>(hostKey, conn), rank);
        lastRank = Math.Max(lastRank, rank);
        // Reports come nearly in order, so the place is found from the newest end in a step or two.
        var after = order.Last;
        while (after is not null && after.Value.Rank > rank) after = after.Previous;
        nodes.Add(conn, after is null ? order.AddFirst(entry) : order.AddAfter(after, entry));
        var evicted = MaxIdleConns > 0 && order.Count > MaxIdleConns ? RemoveOldest() : null;
        Debug.Assert(MaxIdleConns == 0 || order.Count <= MaxIdleConns);
        Debug.Assert(order.Count == nodes.Count);
        return evicted;
    }

    /// <summary><paramref name="conn"/> left its idle stack (Go's <c>connLRU.remove</c>); false if it was not here.</summary>
    public bool Remove(TConn conn)
    {
        if (!nodes.Remove(conn, out var node)) return false;
        order.Remove(node);
        return true;
    }

    /// <summary>Takes out the connection idle the longest (Go's <c>connLRU.removeOldest</c>); null when empty.</summary>
    public IdleConnRef<TKey, TConn>? RemoveOldest()
    {
        if (order.First is not { } first) return null;
        order.RemoveFirst();
        nodes.Remove(first.Value.Ref.Conn);
        return first.Value.Ref;
    }

    /// <summary>Whether <paramref name="conn"/> is listed as idle.</summary>
    public bool Contains(TConn conn) => nodes.ContainsKey(conn);
}
