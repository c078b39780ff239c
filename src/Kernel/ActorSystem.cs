using ActorHttp.Hocon;

namespace ActorHttp.Kernel;

/// <summary>
/// A hierarchy of actors sharing settings, a scheduler, an event stream, dead letters and a logger.
/// The tree is rooted at <c>/</c> with two guardians: <c>/user</c> (parent of everything created
/// with <see cref="ActorOf"/>) and <c>/system</c> (runtime actors, <see cref="SystemActorOf"/>).
/// <see cref="Terminate"/> stops <c>/user</c> (children first), then <c>/system</c>, then the root.
/// </summary>
public sealed class ActorSystem
{
    private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ActorCell _root;
    private readonly ActorCell _userGuardian;
    private readonly ActorCell _systemGuardian;
    private readonly ActorPath _tempPath;
    private readonly bool _ownsScheduler;
    private long _uid;
    private long _tempCounter;
    private volatile bool _terminating;

    private ActorSystem(string name, ActorSystemSetup setup, Config config, KernelSettings settings)
    {
        Name = name;
        Config = config;
        Settings = settings;
        Logger = setup.Logger ?? Serilog.Log.Logger;
        Log = new SerilogLoggingAdapter(Logger.ForContext("ActorSystem", name));
        EventStream = new EventStream();
        Dispatchers = new Dispatchers(settings);
        if (setup.Scheduler is { } scheduler) Scheduler = scheduler;
        else
        {
            Scheduler = CreateScheduler(settings);
            _ownsScheduler = true;
        }

        var rootPath = ActorPath.Root(name);
        _tempPath = rootPath / "temp";
        DeadLetterOffice = new DeadLetterActorRef(this, rootPath / "deadLetters");
        var bubble = new RootParentRef(this, rootPath / "bubble-walker");
        _root = new ActorCell(this, rootPath, Props.Create(static () => new RootGuardianActor()), Dispatchers.DefaultDispatcher, bubble);
        bubble.Root = _root;
        var guardian = Props.Create(static () => new GuardianActor());
        _userGuardian = ((LocalActorRef)_root.AttachChild(guardian, "user")).Cell;
        _systemGuardian = ((LocalActorRef)_root.AttachChild(guardian, "system")).Cell;
        _root.Start();
        if (settings.LogConfigOnStart) Log.Info("Actor system {Name} started with {Settings} from {Config}", name, settings, config.GetConfig(KernelSettings.Section).ToString());
    }

    /// <summary>The system's name (the host part of its paths).</summary>
    public string Name { get; }

    /// <summary>The configuration the system was created with: the overrides given over the kernel's reference file. Other components read their sections from it after adding their own reference (<c>WithFallback</c>).</summary>
    public Config Config { get; }

    /// <summary>The kernel's reference configuration (the embedded <c>hocon/kernel.conf</c>).</summary>
    public static Config ReferenceConfig => Reference.Value;

    // Parsed once per process: every test creates a system, and Config is immutable.
    private static readonly Lazy<Config> Reference = new(() => ConfigurationFactory.Reference(typeof(ActorSystem).Assembly));

    /// <summary>The kernel settings.</summary>
    public KernelSettings Settings { get; }

    /// <summary>The system's logger.</summary>
    public ILoggingAdapter Log { get; }

    /// <summary>The Serilog logger actors' loggers derive from.</summary>
    public Serilog.ILogger Logger { get; }

    /// <summary>The scheduler (replaceable through <see cref="ActorSystemSetup.Scheduler"/> or configuration).</summary>
    public IScheduler Scheduler { get; }

    /// <summary>The publish/subscribe bus.</summary>
    public EventStream EventStream { get; }

    /// <summary>The dead-letter office: messages told to it are published as <see cref="DeadLetter"/>.</summary>
    public IActorRef DeadLetters => DeadLetterOffice;

    /// <summary>The dispatchers.</summary>
    public Dispatchers Dispatchers { get; }

    /// <summary>Completes when the system has fully stopped.</summary>
    public Task WhenTerminated => _terminated.Task;

    /// <summary>The <c>/user</c> guardian.</summary>
    public IActorRef UserGuardian => _userGuardian.Self;

    internal DeadLetterActorRef DeadLetterOffice { get; }

    internal bool IsTerminating => _terminating;

    internal ActorCell RootCell => _root;

    /// <summary>Creates a system configured by <paramref name="config"/> over the reference configuration.</summary>
    public static ActorSystem Create(string name, Config? config = null) => Create(name, new ActorSystemSetup { Config = config });

    /// <summary>Creates a system from a setup (configuration, and settings, logger or scheduler given in code).</summary>
    public static ActorSystem Create(string name, ActorSystemSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ValidateName(name);
        var config = (setup.Config ?? Config.Empty).WithFallback(ReferenceConfig).Resolve();
        return new ActorSystem(name, setup, config, setup.Settings ?? KernelSettings.FromConfig(config));
    }

    /// <summary>Creates a top-level actor under <c>/user</c>.</summary>
    public IActorRef ActorOf(Props props, string? name = null) => _userGuardian.AttachChild(props, name);

    /// <summary>Creates a runtime actor under <c>/system</c>.</summary>
    public IActorRef SystemActorOf(Props props, string? name = null) => _systemGuardian.AttachChild(props, name);

    /// <summary>Selects the actor at an absolute path (<c>/user/a/b</c>); resolved when used.</summary>
    public ActorSelection ActorSelection(string path) => new(this, null, path);

    /// <summary>Stops <paramref name="actor"/> asynchronously (after the message it is processing).</summary>
    public void Stop(IActorRef actor)
    {
        if (actor is InternalActorRef r) r.SendSystemMessage(new Kernel.Terminate());
    }

    /// <summary>Stops all actors (user ones first) and then the system; returns <see cref="WhenTerminated"/>.</summary>
    public Task Terminate()
    {
        _terminating = true;
        _userGuardian.SendSystemMessage(new Kernel.Terminate());
        return WhenTerminated;
    }

    /// <summary>The paths (without address, e.g. <c>/user/a</c>) of all live actors, optionally only those starting with <paramref name="pathPrefix"/>.</summary>
    public IReadOnlyList<string> LiveActorPaths(string? pathPrefix = null)
    {
        var list = new List<string>();
        _root.CollectLive(list, pathPrefix);
        return list;
    }

    /// <summary>How many live actors have a path starting with <paramref name="pathPrefix"/>.</summary>
    public int LiveActorCount(string pathPrefix) => LiveActorPaths(pathPrefix).Count;

    /// <inheritdoc />
    public override string ToString() => $"{ActorPath.Scheme}://{Name}";

    internal long NextUid() => Interlocked.Increment(ref _uid);

    internal ActorPath NewTempPath() => _tempPath.Child("$" + Interlocked.Increment(ref _tempCounter), NextUid());

    internal void OnRootTerminated()
    {
        _terminating = true;
        if (_ownsScheduler && Scheduler is IDisposable d) d.Dispose();
        _terminated.TrySetResult();
    }

    private static IScheduler CreateScheduler(KernelSettings settings)
    {
        var implementation = settings.SchedulerImplementation;
        if (implementation == "default") return new DefaultScheduler(settings.SchedulerTick);
        var type = Type.GetType(implementation, throwOnError: true)!;
        return Activator.CreateInstance(type) as IScheduler
               ?? throw new ArgumentException($"Scheduler type {type} does not implement {nameof(IScheduler)}.");
    }

    private static void ValidateName(string name)
    {
        if (string.IsNullOrEmpty(name) || !char.IsAsciiLetterOrDigit(name[0]) || name.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_'))
            throw new ArgumentException($"Invalid actor system name '{name}': use letters, digits, '-' and '_', starting with a letter or digit.", nameof(name));
    }
}
