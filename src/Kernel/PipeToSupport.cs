namespace ActorHttp.Kernel;

/// <summary>
/// <c>PipeTo</c>: turns a task's outcome into a message — the result (or the success mapping's
/// mapping of it) or a <see cref="Status.Failure"/> (or the failure mapping's mapping). The way
/// an actor does asynchronous work without blocking or awaiting: <c>DoAsync().PipeTo(Self)</c>.
/// </summary>
public static class PipeToSupport
{
    /// <summary>Tells the task's result to <paramref name="recipient"/> when it completes.</summary>
    public static async Task PipeTo<T>(this Task<T> task, IActorRef recipient, IActorRef? sender = null,
        Func<T, object>? success = null, Func<Exception, object>? failure = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(recipient);
        object message;
        try
        {
            var result = await task.ConfigureAwait(false);
            message = success is not null ? success(result) : (object?)result ?? new Status.Success(null);
        }
        catch (Exception e)
        {
            message = failure is not null ? failure(e) : new Status.Failure(e);
        }
        recipient.Tell(message, sender);
    }

    /// <summary>Tells <paramref name="success"/>'s message (default <c>Status.Success(null)</c>) or a failure to <paramref name="recipient"/> when the task completes.</summary>
    public static async Task PipeTo(this Task task, IActorRef recipient, IActorRef? sender = null,
        Func<object>? success = null, Func<Exception, object>? failure = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(recipient);
        object message;
        try
        {
            await task.ConfigureAwait(false);
            message = success is not null ? success() : new Status.Success(null);
        }
        catch (Exception e)
        {
            message = failure is not null ? failure(e) : new Status.Failure(e);
        }
        recipient.Tell(message, sender);
    }
}
