namespace ActorHttp.Kernel;

/// <summary>A <c>Receive&lt;T&gt;(Func&lt;T, bool&gt;)</c> registration: the handler itself says whether it handled the message.</summary>
internal sealed class FuncReceiveHandler<T>(Func<T, bool> handler) : ReceiveHandler
{
    public override Type MessageType => typeof(T);

    public override bool TryHandle(object message) => handler((T)message);
}
