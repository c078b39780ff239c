namespace ActorHttp.Kernel;

/// <summary>A message every actor answers with <see cref="ActorIdentity"/> carrying the same <paramref name="MessageId"/>.</summary>
/// <param name="MessageId">Correlation value copied into the reply.</param>
public sealed record Identify(object? MessageId) : IAutoReceivedMessage
{
    bool IAutoReceivedMessage.IsInternal => false;
}
