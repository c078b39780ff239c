namespace ActorHttp.Kernel;

/// <summary>
/// A cell's children by name, in one field: nothing, one child's stats, or a dictionary once there
/// are two. Most actors have no child or one (a connection has its reader, and its writer only
/// after a response had to wait), and a one-entry dictionary costs about 230 B that every idle
/// connection would carry. A mutable struct: use it only as a field, never copy it. The owner
/// locks around it (see <see cref="ActorCell"/>).
/// </summary>
internal struct ChildTable
{
    // null | ChildRestartStats | Dictionary<string, ChildRestartStats>
    private object? _items;

    public readonly int Count => _items switch
    {
        null => 0,
        Dictionary<string, ChildRestartStats> map => map.Count,
        _ => 1,
    };

    public readonly bool TryGetValue(string name, out ChildRestartStats stats)
    {
        switch (_items)
        {
            case ChildRestartStats single when single.Child.Path.Name == name:
                stats = single;
                return true;
            case Dictionary<string, ChildRestartStats> map:
                return map.TryGetValue(name, out stats!);
            default:
                stats = null!;
                return false;
        }
    }

    public readonly bool ContainsKey(string name) => TryGetValue(name, out _);

    /// <summary>Adds a child under its path's name, which the caller has checked is free.</summary>
    public void Add(ChildRestartStats stats)
    {
        switch (_items)
        {
            case null:
                _items = stats;
                break;
            case Dictionary<string, ChildRestartStats> map:
                map.Add(stats.Child.Path.Name, stats);
                break;
            default:
                var single = (ChildRestartStats)_items;
                _items = new Dictionary<string, ChildRestartStats>(StringComparer.Ordinal)
                {
                    [single.Child.Path.Name] = single,
                    [stats.Child.Path.Name] = stats,
                };
                break;
        }
    }

    public bool Remove(string name)
    {
        switch (_items)
        {
            case ChildRestartStats single when single.Child.Path.Name == name:
                _items = null;
                return true;
            case Dictionary<string, ChildRestartStats> map:
                if (!map.Remove(name)) return false;
                // Back to the inline form: a connection's writer that comes and goes leaves no dictionary.
                if (map.Count == 1)
                    foreach (var (_, last) in map) _items = last;
                else if (map.Count == 0) _items = null;
                return true;
            default:
                return false;
        }
    }

    /// <summary>The children's stats, dying ones too when <paramref name="alsoDying"/>.</summary>
    public readonly ChildRestartStats[] ToArray(bool alsoDying)
    {
        switch (_items)
        {
            case null:
                return [];
            case ChildRestartStats single:
                return alsoDying || !single.IsDying ? [single] : [];
            default:
                var map = (Dictionary<string, ChildRestartStats>)_items;
                var result = new List<ChildRestartStats>(map.Count);
                foreach (var (_, c) in map)
                    if (alsoDying || !c.IsDying) result.Add(c);
                return result.ToArray();
        }
    }
}
