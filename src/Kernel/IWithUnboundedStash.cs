namespace ActorHttp.Kernel;

/// <summary>Implemented by actors that stash; the kernel sets <see cref="Stash"/> after construction. The stash survives a restart (its messages go back in front of the mailbox).</summary>
public interface IWithUnboundedStash
{
    /// <summary>The actor's stash (set by the kernel).</summary>
    IStash Stash { get; set; }
}
