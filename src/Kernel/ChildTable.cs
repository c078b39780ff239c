namespace ActorHttp.Kernel;

/// <summary>
/// A cell's children by name, in one field: nothing, one child, or a dictionary once there are
/// two. A child is kept as its bare ref until its <see cref="ChildRestartStats"/> are needed (it
/// failed, or is being stopped), and only then gets them. Most actors have no child or one (a
/// connection has its reader, and its writer only after a response had to wait), most children
/// never fail, and a one-entry dictionary with the stats costs about 270 B that every idle
/// connection would carry. A mutable struct: use it only as a field, never copy it. The owner
/// locks around it (see <see cref="ActorCell"/>).
/// </summary>
internal struct ChildTable
{
    // null | IActorRef | ChildRestartStats | Dictionary<string, object> (values IActorRef or ChildRestartStats)
    private object? _items;

    public readonly int Count => _items switch
    {
        null => 0,
        Dictionary<string, object> map => map.Count,
        _ => 1,
    };

    /// <summary>The child named <paramref name="name"/>, if there is one.</summary>
    public readonly bool TryGetChild(string name, out IActorRef child)
    {
        if (Find(name) is { } entry)
        {
            child = RefOf(entry);
            return true;
        }
        child = null!;
        return false;
    }

    public readonly bool ContainsKey(string name) => Find(name) is not null;

    /// <summary>Whether the child is being stopped (only a child with stats can be: stopping one makes them).</summary>
    public readonly bool IsDying(string name) => Find(name) is ChildRestartStats { IsDying: true };

    /// <summary>Adds a child under its path's name, which the caller has checked is free.</summary>
    public void Add(IActorRef child)
    {
        switch (_items)
        {
            case null:
                _items = child;
                break;
            case Dictionary<string, object> map:
                map.Add(child.Path.Name, child);
                break;
            default:
                var single = _items;
                _items = new Dictionary<string, object>(StringComparer.Ordinal)
                {
                    [RefOf(single).Path.Name] = single,
                    [child.Path.Name] = child,
                };
                break;
        }
    }

    /// <summary>The stats of the child named <paramref name="name"/>, made on first need; null when there is no such child.</summary>
    public ChildRestartStats? StatsOf(string name)
    {
        switch (Find(name))
        {
            case null:
                return null;
            case ChildRestartStats stats:
                return stats;
            case var bare:
                var made = new ChildRestartStats((IActorRef)bare);
                if (_items is Dictionary<string, object> map) map[name] = made;
                else _items = made;
                return made;
        }
    }

    public bool Remove(string name)
    {
        switch (_items)
        {
            case Dictionary<string, object> map:
                if (!map.Remove(name)) return false;
                // Back to the inline form: a connection's writer that comes and goes leaves no dictionary.
                if (map.Count == 1)
                    foreach (var (_, last) in map) _items = last;
                else if (map.Count == 0) _items = null;
                return true;
            case { } single when RefOf(single).Path.Name == name:
                _items = null;
                return true;
            default:
                return false;
        }
    }

    /// <summary>The children, dying ones too when <paramref name="alsoDying"/> (makes no stats).</summary>
    public readonly IActorRef[] Refs(bool alsoDying)
    {
        var result = new List<IActorRef>(Count);
        foreach (var entry in Entries())
            if (alsoDying || entry is not ChildRestartStats { IsDying: true }) result.Add(RefOf(entry));
        return result.ToArray();
    }

    /// <summary>The children's stats (made for those without), dying ones too when <paramref name="alsoDying"/>.</summary>
    public ChildRestartStats[] Stats(bool alsoDying)
    {
        var result = new List<ChildRestartStats>(Count);
        foreach (var entry in Entries())
        {
            var stats = entry as ChildRestartStats ?? StatsOf(RefOf(entry).Path.Name)!;
            if (alsoDying || !stats.IsDying) result.Add(stats);
        }
        return result.ToArray();
    }

    // A copy, so that Stats can upgrade entries while going through them.
    private readonly object[] Entries() => _items switch
    {
        null => [],
        Dictionary<string, object> map => [.. map.Values],
        var single => [single],
    };

    private readonly object? Find(string name) => _items switch
    {
        null => null,
        Dictionary<string, object> map => map.GetValueOrDefault(name),
        var single => RefOf(single).Path.Name == name ? single : null,
    };

    private static IActorRef RefOf(object entry) => entry as IActorRef ?? ((ChildRestartStats)entry).Child;
}
