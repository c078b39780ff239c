namespace ActorHttp.Kernel;

/// <summary>A message that makes its receiver fail with <see cref="ActorKilledException"/>; the default supervisor then stops it.</summary>
public sealed class Kill : IAutoReceivedMessage
{
    private Kill()
    {
    }

    /// <summary>The single instance.</summary>
    public static Kill Instance { get; } = new();

    bool IAutoReceivedMessage.IsInternal => false;

    /// <inheritdoc />
    public override string ToString() => "Kill";
}
