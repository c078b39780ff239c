namespace ActorHttp.Kernel;

/// <summary>One <c>Receive&lt;T&gt;</c> registration of a <see cref="ReceiveActor"/>: the type it accepts and how it handles a message of that type.</summary>
internal abstract class ReceiveHandler
{
    protected ReceiveHandler(Type messageType) => MessageType = messageType;

    public Type MessageType { get; }

    /// <summary>Handles <paramref name="message"/> (already known to be a <see cref="MessageType"/>) or returns false when its predicate declines.</summary>
    public abstract bool TryHandle(object message);
}
