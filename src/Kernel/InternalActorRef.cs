namespace ActorHttp.Kernel;

/// <summary>
/// The kernel's side of every reference: system messages, liveness and equality by path and uid.
/// User code only sees <see cref="IActorRef"/>.
/// </summary>
internal abstract class InternalActorRef : IActorRef
{
    public abstract ActorPath Path { get; }

    public abstract void Tell(object message, IActorRef? sender);

    /// <summary>Delivers a system message (watch, terminate, ...). References that are not actors ignore most of them.</summary>
    public abstract void SendSystemMessage(SystemMessage message);

    /// <summary>True once the actor behind the reference has terminated for good.</summary>
    public abstract bool IsTerminated { get; }

    /// <summary>The system the reference belongs to (null for <see cref="ActorRefs.Nobody"/>).</summary>
    public virtual ActorSystem? System => null;

    public bool Equals(IActorRef? other) =>
        other is not null && Path.Uid == other.Path.Uid && Path.Equals(other.Path);

    public override bool Equals(object? obj) => obj is IActorRef r && Equals(r);

    public override int GetHashCode() => HashCode.Combine(Path.GetHashCode(), Path.Uid);

    public int CompareTo(IActorRef? other)
    {
        if (other is null) return 1;
        var c = Path.CompareTo(other.Path);
        return c != 0 ? c : Path.Uid.CompareTo(other.Path.Uid);
    }

    public override string ToString() => $"[{Path.ToStringWithUid()}]";
}
