using Akka.Actor;

namespace ActorHttp;

/// <summary>
/// The supervisor strategy of connection actors' parents: a connection is never restarted or resumed (a half-read
/// byte stream cannot be picked up again), only stopped, or its failure escalated. A strategy the user set on a
/// server's or transport's props (<see cref="Props.WithSupervisorStrategy"/>) is asked first, so the user's decider
/// sees every connection failure.
/// </summary>
internal static class ConnectionSupervision
{
    /// <summary>
    /// <paramref name="props"/> carrying the user's strategy <paramref name="user"/> down to an intermediate parent
    /// (a transport's host pools), whose own <c>SupervisorStrategy()</c> then applies <see cref="For"/> to it.
    /// </summary>
    public static Props WithUserStrategy(this Props props, SupervisorStrategy? user) =>
        user is null ? props : props.WithSupervisorStrategy(user);

    /// <summary>The strategy for connections under a parent whose props carried <paramref name="user"/> (null: none).</summary>
    public static SupervisorStrategy For(SupervisorStrategy? user)
    {
        if (user is null) return SupervisorStrategy.StoppingStrategy;
        return new OneForOneStrategy(cause => user.Decider.Decide(cause) == Directive.Escalate ? Directive.Escalate : Directive.Stop);
    }
}
