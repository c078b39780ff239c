namespace ActorHttp.Kernel;

/// <summary>
/// The recipe for an actor: a factory for its instances (called again on every restart), and
/// optionally the supervisor strategy it applies to its children and the dispatcher it runs on.
/// A plain delegate rather than an expression tree, so spawning costs one delegate call and no reflection.
/// </summary>
/// <remarks>
/// An actor keeps its props for restarts, so a closure in them lives as long as the actor: a
/// delegate (64 B) and its captured variables. Actors made in numbers (one per connection) use
/// <see cref="Create{TActor, TState}"/> with a static lambda, whose delegate is shared.
/// </remarks>
public sealed record Props
{
    // Func<ActorBase>; or, with _invoke, a Func<TState, TActor> called with _state.
    private readonly Delegate _factory;
    private readonly object? _state;
    private readonly Func<Delegate, object?, ActorBase>? _invoke;

    private Props(Delegate factory, object? state = null, Func<Delegate, object?, ActorBase>? invoke = null)
    {
        _factory = factory;
        _state = state;
        _invoke = invoke;
    }

    /// <summary>The type of actor the factory creates (its delegate's result type: not kept, every actor keeps its props).</summary>
    public Type ActorType => _factory.GetType().GenericTypeArguments[^1];

    /// <summary>Creates a fresh instance (called by the kernel inside the new actor's context).</summary>
    public Func<ActorBase> Factory => _invoke is null ? (Func<ActorBase>)_factory : NewInstance;

    /// <summary>When set, overrides the actor's own <c>SupervisorStrategy()</c> for its children.</summary>
    public SupervisorStrategy? SupervisorStrategy { get; init; }

    /// <summary>The dispatcher id (<see cref="Dispatchers"/>); <c>null</c> means the default.</summary>
    public string? Dispatcher { get; init; }

    /// <summary>Props from a factory, e.g. <c>Props.Create(() =&gt; new Conn(socket))</c>.</summary>
    public static Props Create<TActor>(Func<TActor> factory) where TActor : ActorBase =>
        new(factory);

    /// <summary>
    /// Props from a factory of <paramref name="state"/>, e.g.
    /// <c>Props.Create(static (Socket s) =&gt; new Conn(s), socket)</c>: with a static lambda the
    /// props hold no closure, only the state.
    /// </summary>
    public static Props Create<TActor, TState>(Func<TState, TActor> factory, TState state) where TActor : ActorBase =>
        new(factory, state, Invoker<TState, TActor>.Instance);

    /// <summary>Props for an actor with a parameterless constructor.</summary>
    public static Props Create<TActor>() where TActor : ActorBase, new() =>
        new(static () => new TActor());

    /// <summary>Returns a copy that supervises children with <paramref name="strategy"/>.</summary>
    public Props WithSupervisorStrategy(SupervisorStrategy strategy) => this with { SupervisorStrategy = strategy };

    /// <summary>Returns a copy that runs on the dispatcher <paramref name="dispatcherId"/>.</summary>
    public Props WithDispatcher(string dispatcherId) => this with { Dispatcher = dispatcherId };

    internal ActorBase NewInstance() => _invoke is null ? ((Func<ActorBase>)_factory)() : _invoke(_factory, _state);

    // One shared invoker per (state, actor) type pair.
    private static class Invoker<TState, TActor> where TActor : ActorBase
    {
        public static readonly Func<Delegate, object?, ActorBase> Instance = static (factory, state) => ((Func<TState, TActor>)factory)((TState)state!);
    }
}
