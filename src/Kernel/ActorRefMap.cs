namespace ActorHttp.Kernel;

/// <summary>
/// The actors a cell watches, each with its custom termination message (null: a plain
/// <see cref="Terminated"/>), in one field: nothing, one plainly watched ref, or a dictionary for
/// anything more. Most actors watch at most one other (a connection its reader), and a dictionary
/// with one entry costs about 230 B that every idle connection would carry (see
/// <see cref="ActorRefSet"/>). A mutable struct: use it only as a field, never copy it.
/// </summary>
internal struct ActorRefMap
{
    // null | IActorRef (watched without a custom message) | Dictionary<IActorRef, object?>
    private object? _items;

    public readonly int Count => _items switch
    {
        null => 0,
        Dictionary<IActorRef, object?> map => map.Count,
        _ => 1,
    };

    public readonly bool ContainsKey(IActorRef actor) => _items switch
    {
        null => false,
        Dictionary<IActorRef, object?> map => map.ContainsKey(actor),
        var single => ((IActorRef)single).Equals(actor),
    };

    /// <summary>Adds or replaces; false when <paramref name="actor"/> was there already (its message is replaced).</summary>
    public bool Set(IActorRef actor, object? message)
    {
        switch (_items)
        {
            case null when message is null:
                _items = actor;
                return true;
            case Dictionary<IActorRef, object?> map:
                var added = !map.ContainsKey(actor);
                map[actor] = message;
                return added;
            case IActorRef single when single.Equals(actor) && message is null:
                return false;
            default:
                var dictionary = new Dictionary<IActorRef, object?>();
                if (_items is IActorRef existing) dictionary[existing] = null;
                var isNew = !dictionary.ContainsKey(actor);
                dictionary[actor] = message;
                _items = dictionary;
                return isNew;
        }
    }

    /// <summary>Removes <paramref name="actor"/>; false when it was not there.</summary>
    public bool Remove(IActorRef actor, out object? message)
    {
        message = null;
        switch (_items)
        {
            case null:
                return false;
            case Dictionary<IActorRef, object?> map:
                if (!map.Remove(actor, out message)) return false;
                if (map.Count == 0) _items = null;
                else if (map.Count == 1)
                    foreach (var (last, lastMessage) in map)
                        if (lastMessage is null) _items = last;
                return true;
            default:
                if (!((IActorRef)_items).Equals(actor)) return false;
                _items = null;
                return true;
        }
    }

    public void Clear() => _items = null;

    /// <summary>A copy of the watched refs.</summary>
    public readonly IActorRef[] Keys() => _items switch
    {
        null => [],
        Dictionary<IActorRef, object?> map => [.. map.Keys],
        var single => [(IActorRef)single],
    };
}
