using System.Diagnostics;

namespace ActorHttp.Client.Pool;

/// <summary>
/// The transport-wide list of idle connections in least-recently-idled order (Go's <c>connLRU</c>,
/// <c>Transport.idleLRU</c>), enforcing max-idle-conns across every host.
/// </summary>
/// <remarks>
/// Owned by the transport actor. Host pools report each connection that goes idle
/// (<see cref="PoolEffect{TConn}.Idled"/>) and each that leaves the idle stack (a
/// <see cref="PoolEffect{TConn}.Deliver"/> or <see cref="PoolEffect{TConn}.Close"/> with <c>WasIdle</c>).
/// When an <see cref="Add"/> goes over the cap it hands back the connection idle the longest, whichever host
/// holds it; the transport asks that host's pool to close it with
/// <see cref="HostPool{TConn}.CloseIdleConn"/> and <see cref="ConnCloseReason.TooManyIdle"/>.
/// Pure and not thread-safe: all operations are O(1).
/// <para><b>Races.</b> Reports travel as messages, so the list can be behind its pools: it may evict a
/// connection a request took meanwhile. The pool's <see cref="HostPool{TConn}.CloseIdleConn"/> then does
/// nothing and the later report of the take finds nothing to remove. The cap can be briefly undershot
/// that way, and overshot only by the reports still in flight.</para>
/// </remarks>
public sealed class IdleConnLru<TKey, TConn> where TConn : class
{
    // Go: connLRU.ll, most recently used at the front there; here oldest first (First) and newest last.
    private readonly LinkedList<IdleConnRef<TKey, TConn>> order = new();
    private readonly Dictionary<TConn, LinkedListNode<IdleConnRef<TKey, TConn>>> nodes = new();

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
    public IdleConnRef<TKey, TConn>? Add(TKey hostKey, TConn conn)
    {
        ArgumentNullException.ThrowIfNull(conn);
        Remove(conn);
        nodes.Add(conn, order.AddLast(new IdleConnRef<TKey, TConn>(hostKey, conn)));
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
        nodes.Remove(first.Value.Conn);
        return first.Value;
    }

    /// <summary>Whether <paramref name="conn"/> is listed as idle.</summary>
    public bool Contains(TConn conn) => nodes.ContainsKey(conn);
}
