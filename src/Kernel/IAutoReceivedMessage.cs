namespace ActorHttp.Kernel;

/// <summary>
/// Marks messages the actor cell handles itself before the actor's behaviour sees them
/// (<see cref="PoisonPill"/>, <see cref="Kill"/>, <see cref="Identify"/>, timer ticks, queued <see cref="Terminated"/>).
/// One interface test per message keeps the hot path to a single type check.
/// </summary>
internal interface IAutoReceivedMessage
{
    /// <summary>True for kernel-internal wrappers that are dropped rather than reported as dead letters.</summary>
    bool IsInternal { get; }
}
