namespace ActorHttp.Kernel;

/// <summary>One <c>Receive&lt;T&gt;</c> registration of a <see cref="ReceiveActor"/>: the type it accepts and how it handles a message of that type.</summary>
internal abstract class ReceiveHandler
{
    /// <summary>The registered type (a property of the generic subclass, so no handler stores it).</summary>
    public abstract Type MessageType { get; }

    /// <summary>Handles <paramref name="message"/> (already known to be a <see cref="MessageType"/>) or returns false when its predicate declines.</summary>
    public abstract bool TryHandle(object message);
}
