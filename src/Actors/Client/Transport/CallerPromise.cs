using ActorHttp.Kernel;

namespace ActorHttp.Client.Transport;

/// <summary>
/// The reply target of one <see cref="ActorTransport.RoundTripAsync"/>: a reference whose <c>Tell</c> completes the
/// caller's task with the response (or faults it with a <see cref="Status.Failure"/>'s cause). Not an actor, like an
/// ask's promise, but it decides where the caller's continuation runs (see <see cref="CallerHandoff"/>).
/// </summary>
/// <remarks>
/// An ask's promise runs continuations asynchronously, which costs a thread-pool work item (and often a thread
/// wake-up) per request just to resume the caller. This one runs the continuation on the thread that read the
/// response, once that thread has left every actor turn — where <see cref="System.Net.Http.SocketsHttpHandler"/>
/// resumes its caller too. A reply told from anywhere else (a pool failing a waiter, a timer, a turn the read
/// completion did not run itself) resumes the caller through the thread pool, as an ask would: caller code
/// never runs inside an actor's turn. The first outcome wins; later ones go to dead letters.
/// </remarks>
internal sealed class CallerPromise : IActorRef, IThreadPoolWorkItem
{
    // Synchronous continuations on purpose: the task is completed only outside actor turns (see Tell).
    private readonly TaskCompletionSource<ClientResponse> _task = new();
    private readonly ActorSystem _system;
    private object? _outcome;
    private ActorPath? _path;
    private CancellationTokenRegistration _registration;
    private IActorRef? _pool;
    private ConnectionKey _key;
    private long _id;

    public CallerPromise(ActorSystem system) => _system = system;

    public Task<ClientResponse> Task => _task.Task;

    public ActorPath Path => _path ??= ActorPath.Root(_system.Name).Child("temp").Child("$caller");

    /// <summary>Cancels the caller's task when <paramref name="ct"/> is, and then tells <paramref name="pool"/> to cancel round trip <paramref name="id"/>.</summary>
    public void CancelWith(CancellationToken ct, IActorRef pool, ConnectionKey key, long id)
    {
        if (!ct.CanBeCanceled) return;
        _pool = pool;
        _key = key;
        _id = id;
        _registration = ct.UnsafeRegister(static (s, token) => ((CallerPromise)s!).Cancel(token), this);
    }

    // The caller resumes through the thread pool, not inside whatever cancelled the token; a response that arrives
    // after this goes to dead letters and its connection is closed by the pool's abort.
    private void Cancel(CancellationToken token)
    {
        if (!TryClaim(new OperationCanceledException(token))) return;
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        _pool!.Tell(new TransportActor.CancelRoundTrip(_key, _id), ActorRefs.NoSender);
    }

    public void Tell(object message, IActorRef? sender)
    {
        if (message is not (ClientResponse or Status.Failure) || !TryClaim(message))
        {
            _system.DeadLetters.Tell(message, sender);
            return;
        }
        if (!CallerHandoff.TryDefer(this)) ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    // The first outcome is kept; the task is completed from it later, on the thread chosen in Tell.
    private bool TryClaim(object outcome) => Interlocked.CompareExchange(ref _outcome, outcome, null) is null;

    /// <summary>Completes the caller's task with the claimed outcome, running its continuation on this thread.</summary>
    public void Complete()
    {
        // Not after a cancellation: disposing waits for the callback, which may still be running on the cancelling thread.
        if (_outcome is not OperationCanceledException) _registration.Dispose();
        switch (_outcome)
        {
            case ClientResponse response:
                _task.TrySetResult(response);
                break;
            case Status.Failure failure:
                _task.TrySetException(failure.Cause);
                break;
            case OperationCanceledException canceled:
                _task.TrySetCanceled(canceled.CancellationToken);
                break;
        }
    }

    void IThreadPoolWorkItem.Execute() => Complete();

    public bool Equals(IActorRef? other) => ReferenceEquals(this, other);

    public override bool Equals(object? obj) => ReferenceEquals(this, obj);

    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);

    public int CompareTo(IActorRef? other) => other is null ? 1 : Path.CompareTo(other.Path);

    public override string ToString() => $"CallerPromise({(_outcome is null ? "pending" : "done")})";
}
