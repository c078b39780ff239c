namespace ActorHttp.Kernel;

/// <summary><c>GracefulStop</c>: stop an actor and learn when it (and all its children) has stopped.</summary>
public static class GracefulStopSupport
{
    /// <summary>
    /// Sends <paramref name="stopMessage"/> (default <see cref="PoisonPill"/>) and completes with true once
    /// the actor has terminated (at once if it already had). If it has not within
    /// <paramref name="timeout"/>, the task faults with <see cref="AskTimeoutException"/>, as in Akka.
    /// </summary>
    public static async Task<bool> GracefulStop(this IActorRef target, TimeSpan timeout, object? stopMessage = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target is not InternalActorRef { System: { } system } internalTarget)
            throw new ArgumentException($"Cannot stop {target}: it is not an actor of a running system.", nameof(target));
        var promise = new PromiseActorRef<object>(system, target, (stopMessage ?? PoisonPill.Instance).GetType(), timeout);
        promise.Start(CancellationToken.None);
        internalTarget.SendSystemMessage(new Watch(target, promise));
        target.Tell(stopMessage ?? PoisonPill.Instance, ActorRefs.NoSender);
        try
        {
            return await promise.Task.ConfigureAwait(false) is Terminated;
        }
        finally
        {
            internalTarget.SendSystemMessage(new Unwatch(target, promise));
        }
    }
}
