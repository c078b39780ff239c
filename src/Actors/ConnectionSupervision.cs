using Akka.Actor;
using Akka.Event;

namespace ActorHttp;

/// <summary>
/// The supervisor strategy of connection actors' parents: a connection is never restarted or resumed (a half-read
/// byte stream cannot be picked up again), only stopped, or its failure escalated. A strategy the user set on a
/// server's or transport's props (<see cref="Props.WithSupervisorStrategy"/>) is asked first, so the user's decider
/// sees every connection failure.
/// </summary>
/// <remarks>
/// The strategies here also tell the parent <see cref="ChildTerminated"/> whenever one of its children stops, for
/// whatever reason (Akka calls <see cref="SupervisorStrategy.HandleChildTerminated"/> for every child). Parents of
/// connections use that instead of death watch: watching costs a dictionary in the watcher and a set in the watched
/// (about 400 B per connection, kept while it is idle), and a parent is told of its children's end anyway.
/// </remarks>
internal static class ConnectionSupervision
{
    /// <summary>Stop a failed child; report every child's end to its parent. Shared: it keeps no state of its own.</summary>
    public static readonly SupervisorStrategy Stopping = new Reporting(SupervisorStrategy.StoppingStrategy.Decider);

    /// <summary>Told by a reporting strategy to the parent: <paramref name="Child"/> has stopped (Akka's <c>Terminated</c>, without a watch).</summary>
    public sealed record ChildTerminated(IActorRef Child) : IDeadLetterSuppression;

    /// <summary>
    /// <paramref name="props"/> carrying the user's strategy <paramref name="user"/> down to an intermediate parent
    /// (a transport's host pools), whose own <c>SupervisorStrategy()</c> then applies <see cref="For"/> to it.
    /// </summary>
    public static Props WithUserStrategy(this Props props, SupervisorStrategy? user) =>
        user is null ? props : props.WithSupervisorStrategy(user);

    /// <summary>The strategy for connections under a parent whose props carried <paramref name="user"/> (null: none).</summary>
    public static SupervisorStrategy For(SupervisorStrategy? user) =>
        user is null
            ? Stopping
            : new Reporting(Decider.From(cause => user.Decider.Decide(cause) == Directive.Escalate ? Directive.Escalate : Directive.Stop));

    private sealed class Reporting(IDecider decider) : OneForOneStrategy(decider)
    {
        public override void HandleChildTerminated(IActorContext actorContext, IActorRef child, IEnumerable<IInternalActorRef> children)
        {
            // A parent that is stopping itself (a connection, whose reader and writer stop with it) would get the
            // report as a dead letter, one per connection closed: it is told nothing. (ActorCell.ChildrenContainer is
            // public; its IsTerminating is what Akka's own cell asks.)
            if (actorContext is ActorCell { ChildrenContainer.IsTerminating: true }) return;
            actorContext.Self.Tell(new ChildTerminated(child), ActorRefs.NoSender);
        }
    }
}
