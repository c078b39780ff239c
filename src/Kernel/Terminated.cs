namespace ActorHttp.Kernel;

/// <summary>
/// Delivered exactly once to each watcher of an actor when it has stopped (see <see cref="IActorContext.Watch"/>).
/// An actor that does not handle it fails with <see cref="DeathPactException"/>.
/// </summary>
/// <param name="ActorRef">The actor that stopped.</param>
/// <param name="ExistenceConfirmed">False when the watched reference never named a live actor.</param>
/// <param name="AddressTerminated">True when the actor's whole system became unreachable (never for local actors).</param>
public sealed record Terminated(IActorRef ActorRef, bool ExistenceConfirmed, bool AddressTerminated);
