namespace ActorHttp.Actors.Tests.Support.Peers;

/// <summary>
/// Counts the connections a peer accepted and closed, and lets a test await "connection N
/// accepted" or "N connections closed" without polling. Connection reuse is asserted with
/// <see cref="Accepted"/>; a client's leaks with <see cref="WaitForClosedAsync"/>.
/// Thread-safe: peers report from their accept loops and connection tasks.
/// </summary>
public sealed class ConnectionTracker
{
    private readonly object _gate = new();
    // Owned by _gate: pending waits, each completed once its count is reached.
    private readonly List<(bool Closed, int Count, TaskCompletionSource Done)> _waiters = [];
    private int _accepted;
    private int _closed;

    /// <summary>Connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Connections whose server side has finished and closed.</summary>
    public int Closed => Volatile.Read(ref _closed);

    /// <summary>Connections accepted and not yet closed.</summary>
    public int Open
    {
        get
        {
            lock (_gate) return _accepted - _closed;
        }
    }

    /// <summary>Completes once at least <paramref name="count"/> connections have been accepted.</summary>
    public Task WaitForAcceptedAsync(int count) => Wait(closed: false, count);

    /// <summary>Completes once at least <paramref name="count"/> connections have been closed.</summary>
    public Task WaitForClosedAsync(int count) => Wait(closed: true, count);

    /// <summary>Completes once every connection accepted so far has closed.</summary>
    public Task WaitForAllClosedAsync() => Wait(closed: true, Accepted);

    /// <summary>Records an accepted connection; returns its 1-based number.</summary>
    public int OnAccepted() => Record(closed: false);

    /// <summary>Records a closed connection.</summary>
    public void OnClosed() => Record(closed: true);

    /// <inheritdoc />
    public override string ToString() => $"accepted {Accepted}, closed {Closed}";

    private Task Wait(bool closed, int count)
    {
        lock (_gate)
        {
            if ((closed ? _closed : _accepted) >= count) return Task.CompletedTask;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((closed, count, done));
            return done.Task;
        }
    }

    private int Record(bool closed)
    {
        List<TaskCompletionSource>? ready = null;
        int value;
        lock (_gate)
        {
            value = closed ? ++_closed : ++_accepted;
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                var w = _waiters[i];
                if (w.Closed != closed || w.Count > value) continue;
                (ready ??= []).Add(w.Done);
                _waiters.RemoveAt(i);
            }
        }
        // Completed outside the lock; continuations run asynchronously anyway.
        ready?.ForEach(d => d.TrySetResult());
        return value;
    }
}
