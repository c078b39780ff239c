using Akka.Actor;

namespace ActorHttp.Faults;

/// <summary>
/// Live actors under a reference, walked through the public children of local references
/// (<see cref="ActorRefWithCell.Children"/>), as tests/Actors.Tests/Support/ActorTree.cs does for the leak checks.
/// </summary>
/// <remarks><see cref="IInternalActorRef.IsTerminated"/> is obsolete for actors, which should watch; a census taken
/// from outside the tree is what it is for.</remarks>
#pragma warning disable CS0618
public static class LiveActors
{
    /// <summary>Live actors strictly under <paramref name="root"/>.</summary>
    public static int Descendants(IActorRef root) => Math.Max(0, Count(root) - 1);

    /// <summary>
    /// Live connection actors under a server or transport actor: the children of its listener (<c>c&lt;N&gt;</c>) or of
    /// its pools (<c>conn-&lt;N&gt;</c>), with their readers and writers not counted.
    /// </summary>
    public static int Connections(IActorRef root)
    {
        var n = 0;
        Visit(root, 0, ref n);
        return n;

        static void Visit(IActorRef actor, int depth, ref int n)
        {
            if (actor is not ActorRefWithCell { IsTerminated: false } cell) return;
            foreach (var child in cell.Children)
            {
                var name = child.Path.Name;
                if (child is IInternalActorRef { IsTerminated: true }) continue;
                if ((name.StartsWith("conn-", StringComparison.Ordinal) || (name.Length > 1 && name[0] == 'c' && char.IsDigit(name[1])))) n++;
                else if (depth < 2) Visit(child, depth + 1, ref n);
            }
        }
    }

    private static int Count(IActorRef actor)
    {
        if (actor is not IInternalActorRef { IsTerminated: false }) return 0;
        var n = 1;
        if (actor is ActorRefWithCell cell)
            foreach (var child in cell.Children) n += Count(child);
        return n;
    }
}
#pragma warning restore CS0618
