namespace ActorHttp.Kernel;

/// <summary>The scheduler's wake-up for a receive timeout; stale generations are ignored.</summary>
internal sealed record ReceiveTimeoutTick(long Generation) : IAutoReceivedMessage, INotInfluenceReceiveTimeout
{
    public bool IsInternal => true;
}
