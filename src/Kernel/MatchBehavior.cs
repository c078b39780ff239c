namespace ActorHttp.Kernel;

/// <summary>
/// A compiled <see cref="ReceiveActor"/> behaviour. Handlers are kept in declaration order; for each
/// concrete message type the applicable ones are computed once and cached by exact type, so a
/// message costs one dictionary lookup and a short loop, with no allocation.
/// Owned by its actor (touched only on the actor's turn), hence no locking.
/// </summary>
internal sealed class MatchBehavior
{
    private readonly ReceiveHandler[] _handlers;
    private readonly Dictionary<Type, ReceiveHandler[]> _byType = new();

    public MatchBehavior(List<ReceiveHandler> handlers) => _handlers = handlers.ToArray();

    public bool Handle(object message)
    {
        var type = message.GetType();
        if (!_byType.TryGetValue(type, out var candidates))
        {
            candidates = Array.FindAll(_handlers, h => h.MessageType.IsAssignableFrom(type));
            _byType[type] = candidates;
        }
        for (var i = 0; i < candidates.Length; i++)
            if (candidates[i].TryHandle(message)) return true;
        return false;
    }
}
