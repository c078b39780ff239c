namespace ActorHttp.Kernel;

/// <summary>
/// The temporary reply target of one <c>Ask</c>: not an actor (no mailbox, no cell), just a reference
/// whose <c>Tell</c> completes a task. The first reply wins; anything after it goes to dead letters.
/// Its path (under <c>/temp</c>) is only built if someone looks at it.
/// </summary>
internal sealed class PromiseActorRef<T> : InternalActorRef
{
    private readonly ActorSystem _system;
    private readonly IActorRef _target;
    private readonly Type _messageType;
    private readonly TimeSpan _timeout;
    private readonly TaskCompletionSource<T> _promise = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ActorPath? _path;
    private ICancelable? _timer;
    private CancellationTokenRegistration _registration;

    public PromiseActorRef(ActorSystem system, IActorRef target, Type messageType, TimeSpan timeout)
    {
        _system = system;
        _target = target;
        _messageType = messageType;
        _timeout = timeout;
    }

    public Task<T> Task => _promise.Task;

    public override ActorPath Path => _path ??= _system.NewTempPath();

    public override bool IsTerminated => _promise.Task.IsCompleted;

    public override ActorSystem? System => _system;

    public void Start(CancellationToken cancellationToken)
    {
        if (_timeout != Timeout.InfiniteTimeSpan)
            _timer = _system.Scheduler.ScheduleOnce(_timeout, static s => ((PromiseActorRef<T>)s!).OnTimeout(), this);
        if (cancellationToken.CanBeCanceled)
            _registration = cancellationToken.Register(static (s, ct) => ((PromiseActorRef<T>)s!).OnCancel(ct), this);
    }

    public override void Tell(object message, IActorRef? sender)
    {
        bool completed;
        if (_promise.Task.IsCompleted) completed = false;
        else if (message is Status.Failure failure && typeof(T) != typeof(Status.Failure)) completed = _promise.TrySetException(failure.Cause);
        else if (message is T value) completed = _promise.TrySetResult(value);
        else completed = _promise.TrySetException(new InvalidCastException(
            $"Ask<{typeof(T).Name}> to {_target} got a reply of type {message.GetType().Name}."));

        if (completed) Cleanup();
        else _system.DeadLetterOffice.Deliver(message, sender, this);
    }

    public override void SendSystemMessage(SystemMessage message)
    {
        // GracefulStop watches its target with a promise: the notification becomes the reply.
        if (message is DeathWatchNotification d) Tell(new Terminated(d.Actor, d.ExistenceConfirmed, d.AddressTerminated), d.Actor);
    }

    private void OnTimeout()
    {
        if (_promise.TrySetException(new AskTimeoutException($"Ask timed out on {_target} after {_timeout} (message type {_messageType.Name}).")))
            Cleanup();
    }

    private void OnCancel(CancellationToken token)
    {
        if (_promise.TrySetCanceled(token)) Cleanup();
    }

    private void Cleanup()
    {
        _timer?.Cancel();
        _registration.Dispose();
    }
}
