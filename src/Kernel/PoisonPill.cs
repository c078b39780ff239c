namespace ActorHttp.Kernel;

/// <summary>A message that stops its receiver once it is processed (messages queued before it are handled first).</summary>
public sealed class PoisonPill : IAutoReceivedMessage
{
    private PoisonPill()
    {
    }

    /// <summary>The single instance.</summary>
    public static PoisonPill Instance { get; } = new();

    bool IAutoReceivedMessage.IsInternal => false;

    /// <inheritdoc />
    public override string ToString() => "PoisonPill";
}
