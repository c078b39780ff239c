namespace ActorHttp.Kernel;

/// <summary>
/// A compiled <see cref="ReceiveActor"/> behaviour: the handlers in declaration order, and the
/// <see cref="HandlerShape"/> that says, per concrete message type, which of them apply. The shape
/// is shared by every behaviour that registered the same types in the same order (every instance
/// of an actor class, every entry into the same state), so a behaviour holds no cache of its own
/// and a message costs one lookup and a short loop, with no allocation.
/// </summary>
internal sealed class MatchBehavior
{
    private readonly ReceiveHandler[] _handlers;
    private readonly HandlerShape _shape;

    public MatchBehavior(List<ReceiveHandler> handlers)
    {
        _handlers = handlers.ToArray();
        _shape = HandlerShape.Of(_handlers);
    }

    public bool Handle(object message)
    {
        var handlers = _handlers;
        var candidates = _shape.CandidatesFor(message.GetType());
        for (var i = 0; i < candidates.Length; i++)
            if (handlers[candidates[i]].TryHandle(message)) return true;
        return false;
    }
}
