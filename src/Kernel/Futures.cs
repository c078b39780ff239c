namespace ActorHttp.Kernel;

/// <summary>
/// <c>Ask</c>: send a message and get the first reply as a task. The reply target is a lightweight
/// temporary reference (no actor is created). A <see cref="Status.Failure"/> reply faults the task
/// with its cause; no reply within the timeout faults it with <see cref="AskTimeoutException"/>;
/// cancelling the token cancels it; later replies go to dead letters.
/// </summary>
public static class Futures
{
    /// <summary>Asks and expects a reply of type <typeparamref name="T"/> (another type faults the task with <see cref="InvalidCastException"/>).</summary>
    public static Task<T> Ask<T>(this IActorRef self, object message, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(message);
        if (self is not InternalActorRef { System: { } system })
            return Task.FromException<T>(new ArgumentException($"Cannot ask {self}: it is not an actor of a running system."));
        var t = timeout ?? system.Settings.AskTimeout;
        if (t <= TimeSpan.Zero && t != Timeout.InfiniteTimeSpan)
            return Task.FromException<T>(new ArgumentOutOfRangeException(nameof(timeout), t, "The ask timeout must be positive."));
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<T>(cancellationToken);

        var promise = new PromiseActorRef<T>(system, self, message.GetType(), t);
        promise.Start(cancellationToken);
        self.Tell(message, promise);
        return promise.Task;
    }

    /// <summary>Asks and returns whatever the reply is.</summary>
    public static Task<object> Ask(this IActorRef self, object message, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        Ask<object>(self, message, timeout, cancellationToken);
}
