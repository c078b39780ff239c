namespace ActorHttp.Kernel;

/// <summary>Well-known references: <see cref="Nobody"/> (a reference that accepts and drops everything) and <see cref="NoSender"/>.</summary>
public static class ActorRefs
{
    /// <summary>A reference to no actor: returned where a lookup finds nothing; messages to it are dropped.</summary>
    public static readonly IActorRef Nobody = new NobodyActorRef();

    /// <summary>
    /// "No sender", as in Akka.NET this is <c>null</c>; the receiver then sees the system's dead letters as its <c>Sender</c>.
    /// </summary>
    public static readonly IActorRef? NoSender = null;
}
