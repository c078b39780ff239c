namespace ActorHttp.Kernel;

/// <summary>
/// An actor whose behaviour is declared in its constructor with <c>Receive&lt;T&gt;(...)</c> calls,
/// tried in declaration order. <see cref="Become(Action)"/> declares a new behaviour the same way.
/// <c>ReceiveAsync</c> handlers suspend the mailbox until their task completes; after each
/// <c>await</c> they run on the actor again with <c>Context</c>, <c>Self</c> and <c>Sender</c> valid.
/// </summary>
public abstract class ReceiveActor : ActorBase
{
    private List<ReceiveHandler>? _building = new();
    private MatchBehavior? _initial;

    /// <inheritdoc />
    protected sealed override bool Receive(object message) => _initial is not null && _initial.Handle(message);

    internal override void CompleteConstruction()
    {
        _initial = new MatchBehavior(_building ?? new List<ReceiveHandler>());
        _building = null;
    }

    /// <summary>Handles messages of type <typeparamref name="T"/> (that pass <paramref name="shouldHandle"/>, when given).</summary>
    protected void Receive<T>(Action<T> handler, Predicate<T>? shouldHandle = null) =>
        Add(new ActionReceiveHandler<T>(handler ?? throw new ArgumentNullException(nameof(handler)), shouldHandle));

    /// <summary>Handles messages of type <typeparamref name="T"/> that pass <paramref name="shouldHandle"/>.</summary>
    protected void Receive<T>(Predicate<T> shouldHandle, Action<T> handler) =>
        Add(new ActionReceiveHandler<T>(handler ?? throw new ArgumentNullException(nameof(handler)), shouldHandle));

    /// <summary>Offers messages of type <typeparamref name="T"/> to <paramref name="handler"/>, which returns whether it handled them.</summary>
    protected void Receive<T>(Func<T, bool> handler) =>
        Add(new FuncReceiveHandler<T>(handler ?? throw new ArgumentNullException(nameof(handler))));

    /// <summary>Handles every message not handled by an earlier registration.</summary>
    protected void ReceiveAny(Action<object> handler) => Receive<object>(handler);

    /// <summary>Handles messages of type <typeparamref name="T"/> asynchronously: no other user message is processed until the task completes.</summary>
    protected void ReceiveAsync<T>(Func<T, Task> handler, Predicate<T>? shouldHandle = null) =>
        Add(new AsyncReceiveHandler<T>(Cell, handler ?? throw new ArgumentNullException(nameof(handler)), shouldHandle));

    /// <summary>Handles messages of type <typeparamref name="T"/> that pass <paramref name="shouldHandle"/>, asynchronously.</summary>
    protected void ReceiveAsync<T>(Predicate<T> shouldHandle, Func<T, Task> handler) => ReceiveAsync(handler, shouldHandle);

    /// <summary>Handles every remaining message asynchronously.</summary>
    protected void ReceiveAnyAsync(Func<object, Task> handler) => ReceiveAsync<object>(handler);

    /// <summary>Replaces the behaviour with the one <paramref name="configure"/> declares by calling <c>Receive</c>.</summary>
    protected void Become(Action configure) => Context.Become(Build(configure));

    /// <summary>Pushes the behaviour <paramref name="configure"/> declares; <see cref="IActorContext.UnbecomeStacked"/> pops it.</summary>
    protected void BecomeStacked(Action configure) => Context.BecomeStacked(Build(configure));

    private Receive Build(Action configure)
    {
        var saved = _building;
        _building = new List<ReceiveHandler>();
        try
        {
            configure();
            return new MatchBehavior(_building).Handle;
        }
        finally
        {
            _building = saved;
        }
    }

    private void Add(ReceiveHandler handler)
    {
        if (_building is null)
            throw new InvalidOperationException("Receive may only be called in the constructor or inside Become(Action).");
        _building.Add(handler);
    }
}
