namespace ActorHttp.Kernel;

/// <summary>
/// The base of every actor: its references (<see cref="Self"/>, <see cref="Sender"/>,
/// <see cref="Context"/>), its behaviour (<see cref="Receive"/>) and its lifecycle hooks.
/// Instances are created only by the kernel, from <see cref="Props"/>, once per incarnation.
/// </summary>
public abstract class ActorBase
{
    /// <summary>Binds the instance to the cell that is constructing it.</summary>
    protected ActorBase()
    {
        Cell = ActorCell.Constructing
               ?? throw new InvalidOperationException($"{GetType().Name} must be created by the kernel (Props + ActorOf), not with 'new'.");
    }

    internal ActorCell Cell { get; }

    /// <summary>This actor.</summary>
    protected IActorRef Self => Cell.Self;

    /// <summary>The sender of the message being processed (dead letters when none).</summary>
    protected IActorRef Sender => Cell.Sender;

    /// <summary>The actor's context.</summary>
    protected IActorContext Context => Cell;

    /// <summary>The initial behaviour: handles a message and returns whether it did.</summary>
    protected abstract bool Receive(object message);

    /// <summary>Called for a message no behaviour handled: publishes <see cref="UnhandledMessage"/>; an unhandled <see cref="Terminated"/> throws <see cref="DeathPactException"/>.</summary>
    protected virtual void Unhandled(object message)
    {
        if (message is Terminated t) throw new DeathPactException(t.ActorRef);
        Cell.System.EventStream.Publish(new UnhandledMessage(message, Sender, Self));
    }

    /// <summary>Called once before the first message of every incarnation's life (after construction).</summary>
    protected virtual void PreStart()
    {
    }

    /// <summary>Called after the actor stopped, after all its children have stopped.</summary>
    protected virtual void PostStop()
    {
    }

    /// <summary>Called on the failed instance before a restart; by default stops all children and calls <see cref="PostStop"/>.</summary>
    protected virtual void PreRestart(Exception reason, object? message)
    {
        foreach (var child in Context.Children)
        {
            Context.Unwatch(child);
            Context.Stop(child);
        }
        PostStop();
    }

    /// <summary>Called on the fresh instance after a restart; by default calls <see cref="PreStart"/>.</summary>
    protected virtual void PostRestart(Exception reason) => PreStart();

    /// <summary>How this actor supervises its children (<see cref="Kernel.SupervisorStrategy.DefaultStrategy"/> unless overridden).</summary>
    protected virtual SupervisorStrategy SupervisorStrategy() => Kernel.SupervisorStrategy.DefaultStrategy;

    /// <summary>Shorthand for <see cref="IActorContext.SetReceiveTimeout"/>.</summary>
    protected void SetReceiveTimeout(TimeSpan? timeout) => Context.SetReceiveTimeout(timeout);

    /// <summary>Called by the kernel right after the constructor (a <see cref="ReceiveActor"/> compiles its registrations).</summary>
    internal virtual void CompleteConstruction()
    {
    }

    // The initial behaviour is this virtual call, not a delegate: one object less per actor.
    internal bool ReceiveInternal(object message) => Receive(message);

    internal void UnhandledInternal(object message) => Unhandled(message);

    internal SupervisorStrategy SupervisorStrategyInternal() => SupervisorStrategy();

    internal void AroundPreStart() => PreStart();

    internal void AroundPostStop() => PostStop();

    internal void AroundPreRestart(Exception reason, object? message) => PreRestart(reason, message);

    internal void AroundPostRestart(Exception reason) => PostRestart(reason);
}
