namespace ActorHttp.Kernel;

/// <summary>
/// The actor's view of itself and its surroundings while it processes a message: its references,
/// children, watches, behaviour stack and receive timeout. Only valid on the actor's own turn
/// (including after an <c>await</c> inside <c>ReceiveAsync</c>).
/// </summary>
public interface IActorContext
{
    /// <summary>This actor.</summary>
    IActorRef Self { get; }

    /// <summary>The sender of the current message (the dead-letters reference when there is none).</summary>
    IActorRef Sender { get; }

    /// <summary>The supervisor.</summary>
    IActorRef Parent { get; }

    /// <summary>The props this actor was created from.</summary>
    Props Props { get; }

    /// <summary>The system the actor belongs to.</summary>
    ActorSystem System { get; }

    /// <summary>The dispatcher the actor runs on.</summary>
    MessageDispatcher Dispatcher { get; }

    /// <summary>The current children (a snapshot), including ones that are stopping.</summary>
    IEnumerable<IActorRef> Children { get; }

    /// <summary>The child called <paramref name="name"/>, or <see cref="ActorRefs.Nobody"/>.</summary>
    IActorRef Child(string name);

    /// <summary>Selects actors by a path relative to this actor (<c>child</c>, <c>../sibling</c>) or absolute (<c>/user/a</c>).</summary>
    ActorSelection ActorSelection(string path);

    /// <summary>Creates a child. <paramref name="name"/> must be unique among the children; null picks <c>$a</c>, <c>$b</c>, ...</summary>
    IActorRef ActorOf(Props props, string? name = null);

    /// <summary>Stops a child or this actor (asynchronously: the current message is finished first).</summary>
    void Stop(IActorRef child);

    /// <summary>Watches <paramref name="subject"/>: exactly one <see cref="Terminated"/> arrives when it stops (at once if it already has).</summary>
    IActorRef Watch(IActorRef subject);

    /// <summary>Like <see cref="Watch"/> but delivers <paramref name="message"/> instead of <see cref="Terminated"/>.</summary>
    IActorRef WatchWith(IActorRef subject, object message);

    /// <summary>Stops watching; a <see cref="Terminated"/> not yet processed is dropped.</summary>
    IActorRef Unwatch(IActorRef subject);

    /// <summary>Replaces the current behaviour.</summary>
    void Become(Receive receive);

    /// <summary>Pushes a behaviour; <see cref="UnbecomeStacked"/> returns to the previous one.</summary>
    void BecomeStacked(Receive receive);

    /// <summary>Pops the behaviour pushed last (never the initial one).</summary>
    void UnbecomeStacked();

    /// <summary>Delivers <see cref="Kernel.ReceiveTimeout"/> after this long without messages; null or zero turns it off.</summary>
    void SetReceiveTimeout(TimeSpan? timeout);

    /// <summary>The current receive timeout, if any.</summary>
    TimeSpan? ReceiveTimeout { get; }
}
