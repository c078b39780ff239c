namespace ActorHttp.Kernel;

/// <summary>
/// A set of actor refs in one field, for a cell's death-watch bookkeeping: nothing, one ref, or a
/// <see cref="HashSet{T}"/> once there are two. Most actors are watched by one actor (their parent
/// or a pool), and an empty <see cref="HashSet{T}"/> with its first entry costs about 200 B, which
/// every idle connection actor would carry. A mutable struct: use it only as a field, never copy it.
/// </summary>
internal struct ActorRefSet
{
    // null | IActorRef | HashSet<IActorRef>
    private object? _items;

    public readonly int Count => _items switch
    {
        null => 0,
        HashSet<IActorRef> set => set.Count,
        _ => 1,
    };

    public readonly bool Contains(IActorRef actor) => _items switch
    {
        null => false,
        HashSet<IActorRef> set => set.Contains(actor),
        var single => ((IActorRef)single).Equals(actor),
    };

    /// <summary>False when it was there already.</summary>
    public bool Add(IActorRef actor)
    {
        switch (_items)
        {
            case null:
                _items = actor;
                return true;
            case HashSet<IActorRef> set:
                return set.Add(actor);
            default:
                var single = (IActorRef)_items;
                if (single.Equals(actor)) return false;
                _items = new HashSet<IActorRef> { single, actor };
                return true;
        }
    }

    /// <summary>False when it was not there.</summary>
    public bool Remove(IActorRef actor)
    {
        switch (_items)
        {
            case null:
                return false;
            case HashSet<IActorRef> set:
                if (!set.Remove(actor)) return false;
                // Back to the inline form, so that a burst of watchers leaves no set behind.
                if (set.Count == 1)
                    foreach (var last in set) _items = last;
                else if (set.Count == 0) _items = null;
                return true;
            default:
                if (!((IActorRef)_items).Equals(actor)) return false;
                _items = null;
                return true;
        }
    }

    public void Clear() => _items = null;

    /// <summary>A copy of the members (callers send messages to them, which must not run into a set being changed).</summary>
    public readonly IActorRef[] ToArray() => _items switch
    {
        null => [],
        HashSet<IActorRef> set => [.. set],
        var single => [(IActorRef)single],
    };
}
