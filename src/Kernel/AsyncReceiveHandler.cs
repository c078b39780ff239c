namespace ActorHttp.Kernel;

/// <summary>A <c>ReceiveAsync&lt;T&gt;</c> registration: runs the handler through the cell, which suspends the mailbox until its task completes.</summary>
internal sealed class AsyncReceiveHandler<T>(ActorCell cell, Func<T, Task> handler, Predicate<T>? shouldHandle) : ReceiveHandler
{
    public override Type MessageType => typeof(T);

    public override bool TryHandle(object message)
    {
        var m = (T)message;
        if (shouldHandle is not null && !shouldHandle(m)) return false;
        cell.RunAsync(handler, m);
        return true;
    }
}
