namespace ActorHttp.Kernel;

/// <summary>One <c>Receive&lt;T&gt;</c> registration of a <see cref="ReceiveActor"/>: the type it accepts and how it handles a message of that type.</summary>
internal abstract class ReceiveHandler
{
    protected ReceiveHandler(Type messageType) => MessageType = messageType;

    public Type MessageType { get; }

    /// <summary>Handles <paramref name="message"/> (already known to be a <see cref="MessageType"/>) or returns false when its predicate declines.</summary>
    public abstract bool TryHandle(object message);
}

internal sealed class ActionReceiveHandler<T>(Action<T> handler, Predicate<T>? shouldHandle) : ReceiveHandler(typeof(T))
{
    public override bool TryHandle(object message)
    {
        var m = (T)message;
        if (shouldHandle is not null && !shouldHandle(m)) return false;
        handler(m);
        return true;
    }
}

internal sealed class FuncReceiveHandler<T>(Func<T, bool> handler) : ReceiveHandler(typeof(T))
{
    public override bool TryHandle(object message) => handler((T)message);
}

internal sealed class AsyncReceiveHandler<T>(ActorCell cell, Func<T, Task> handler, Predicate<T>? shouldHandle) : ReceiveHandler(typeof(T))
{
    public override bool TryHandle(object message)
    {
        var m = (T)message;
        if (shouldHandle is not null && !shouldHandle(m)) return false;
        cell.RunAsync(handler, m);
        return true;
    }
}
