using System.Collections.Concurrent;

namespace ActorHttp.Kernel;

/// <summary>
/// The registered message types of a <see cref="MatchBehavior"/>, in order, and for each concrete
/// message type seen so far the indices of the handlers that accept it. Interned per sequence of
/// types, so the per-type table is built once per shape rather than once per actor instance.
/// Any thread: lookups read an immutable table; a miss copies it with the new entry under a lock.
/// The number of shapes is bounded by the program's Receive declarations, so they are never evicted.
/// </summary>
internal sealed class HandlerShape
{
    private static readonly ConcurrentDictionary<Key, HandlerShape> Interned = new();

    private readonly Type[] _types;
    private volatile Dictionary<Type, int[]> _byType = new();

    private HandlerShape(Type[] types) => _types = types;

    public static HandlerShape Of(ReceiveHandler[] handlers)
    {
        var types = new Type[handlers.Length];
        for (var i = 0; i < handlers.Length; i++) types[i] = handlers[i].MessageType;
        var key = new Key(types);
        return Interned.TryGetValue(key, out var shape) ? shape : Interned.GetOrAdd(key, static k => new HandlerShape(k.Types));
    }

    public int[] CandidatesFor(Type messageType) =>
        _byType.TryGetValue(messageType, out var candidates) ? candidates : Add(messageType);

    private int[] Add(Type messageType)
    {
        lock (_types)
        {
            if (_byType.TryGetValue(messageType, out var existing)) return existing;
            var candidates = new List<int>();
            for (var i = 0; i < _types.Length; i++)
                if (_types[i].IsAssignableFrom(messageType)) candidates.Add(i);
            var result = candidates.ToArray();
            _byType = new Dictionary<Type, int[]>(_byType) { [messageType] = result };
            return result;
        }
    }

    private readonly struct Key(Type[] types) : IEquatable<Key>
    {
        public Type[] Types => types;

        public bool Equals(Key other) => types.AsSpan().SequenceEqual(other.Types);

        public override bool Equals(object? obj) => obj is Key k && Equals(k);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            foreach (var t in types) hash.Add(t);
            return hash.ToHashCode();
        }
    }
}
