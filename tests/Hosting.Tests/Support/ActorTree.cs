using Akka.Actor;

namespace ActorHttp.Hosting.Tests;

/// <summary>
/// The leak check's view of a running actor system: the paths of the live actors at and under a reference,
/// walked through the public children of local references (<see cref="ActorRefWithCell.Children"/>).
/// </summary>
/// <remarks>
/// <see cref="IInternalActorRef.IsTerminated"/> is obsolete for actors (which should watch instead); a leak check
/// samples the tree from outside it, which is what the property is for.
/// </remarks>
#pragma warning disable CS0618
public static class ActorTree
{
    /// <summary>Paths (without address) of <paramref name="root"/> and every live actor under it.</summary>
    public static IReadOnlyList<string> LivePaths(IActorRef root)
    {
        var paths = new List<string>();
        Walk(root, paths);
        return paths;
    }

    /// <summary>Paths of the live actors strictly under <paramref name="root"/>.</summary>
    public static IReadOnlyList<string> LiveDescendants(IActorRef root) => LivePaths(root).Skip(1).ToArray();

    /// <summary>The live actor at <paramref name="path"/> (relative to the user guardian, e.g. <c>/user/a/b</c>), or null.</summary>
    public static IActorRef? Find(ActorSystem system, string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0 || segments[0] != "user") return null;
        IActorRef current = ((ExtendedActorSystem)system).Guardian;
        foreach (var name in segments.Skip(1))
        {
            if (current is not ActorRefWithCell cell) return null;
            current = cell.GetSingleChild(name);
            if (current is null || current.IsNobody() || ((IInternalActorRef)current).IsTerminated) return null;
        }

        return current;
    }

    private static void Walk(IActorRef actor, List<string> paths)
    {
        if (actor is not IInternalActorRef { IsTerminated: false }) return;
        paths.Add(actor.Path.ToStringWithoutAddress());
        if (actor is ActorRefWithCell cell)
            foreach (var child in cell.Children) Walk(child, paths);
    }
}
#pragma warning restore CS0618
