namespace ActorHttp.Kernel;

/// <summary>
/// The logical address of an actor in its system's hierarchy, printed as <c>actorhttp://system/user/a/b</c>.
/// Paths compare by their elements only; the incarnation <see cref="Uid"/> distinguishes
/// references (see <see cref="IActorRef"/>), not paths.
/// </summary>
/// <remarks>
/// The text is built on demand and not kept: every actor has a path, few are ever printed, and a
/// kept string (about 100 bytes) would outweigh the path itself. Equality and hashing walk the
/// elements instead of comparing text.
/// </remarks>
public sealed class ActorPath : IEquatable<ActorPath>, IComparable<ActorPath>
{
    /// <summary>The scheme every local path uses.</summary>
    public const string Scheme = "actorhttp";

    // The root keeps the system's name here (its Name is ""); every other path its own name. One
    // field less in every actor's path, which every idle connection has two of.
    private readonly string _name;

    private ActorPath(ActorPath? parent, string name, long uid)
    {
        Parent = parent;
        _name = name;
        Uid = uid;
    }

    /// <summary>The name of the actor system this path belongs to.</summary>
    public string SystemName
    {
        get
        {
            var p = this;
            while (p.Parent is not null) p = p.Parent;
            return p._name;
        }
    }

    /// <summary>The parent path; <c>null</c> only for the root (<c>/</c>).</summary>
    public ActorPath? Parent { get; }

    /// <summary>The last element ("" for the root).</summary>
    public string Name => Parent is null ? "" : _name;

    /// <summary>The incarnation number of the actor the path was created for (0 when unknown).</summary>
    public long Uid { get; }

    private int _hash;

    /// <summary><c>actorhttp://system</c>.</summary>
    public string Address => $"{Scheme}://{SystemName}";

    /// <summary>The path elements below the root, e.g. ["user", "a", "b"].</summary>
    public IReadOnlyList<string> Elements
    {
        get
        {
            var list = new List<string>();
            for (var p = this; p.Parent is not null; p = p.Parent) list.Add(p.Name);
            list.Reverse();
            return list;
        }
    }

    /// <summary>Creates the root path of a system.</summary>
    public static ActorPath Root(string systemName) => new(null, systemName, 0);

    /// <summary>Creates a child path.</summary>
    public ActorPath Child(string name, long uid = 0) => new(this, name, uid);

    /// <summary>Creates a child path (<c>path / "name"</c>).</summary>
    public static ActorPath operator /(ActorPath parent, string name) => parent.Child(name);

    /// <summary>The path without the address: <c>/user/a/b</c>.</summary>
    public string ToStringWithoutAddress()
    {
        var full = ToString();
        return full[Address.Length..];
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var address = Address;
        if (Parent is null) return address + "/";
        var length = address.Length;
        for (var p = this; p.Parent is not null; p = p.Parent) length += 1 + p.Name.Length;
        return string.Create(length, (Path: this, Address: address), static (span, state) =>
        {
            for (var p = state.Path; p.Parent is not null; p = p.Parent)
            {
                p.Name.CopyTo(span[^p.Name.Length..]);
                span[^(p.Name.Length + 1)] = '/';
                span = span[..^(p.Name.Length + 1)];
            }
            state.Address.CopyTo(span);
        });
    }

    /// <summary>The path followed by <c>#uid</c>, which identifies one incarnation.</summary>
    public string ToStringWithUid() => Uid == 0 ? ToString() : $"{ToString()}#{Uid}";

    /// <inheritdoc />
    public bool Equals(ActorPath? other)
    {
        var a = this;
        var b = other;
        while (true)
        {
            if (ReferenceEquals(a, b)) return true;
            if (a is null || b is null || !string.Equals(a.Name, b.Name, StringComparison.Ordinal)) return false;
            if (a.Parent is null || b.Parent is null)
                return a.Parent is null && b.Parent is null && string.Equals(a.SystemName, b.SystemName, StringComparison.Ordinal);
            a = a.Parent;
            b = b.Parent;
        }
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ActorPath p && Equals(p);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        // Cached: references are dictionary keys on hot paths (a pool's busy and idle connections), and the path
        // is immutable. A race computes the same value twice; 0 means "not yet" (a real 0 is just recomputed).
        if (_hash != 0) return _hash;
        var hash = new HashCode();
        for (var p = this; p is not null; p = p.Parent) hash.Add(p.Name, StringComparer.Ordinal);
        hash.Add(SystemName, StringComparer.Ordinal);
        return _hash = hash.ToHashCode();
    }

    /// <inheritdoc />
    public int CompareTo(ActorPath? other) => other is null ? 1 : string.CompareOrdinal(ToString(), other.ToString());
}
