namespace ActorHttp.Server.Connection;

/// <summary>
/// Completion of one acknowledged write: the handler awaits <see cref="Task"/>; the writer actor
/// completes it once the bytes are sent, or fails it when the connection is lost.
/// </summary>
internal sealed class WriteAck
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Task => _done.Task;

    public void Complete() => _done.TrySetResult();

    public void Fail() => _done.TrySetException(new IOException("The connection was closed before the response was sent."));
}
