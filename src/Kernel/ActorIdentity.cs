namespace ActorHttp.Kernel;

/// <summary>The reply to <see cref="Identify"/>: the actor's reference (<c>null</c> when it does not exist).</summary>
/// <param name="MessageId">The value of <see cref="Identify.MessageId"/>.</param>
/// <param name="Subject">The identified actor.</param>
public sealed record ActorIdentity(object? MessageId, IActorRef? Subject);
