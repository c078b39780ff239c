namespace ActorHttp.Kernel;

/// <summary>The dispatchers a system offers, by id (<see cref="Props.WithDispatcher"/>).</summary>
public sealed class Dispatchers
{
    /// <summary>Id of the default thread-pool dispatcher.</summary>
    public const string DefaultDispatcherId = "default-dispatcher";

    /// <summary>Id of the calling-thread dispatcher (deterministic tests).</summary>
    public const string CallingThreadDispatcherId = "calling-thread-dispatcher";

    private readonly MessageDispatcher _default;
    private readonly MessageDispatcher _callingThread = new CallingThreadDispatcher();

    internal Dispatchers(KernelSettings settings) => _default = new ThreadPoolDispatcher(settings.RunNextLimit);

    /// <summary>The default dispatcher.</summary>
    public MessageDispatcher DefaultDispatcher => _default;

    /// <summary>Looks a dispatcher up by id; <c>null</c> means the default.</summary>
    public MessageDispatcher Lookup(string? id) => id switch
    {
        null or DefaultDispatcherId => _default,
        CallingThreadDispatcherId => _callingThread,
        _ => throw new ArgumentException($"Unknown dispatcher '{id}' (known: {DefaultDispatcherId}, {CallingThreadDispatcherId})", nameof(id)),
    };
}
