namespace ActorHttp.Kernel;

/// <summary>
/// A path to actors that is resolved when used rather than a reference: absolute
/// (<c>/user/a/b</c> or <c>actorhttp://sys/user/a/b</c>) or, from an actor's context, relative
/// (<c>child</c>, <c>../sibling</c>). Wildcards are not supported. Prefer references; selections
/// exist for the places where only a name is known.
/// </summary>
public sealed class ActorSelection
{
    private readonly ActorSystem _system;
    private readonly ActorCell? _anchor;

    internal ActorSelection(ActorSystem system, ActorCell? anchor, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _system = system;
        _anchor = anchor;
        PathString = path;
    }

    /// <summary>The path as given.</summary>
    public string PathString { get; }

    /// <summary>Tells the actor the path names, or publishes a dead letter if there is none (alive).</summary>
    public void Tell(object message, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Resolve() is { } target) target.Tell(message, sender);
        else _system.DeadLetterOffice.Deliver(message, sender, _system.DeadLetterOffice);
    }

    /// <summary>The reference to the live actor the path names; faults with <see cref="ActorNotFoundException"/> when there is none.</summary>
    public Task<IActorRef> ResolveOne() =>
        Resolve() is { } target
            ? Task.FromResult<IActorRef>(target)
            : Task.FromException<IActorRef>(new ActorNotFoundException($"No live actor at '{PathString}'."));

    /// <summary>Akka's signature: resolution here is immediate (a walk of the local tree), so <paramref name="timeout"/> is never waited on.</summary>
    public Task<IActorRef> ResolveOne(TimeSpan timeout) => ResolveOne();

    /// <inheritdoc />
    public override string ToString() => $"ActorSelection[{PathString}]";

    private LocalActorRef? Resolve()
    {
        var path = PathString;
        var address = $"{ActorPath.Scheme}://{_system.Name}";
        if (path.StartsWith(address, StringComparison.Ordinal)) path = path[address.Length..];
        else if (path.Contains("://", StringComparison.Ordinal)) return null; // another system

        var cell = path.StartsWith('/') || _anchor is null ? _system.RootCell : _anchor;
        foreach (var element in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (element == ".") continue;
            if (element == "..")
            {
                if (cell.Parent is not LocalActorRef parent) return null;
                cell = parent.Cell;
                continue;
            }
            if (cell.Child(element) is not LocalActorRef child) return null;
            cell = child.Cell;
        }
        return cell.IsTerminated ? null : cell.Self;
    }
}
