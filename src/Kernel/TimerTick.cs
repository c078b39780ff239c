namespace ActorHttp.Kernel;

/// <summary>The envelope of a per-actor timer's message: delivered only if its timer (owner, key, generation) is still the current one.</summary>
internal sealed record TimerTick(TimerScheduler Owner, object Key, long Generation, object Message) : IAutoReceivedMessage
{
    public bool IsInternal => true;
}
