namespace ActorHttp.Kernel;

/// <summary>Implemented by actors that use timers; the kernel sets <see cref="Timers"/> after construction, before <c>PreStart</c>.</summary>
public interface IWithTimers
{
    /// <summary>The actor's timers (set by the kernel).</summary>
    ITimerScheduler Timers { get; set; }
}
