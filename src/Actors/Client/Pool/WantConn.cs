using System.Diagnostics;

namespace ActorHttp.Client.Pool;

/// <summary>
/// A request's wish for a connection to one host (Go's <c>wantConn</c>): it ends exactly once,
/// with a connection, an error, or a cancellation.
/// </summary>
/// <remarks>
/// Owned by the host pool actor: only its <see cref="HostPool{TConn}"/> changes the state, so
/// "delivered at most once" is a property of the pool, not a lock. The requester keeps the
/// <see cref="Id"/> to cancel with (<see cref="HostPool{TConn}.CancelWant"/>).
/// </remarks>
public sealed class WantConn
{
    /// <summary>Creates a waiting want.</summary>
    /// <param name="id">Unique within its pool; the requester cancels by it.</param>
    /// <param name="createdAt">Monotonic time the request asked (for the time-in-queue metric).</param>
    /// <param name="deadline">Monotonic time after which it fails with <see cref="PoolErrorKind.WaitTimeout"/>; null = none.</param>
    public WantConn(long id, TimeSpan createdAt, TimeSpan? deadline = null)
    {
        Id = id;
        CreatedAt = createdAt;
        Deadline = deadline;
    }

    /// <summary>Unique within its pool.</summary>
    public long Id { get; }

    /// <summary>Monotonic time the request asked for a connection.</summary>
    public TimeSpan CreatedAt { get; }

    /// <summary>Monotonic time after which a still-waiting want fails with <see cref="PoolErrorKind.WaitTimeout"/>; null = none.</summary>
    public TimeSpan? Deadline { get; }

    /// <summary>Where it is in its life; changes once, away from <see cref="WantConnState.Waiting"/>.</summary>
    public WantConnState State { get; private set; }

    /// <summary>Whether it still waits (Go's <c>wantConn.waiting</c>).</summary>
    public bool IsWaiting => State == WantConnState.Waiting;

    // The pool's queue node while queued (Go keeps wants in wantConnQueue); null otherwise.
    internal LinkedListNode<WantConn>? QueueNode { get; set; }

    // Go: wantConn.tryDeliver. True only the first time, so a connection or error reaches a request once.
    internal bool TryDeliver(WantConnState outcome)
    {
        Debug.Assert(outcome != WantConnState.Waiting);
        if (State != WantConnState.Waiting) return false;
        State = outcome;
        return true;
    }

    internal bool IsExpired(TimeSpan now) => Deadline is { } d && now >= d;

    /// <inheritdoc />
    public override string ToString() => $"WantConn({Id}, {State})";
}
