namespace ActorHttp.Kernel;

/// <summary>A <c>Receive&lt;T&gt;(Action&lt;T&gt;, Predicate&lt;T&gt;?)</c> registration.</summary>
internal sealed class ActionReceiveHandler<T>(Action<T> handler, Predicate<T>? shouldHandle) : ReceiveHandler
{
    public override Type MessageType => typeof(T);

    public override bool TryHandle(object message)
    {
        var m = (T)message;
        if (shouldHandle is not null && !shouldHandle(m)) return false;
        handler(m);
        return true;
    }
}
