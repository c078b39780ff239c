namespace ActorHttp.Kernel;

/// <summary>
/// The recipe for an actor: a factory for its instances (called again on every restart), and
/// optionally the supervisor strategy it applies to its children and the dispatcher it runs on.
/// A plain delegate rather than an expression tree, so spawning costs one delegate call and no reflection.
/// </summary>
public sealed record Props
{
    private Props(Type actorType, Func<ActorBase> factory)
    {
        ActorType = actorType;
        Factory = factory;
    }

    /// <summary>The type of actor the factory creates.</summary>
    public Type ActorType { get; }

    /// <summary>Creates a fresh instance (called by the kernel inside the new actor's context).</summary>
    public Func<ActorBase> Factory { get; }

    /// <summary>When set, overrides the actor's own <c>SupervisorStrategy()</c> for its children.</summary>
    public SupervisorStrategy? SupervisorStrategy { get; init; }

    /// <summary>The dispatcher id (<see cref="Dispatchers"/>); <c>null</c> means the default.</summary>
    public string? Dispatcher { get; init; }

    /// <summary>Props from a factory, e.g. <c>Props.Create(() =&gt; new Conn(socket))</c>.</summary>
    public static Props Create<TActor>(Func<TActor> factory) where TActor : ActorBase =>
        new(typeof(TActor), factory);

    /// <summary>Props for an actor with a parameterless constructor.</summary>
    public static Props Create<TActor>() where TActor : ActorBase, new() =>
        new(typeof(TActor), static () => new TActor());

    /// <summary>Returns a copy that supervises children with <paramref name="strategy"/>.</summary>
    public Props WithSupervisorStrategy(SupervisorStrategy strategy) => this with { SupervisorStrategy = strategy };

    /// <summary>Returns a copy that runs on the dispatcher <paramref name="dispatcherId"/>.</summary>
    public Props WithDispatcher(string dispatcherId) => this with { Dispatcher = dispatcherId };
}
