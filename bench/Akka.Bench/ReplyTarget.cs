using Akka.Actor;

namespace ActorHttp.Akka.Bench;

/// <summary>
/// A reply target of our own instead of <c>Ask</c>: an actor reference that completes a task with the
/// first message told to it. No temporary actor registration, no timeout timer; its path is made only
/// if someone asks for it. Local only: a remote node cannot resolve it (see AKKA-NOTES).
/// </summary>
public sealed class ReplyTarget(IActorRefProvider provider) : MinimalActorRef
{
    private readonly TaskCompletionSource<object> _reply = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ActorPath? _path;

    /// <summary>The first message told to this reference.</summary>
    public Task<object> Reply => _reply.Task;

    public override ActorPath Path => _path ??= provider.TempPath();

    public override IActorRefProvider Provider => provider;

    protected override void TellInternal(object message, IActorRef sender) => _reply.TrySetResult(message);
}
