using System.Runtime.ExceptionServices;

namespace ActorHttp.Kernel;

/// <summary>
/// The runtime half of an actor: its instance, behaviour stack, children, watches, timers and
/// lifecycle. Everything here is owned by the actor's turn (one thread at a time, the mailbox
/// guarantees it) except where noted: the children table is locked because guardians create
/// children from any thread and diagnostics read it; <see cref="IsTerminated"/> is volatile.
/// </summary>
internal sealed partial class ActorCell : IActorContext
{
    // Bytes, like ChildrenState: with _failed they pack into one word of the cell.
    private enum LifeState : byte
    {
        Alive,
        Terminating,
        Terminated,
    }

    // What the cell waits for while children are stopping.
    private enum ChildrenState : byte
    {
        Normal,
        Recreating,
        Terminating,
    }

    [ThreadStatic] private static ActorCell? _current;
    [ThreadStatic] private static ActorCell? _constructing;

    private readonly ActorSystem _system;
    private readonly InternalActorRef _parent;
    private readonly Props _props;

    // Guarded by lock(ChildrenLock). A child being stopped stays in the table, marked
    // ChildRestartStats.IsDying, until it has terminated.
    private ChildTable _children;
    private int _dyingCount;
    private ChildrenState _childrenState;

    private volatile LifeState _life;
    private ActorBase? _actor;
    // Null: the instance's own Receive (the initial behaviour); set by Become.
    private Receive? _behavior;
    private Envelope _currentEnvelope;

    // Failure and suspension.
    private int _suspendCount;
    private bool _failed;


    // Death watch: whom this actor watches (with a custom message or none) and who watches it.
    private ActorRefMap _watching;
    private ActorRefSet _watchedBy;


    // Made on first use; see Extras. The actor's timers are in ActorCell.Timers.cs.
    private Extras? _extras;

    public ActorCell(ActorSystem system, ActorPath path, Props props, MessageDispatcher dispatcher, InternalActorRef parent)
    {
        _system = system;
        _props = props;
        _parent = parent;
        Self = new LocalActorRef(this, path);
        Mailbox = new Mailbox(this, dispatcher);
    }

    /// <summary>The cell whose turn is running on this thread.</summary>
    public static ActorCell? Current => _current;

    /// <summary>The cell whose actor instance is being constructed on this thread.</summary>
    public static ActorCell? Constructing => _constructing;

    public LocalActorRef Self { get; }

    public Mailbox Mailbox { get; }

    public bool IsTerminated => _life == LifeState.Terminated;

    public Envelope CurrentEnvelope => _currentEnvelope;

    public ActorBase? Actor => _actor;

    public ActorSystem System => _system;

    IActorRef IActorContext.Self => Self;

    public IActorRef Sender => _currentEnvelope.Sender ?? _system.DeadLetters;

    public IActorRef Parent => _parent;

    public Props Props => _props;

    public MessageDispatcher Dispatcher => Mailbox.Dispatcher;

    public TimeSpan? ReceiveTimeout => _extras?.ReceiveTimeout?.Timeout;

    /// <summary>User messages run only on a created, live, unsuspended actor that awaits nothing and no stopping children.</summary>
    public bool CanProcessUserMessages =>
        _actor is not null && !_failed && _suspendCount == 0 && _extras?.ActiveAsync is null && _life == LifeState.Alive && _childrenState == ChildrenState.Normal;

    public static ActorCell? EnterTurn(ActorCell cell)
    {
        var previous = _current;
        _current = cell;
        return previous;
    }

    public static void LeaveTurn(ActorCell? previous) => _current = previous;

    public void Start() => Mailbox.PostSystem(new Create());

    public void SendSystemMessage(SystemMessage message) => Mailbox.PostSystem(message);

    // ------------------------------------------------------------------ children

    public IEnumerable<IActorRef> Children
    {
        get
        {
            lock (ChildrenLock) return _children.Refs(alsoDying: true);
        }
    }

    public IActorRef Child(string name)
    {
        lock (ChildrenLock) return _children.TryGetChild(name, out var child) ? child : ActorRefs.Nobody;
    }

    public IActorRef ActorOf(Props props, string? name = null) => AttachChild(props, name);

    public ActorSelection ActorSelection(string path) => new(_system, this, path);

    /// <summary>Creates a child; thread-safe because guardians are asked from outside their turn.</summary>
    public IActorRef AttachChild(Props props, string? name)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (name is null) name = "$" + EncodeName(Interlocked.Increment(ref More.NextChildName) - 1);
        else ActorNames.Validate(name);

        ActorCell child;
        lock (ChildrenLock)
        {
            if (_life != LifeState.Alive || _childrenState == ChildrenState.Terminating)
                throw new InvalidOperationException($"Cannot create child '{name}': {Self.Path} is stopping.");
            if (_children.ContainsKey(name))
                throw new InvalidActorNameException($"Actor name '{name}' is not unique under {Self.Path}.");
            var dispatcher = _system.Dispatchers.Lookup(props.Dispatcher);
            child = new ActorCell(_system, Self.Path.Child(name, _system.NextUid()), props, dispatcher, Self);
            _children.Add(child.Self);
        }
        child.Start();
        return child.Self;
    }

    // Akka's base-64 style child names: $a, $b, ..., $~, $ab, ...
    private static string EncodeName(long n)
    {
        const string chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+~";
        Span<char> buffer = stackalloc char[12];
        var i = 0;
        do
        {
            buffer[i++] = chars[(int)(n & 63)];
            n >>= 6;
        }
        while (n != 0);
        return new string(buffer[..i]);
    }

    // The stats of this child (made on first need: it failed or is being stopped).
    private bool TryGetChild(IActorRef child, out ChildRestartStats stats)
    {
        lock (ChildrenLock)
        {
            if (child.Path.Parent is { } p && p.Equals(Self.Path) && _children.TryGetChild(child.Path.Name, out var c) && c.Equals(child))
            {
                stats = _children.StatsOf(child.Path.Name)!;
                return true;
            }
        }
        stats = null!;
        return false;
    }

    /// <summary>Walks the live part of the tree below this cell (diagnostics).</summary>
    public void CollectLive(List<string> into, string? prefix)
    {
        if (IsTerminated) return;
        var path = Self.Path.ToStringWithoutAddress();
        if (prefix is null || path.StartsWith(prefix, StringComparison.Ordinal)) into.Add(path);
        IActorRef[] children;
        lock (ChildrenLock) children = _children.Refs(alsoDying: true);
        foreach (var c in children)
            if (c is LocalActorRef l) l.Cell.CollectLive(into, prefix);
    }

    // ------------------------------------------------------------------ user messages

    public void Invoke(in Envelope envelope)
    {
        _currentEnvelope = envelope;
        var message = envelope.Message;
        try
        {
            if (message is IAutoReceivedMessage) AutoReceive(message);
            else ReceiveMessage(message);

            if (_extras?.ReceiveTimeout is { Timeout: not null } rt && message is not INotInfluenceReceiveTimeout)
                rt.LastActivity = _system.Scheduler.MonotonicClock;
        }
        catch (Exception e)
        {
            HandleInvokeFailure(e);
        }
        finally
        {
            _currentEnvelope = default;
        }
    }

    private void ReceiveMessage(object message)
    {
        var actor = _actor!;
        if (!(_behavior is { } behavior ? behavior(message) : actor.ReceiveInternal(message))) actor.UnhandledInternal(message);
    }

    private void AutoReceive(object message)
    {
        switch (message)
        {
            case TimerTick tick:
                if (TryTakeTimer(tick, out var timerMessage)) ReceiveMessage(timerMessage);
                break;
            case WatchedTerminated t:
                if (_extras is { } extras && extras.TerminatedQueued.Remove(t.Actor)) ReceiveMessage(t.Message);
                break;
            case ReceiveTimeoutTick rt:
                OnReceiveTimeoutTick(rt);
                break;
            case PoisonPill:
                Stop(Self);
                break;
            case Kill:
                throw new ActorKilledException("Kill");
            case Identify identify:
                Sender.Tell(new ActorIdentity(identify.MessageId, Self), Self);
                break;
        }
    }

    // ------------------------------------------------------------------ system messages

    public void SystemInvoke(SystemMessage message)
    {
        try
        {
            switch (message)
            {
                case Create:
                    CreateInstance();
                    break;
                case Watch w:
                    AddWatcher(w);
                    break;
                case Unwatch u:
                    if (u.Watchee.Equals(Self)) _watchedBy.Remove(u.Watcher);
                    break;
                case DeathWatchNotification d:
                    WatchedActorTerminated(d);
                    break;
                case Failed f:
                    HandleFailed(f);
                    break;
                case RunContinuation c:
                    RunContinuation(c);
                    break;
                case AsyncTaskCompleted a:
                    AsyncCompleted(a);
                    break;
                case Suspend:
                    FaultSuspend(skip: null);
                    break;
                case Resume r:
                    FaultResume(r.CausedByFailure);
                    break;
                case Recreate r:
                    FaultRecreate(r.Cause);
                    break;
                case Terminate:
                    TerminateSelf();
                    break;
            }
        }
        catch (Exception e)
        {
            HandleInvokeFailure(e);
        }
    }

    /// <summary>A system message that reached a dead actor: answer watches, free continuations, drop the rest.</summary>
    public void SystemInvokeAfterDeath(SystemMessage message)
    {
        switch (message)
        {
            case Watch w when w.Watchee.Equals(Self) && !w.Watcher.Equals(Self):
                ((InternalActorRef)w.Watcher).SendSystemMessage(new DeathWatchNotification(Self, ExistenceConfirmed: true, AddressTerminated: false));
                break;
            case RunContinuation c:
                ActorSynchronizationContext.RunDetached(c.Callback, c.State);
                break;
        }
    }

    public void DeliverDeadLetter(in Envelope envelope) =>
        _system.DeadLetterOffice.Deliver(envelope.Message, envelope.Sender, Self);

    // ------------------------------------------------------------------ lifecycle

    private void CreateInstance()
    {
        if (_life != LifeState.Alive) return;
        try
        {
            NewActor();
            _actor!.AroundPreStart();
        }
        catch (Exception e)
        {
            _actor = null;
            HandleInvokeFailure(new ActorInitializationException(Self, $"Exception while creating {Self.Path}: {e.Message}", e));
        }
    }

    private void NewActor()
    {
        _actor = null;
        _behavior = null;
        _extras?.BehaviorStack = null;
        _extras?.Strategy = null;
        _extras?.ActiveAsync = null;
        _extras?.AsyncContext = null;

        var previous = _constructing;
        _constructing = this;
        ActorBase instance;
        try
        {
            instance = _props.NewInstance();
        }
        finally
        {
            _constructing = previous;
        }
        if (instance.Cell != this)
            throw new InvalidOperationException($"The factory of {Self.Path} returned an actor created elsewhere; create actors only inside Props factories.");

        instance.CompleteConstruction();
        _behavior = null;
        _actor = instance;
        // The previous incarnation's timers were cancelled (ClearIncarnationState); its queued ticks are in no list now.
        _timers = null;
        if (instance is IWithTimers withTimers) withTimers.Timers = this;
        _extras?.Stash = null;
        if (instance is IWithUnboundedStash withStash) withStash.Stash = More.Stash = new UnboundedStash(this);
    }

    private void TerminateSelf()
    {
        if (_life != LifeState.Alive) return;
        ChildRestartStats[] toStop;
        lock (ChildrenLock)
        {
            _life = LifeState.Terminating;
            toStop = ChildStats(alsoDying: true);
            foreach (var c in toStop) MarkDying(c);
            _childrenState = ChildrenState.Terminating;
        }
        ClearIncarnationState();
        foreach (var c in toStop) ((InternalActorRef)c.Child).SendSystemMessage(new Terminate());
        if (toStop.Length == 0) FinishTerminate();
    }

    private void FinishTerminate()
    {
        try
        {
            _actor?.AroundPostStop();
        }
        catch (Exception e)
        {
            _system.Log.Error(e, "PostStop of {Actor} failed", Self.Path.ToString());
        }

        // Stashed messages are put back so that closing the mailbox reports them as dead letters.
        _extras?.Stash?.UnstashAll();
        _life = LifeState.Terminated;
        Mailbox.Close();

        var parentWatches = false;
        foreach (var watcher in _watchedBy.ToArray())
        {
            if (watcher.Equals(_parent)) parentWatches = true;
            ((InternalActorRef)watcher).SendSystemMessage(new DeathWatchNotification(Self, ExistenceConfirmed: true, AddressTerminated: false));
        }
        _watchedBy.Clear();
        if (!parentWatches) _parent.SendSystemMessage(new DeathWatchNotification(Self, ExistenceConfirmed: true, AddressTerminated: false));

        foreach (var watchee in _watching.Keys()) ((InternalActorRef)watchee).SendSystemMessage(new Unwatch(watchee, Self));
        _watching.Clear();
        _extras?.TerminatedQueued.Clear();
        _system.EventStream.Unsubscribe(Self);
        _actor = null;
        _behavior = null;
        _extras?.BehaviorStack = null;
    }

    /// <summary>Timers, receive timeout and the awaited async handler belong to one incarnation.</summary>
    private void ClearIncarnationState()
    {
        CancelAllTimers();
        if (_extras?.ReceiveTimeout is { } rt)
        {
            rt.Task?.Cancel();
            rt.Task = null;
            rt.Timeout = null;
            rt.Generation++;
        }
        _extras?.ActiveAsync = null;
    }

    // ------------------------------------------------------------------ failure and supervision

    private void HandleInvokeFailure(Exception cause, IActorRef? skipChild = null)
    {
        if (_life != LifeState.Alive)
        {
            _system.Log.Error(cause, "Actor {Actor} failed while stopping", Self.Path.ToString());
            return;
        }
        if (_failed) return;
        _failed = true;
        More.FailedMessage = _currentEnvelope.Message;
        More.EscalatedFrom = skipChild;
        _extras?.ActiveAsync = null;
        FaultSuspend(skipChild);
        _parent.SendSystemMessage(new Failed(Self, cause, Self.Path.Uid));
    }

    private void FaultSuspend(IActorRef? skip)
    {
        _suspendCount++;
        foreach (var child in Children)
            if (!child.Equals(skip)) ((InternalActorRef)child).SendSystemMessage(new Suspend());
    }

    private void FaultResume(Exception? causedByFailure)
    {
        if (_life != LifeState.Alive) return;
        if (_suspendCount > 0) _suspendCount--;
        var escalatedFrom = _extras?.EscalatedFrom;
        if (causedByFailure is not null)
        {
            _failed = false;
            _extras?.FailedMessage = null;
            _extras?.EscalatedFrom = null;
        }
        foreach (var child in Children)
        {
            var cause = causedByFailure is not null && child.Equals(escalatedFrom) ? causedByFailure : null;
            ((InternalActorRef)child).SendSystemMessage(new Resume(cause));
        }
        if (!_failed && _extras?.DeferredFailures is { } deferred)
        {
            _extras.DeferredFailures = null;
            foreach (var f in deferred) HandleFailed(f);
        }
    }

    private void HandleFailed(Failed f)
    {
        if (_life != LifeState.Alive) return;
        if (_failed)
        {
            (More.DeferredFailures ??= []).Add(f);
            return;
        }
        if (!TryGetChild(f.Child, out var stats)) return;
        ChildRestartStats[] all;
        lock (ChildrenLock)
        {
            if (stats.IsDying) return; // a child we are stopping anyway
            all = ChildStats(alsoDying: false);
        }
        if (!CurrentStrategy().HandleFailure(this, stats, f.Cause, all))
            HandleInvokeFailure(f.Cause, f.Child);
    }

    public void ResumeChild(IActorRef child, Exception cause) =>
        ((InternalActorRef)child).SendSystemMessage(new Resume(cause));

    public void RestartChild(IActorRef child, Exception cause, bool suspendFirst)
    {
        var c = (InternalActorRef)child;
        if (suspendFirst) c.SendSystemMessage(new Suspend());
        c.SendSystemMessage(new Recreate(cause));
    }

    private void FaultRecreate(Exception cause)
    {
        if (_life != LifeState.Alive) return;
        var failedActor = _actor;
        if (failedActor is null)
        {
            // Creation failed earlier: a restart is simply a second creation.
            FinishRecreate(cause, afterFailedCreation: true);
            return;
        }

        var failedMessage = _failed ? _extras?.FailedMessage : null;
        _extras?.DeferredFailures = null;
        ClearIncarnationState();
        _extras?.Stash?.UnstashAll(); // Akka: the stash survives a restart, back in front of the mailbox.
        try
        {
            failedActor.AroundPreRestart(cause, failedMessage);
        }
        catch (Exception e)
        {
            _system.Log.Error(e, "PreRestart of {Actor} failed", Self.Path.ToString());
        }

        lock (ChildrenLock)
        {
            if (_dyingCount > 0)
            {
                _childrenState = ChildrenState.Recreating;
                More.RecreateCause = cause;
                return;
            }
        }
        FinishRecreate(cause, afterFailedCreation: false);
    }

    private void FinishRecreate(Exception cause, bool afterFailedCreation)
    {
        IActorRef[] survivors;
        lock (ChildrenLock)
        {
            _childrenState = ChildrenState.Normal;
            survivors = _children.Refs(alsoDying: false);
        }
        _extras?.RecreateCause = null;
        _extras?.DeferredFailures = null;
        _suspendCount = 0;
        _failed = false;
        _extras?.FailedMessage = null;
        _extras?.EscalatedFrom = null;
        try
        {
            NewActor();
            if (afterFailedCreation) _actor!.AroundPreStart();
            else _actor!.AroundPostRestart(cause);
        }
        catch (Exception e)
        {
            _actor = null;
            HandleInvokeFailure(new ActorInitializationException(Self, $"Exception while restarting {Self.Path}: {e.Message}", e));
            return;
        }
        foreach (var survivor in survivors) ((InternalActorRef)survivor).SendSystemMessage(new Recreate(cause));
    }

    public void Stop(IActorRef actor)
    {
        if (TryGetChild(actor, out var stats))
            lock (ChildrenLock) MarkDying(stats);
        if (actor is InternalActorRef r) r.SendSystemMessage(new Terminate());
    }

    private void HandleChildTerminated(IActorRef child)
    {
        bool finishRecreate = false, finishTerminate = false;
        lock (ChildrenLock)
        {
            if (!_children.TryGetChild(child.Path.Name, out var c) || !c.Equals(child)) return;
            if (_children.IsDying(child.Path.Name)) _dyingCount--;
            _children.Remove(child.Path.Name);
            if (_childrenState == ChildrenState.Recreating && _dyingCount == 0) finishRecreate = true;
            else if (_childrenState == ChildrenState.Terminating && _children.Count == 0) finishTerminate = true;
        }
        if (finishRecreate) FinishRecreate(_extras!.RecreateCause!, afterFailedCreation: false);
        else if (finishTerminate) FinishTerminate();
    }

    // The cell itself: it is internal, and user code sees it only as its IActorContext.
    private object ChildrenLock => this;

    // Under lock(ChildrenLock).
    private ChildRestartStats[] ChildStats(bool alsoDying) => _children.Stats(alsoDying);

    // Under lock(ChildrenLock).
    private void MarkDying(ChildRestartStats stats)
    {
        if (stats.IsDying) return;
        stats.IsDying = true;
        _dyingCount++;
    }

    private SupervisorStrategy CurrentStrategy() =>
        More.Strategy ??= _props.SupervisorStrategy ?? _actor?.SupervisorStrategyInternal() ?? SupervisorStrategy.DefaultStrategy;

    // ------------------------------------------------------------------ death watch

    public IActorRef Watch(IActorRef subject) => WatchInternal(subject, null);

    public IActorRef WatchWith(IActorRef subject, object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return WatchInternal(subject, message);
    }

    private IActorRef WatchInternal(IActorRef subject, object? message)
    {
        if (subject.Equals(Self) || _life != LifeState.Alive) return subject;
        // Watching again only replaces the message: the subject already knows.
        if (_watching.Set(subject, message)) ((InternalActorRef)subject).SendSystemMessage(new Watch(subject, Self));
        return subject;
    }

    public IActorRef Unwatch(IActorRef subject)
    {
        if (_watching.Remove(subject, out _))
            ((InternalActorRef)subject).SendSystemMessage(new Unwatch(subject, Self));
        _extras?.TerminatedQueued.Remove(subject);
        return subject;
    }

    private void AddWatcher(Watch w)
    {
        if (!w.Watchee.Equals(Self) || w.Watcher.Equals(Self)) return;
        _watchedBy.Add(w.Watcher);
    }

    private void WatchedActorTerminated(DeathWatchNotification d)
    {
        if (_watching.Remove(d.Actor, out var custom) && _life == LifeState.Alive)
        {
            More.TerminatedQueued.Add(d.Actor);
            var message = custom ?? new Terminated(d.Actor, d.ExistenceConfirmed, d.AddressTerminated);
            Mailbox.Post(new Envelope(new WatchedTerminated(d.Actor, message), d.Actor));
        }
        HandleChildTerminated(d.Actor);
    }

    // ------------------------------------------------------------------ behaviour

    public void Become(Receive receive)
    {
        ArgumentNullException.ThrowIfNull(receive);
        _behavior = receive;
    }

    // The stack holds the behaviours below the current one; the initial behaviour is never popped.
    public void BecomeStacked(Receive receive)
    {
        ArgumentNullException.ThrowIfNull(receive);
        (More.BehaviorStack ??= []).Add(_behavior);
        _behavior = receive;
    }

    public void UnbecomeStacked()
    {
        if (_extras?.BehaviorStack is not { Count: > 0 } stack) return;
        _behavior = stack[^1];
        stack.RemoveAt(stack.Count - 1);
    }

    // ------------------------------------------------------------------ ReceiveAsync

    public void RunAsync<T>(Func<T, Task> handler, T message)
    {
        var context = More.AsyncContext ??= new ActorSynchronizationContext(this);
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(context);
        Task task;
        try
        {
            task = handler(message);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        if (task.IsCompletedSuccessfully) return;
        if (task.IsCompleted) ThrowTaskFailure(task);

        // Suspend user messages until the task completes; the next invocation gets a new context.
        _extras!.AsyncContext = null;
        _extras.ActiveAsync = context;
        context.Envelope = _currentEnvelope;
        task.ContinueWith(
            static (t, state) =>
            {
                var ctx = (ActorSynchronizationContext)state!;
                ctx.Cell.SendSystemMessage(new AsyncTaskCompleted(ctx, t));
            },
            context,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private static void ThrowTaskFailure(Task task)
    {
        if (task.Exception is { } agg)
            ExceptionDispatchInfo.Capture(agg.InnerExceptions.Count == 1 ? agg.InnerExceptions[0] : agg).Throw();
        throw new TaskCanceledException(task);
    }

    private void RunContinuation(RunContinuation c)
    {
        if (!ReferenceEquals(c.Context, _extras?.ActiveAsync))
        {
            ActorSynchronizationContext.RunDetached(c.Callback, c.State);
            return;
        }
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(c.Context);
        _currentEnvelope = c.Context.Envelope;
        try
        {
            c.Callback(c.State);
        }
        finally
        {
            _currentEnvelope = default;
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    private void AsyncCompleted(AsyncTaskCompleted a)
    {
        if (!ReferenceEquals(a.Context, _extras?.ActiveAsync)) return;
        _extras!.ActiveAsync = null;
        var envelope = a.Context.Envelope;
        a.Context.Envelope = default;
        if (a.Task.IsCompletedSuccessfully) return;
        _currentEnvelope = envelope;
        try
        {
            ThrowTaskFailure(a.Task);
        }
        catch (Exception e)
        {
            HandleInvokeFailure(e);
        }
        finally
        {
            _currentEnvelope = default;
        }
    }

    // ------------------------------------------------------------------ receive timeout

    public void SetReceiveTimeout(TimeSpan? timeout)
    {
        var enable = timeout is { } t && t > TimeSpan.Zero && t != Timeout.InfiniteTimeSpan;
        if (_extras?.ReceiveTimeout is not { } rt)
        {
            if (!enable) return;
            rt = More.ReceiveTimeout = new ReceiveTimeoutState();
        }
        rt.Task?.Cancel();
        rt.Task = null;
        rt.Generation++;
        if (!enable)
        {
            rt.Timeout = null;
            return;
        }
        rt.Timeout = timeout;
        rt.LastActivity = _system.Scheduler.MonotonicClock;
        ScheduleReceiveTimeout(rt, timeout!.Value);
    }

    private void ScheduleReceiveTimeout(ReceiveTimeoutState rt, TimeSpan delay) =>
        rt.Task = _system.Scheduler.ScheduleTellOnce(delay, Self, new ReceiveTimeoutTick(rt.Generation), ActorRefs.NoSender);

    // Activity only moves a timestamp (no reschedule per message); the tick checks it and re-arms.
    private void OnReceiveTimeoutTick(ReceiveTimeoutTick tick)
    {
        if (_extras?.ReceiveTimeout is not { } rt || tick.Generation != rt.Generation || rt.Timeout is not { } timeout) return;
        var now = _system.Scheduler.MonotonicClock;
        var idle = now - rt.LastActivity;
        if (idle < timeout)
        {
            ScheduleReceiveTimeout(rt, timeout - idle);
            return;
        }
        rt.LastActivity = now;
        ScheduleReceiveTimeout(rt, timeout);
        ReceiveMessage(Kernel.ReceiveTimeout.Instance);
    }

    // The receive timeout of the current incarnation; Generation outlives incarnations so that a
    // tick of an earlier setting (or incarnation) is recognised and dropped.
    private sealed class ReceiveTimeoutState
    {
        public TimeSpan? Timeout;
        public long Generation;
        public TimeSpan LastActivity;
        public ICancelable? Task;
    }

    // Thread-safe: guardians make children (and so names) from outside their turn.
    private Extras More => _extras ?? Interlocked.CompareExchange(ref _extras, new Extras(), null) ?? _extras;

    // State most actors never need, made on first use (and kept): failure handling, stacked
    // behaviours, the stash, the receive timeout, Terminated messages queued for Unwatch to drop,
    // ReceiveAsync's contexts, the counter of anonymous children.
    // As fields of the cell they were 70 B of every actor, and every idle connection has two.
    private sealed class Extras
    {
        // ReceiveAsync: the context for the next handler invocation (reused while handlers complete
        // synchronously), and the one whose task is awaited; the awaited invocation's envelope is
        // kept in its context (ActorSynchronizationContext.Envelope).
        public ActorSynchronizationContext? AsyncContext;
        public ActorSynchronizationContext? ActiveAsync;
        // Anonymous children made so far (their names: $a, $b, ...).
        public long NextChildName;
        public List<Receive?>? BehaviorStack;
        public SupervisorStrategy? Strategy;
        public object? FailedMessage;
        public IActorRef? EscalatedFrom;
        public Exception? RecreateCause;
        // Children's failures reported while this actor itself awaits its supervisor's directive:
        // handled after a Resume, dropped on a restart (which stops or restarts those children anyway).
        public List<Failed>? DeferredFailures;
        // Whose Terminated is queued as a user message (an Unwatch before it is processed drops it).
        public ActorRefSet TerminatedQueued;
        public UnboundedStash? Stash;
        // Created by the first SetReceiveTimeout: few actors use one.
        public ReceiveTimeoutState? ReceiveTimeout;
    }
}
