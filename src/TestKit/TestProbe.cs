using ActorHttp.Kernel;

namespace ActorHttp.TestKit;

/// <summary>
/// An extra test actor with the full expectation API: pass <see cref="Ref"/> where an actor is
/// expected, then assert on what it received, <see cref="Reply"/> to the last sender or
/// <see cref="Forward"/> the last message.
/// </summary>
public sealed class TestProbe : TestKitBase
{
    internal TestProbe(ActorSystem system, TestKitSettings settings, string name)
        : base(system, settings, name)
    {
    }

    /// <summary>The probe's actor reference.</summary>
    public IActorRef Ref => TestActor;

    /// <summary>The sender of the last message taken (same as <see cref="TestKitBase.LastSender"/>).</summary>
    public IActorRef Sender => LastSender;

    /// <summary>Sends <paramref name="message"/> to the sender of the last message, from the probe.</summary>
    public void Reply(object message) => LastSender.Tell(message, Ref);

    /// <summary>Sends <paramref name="message"/> (default: the last message taken) to <paramref name="actor"/>, keeping the original sender.</summary>
    public void Forward(IActorRef actor, object? message = null) =>
        actor.Tell(message ?? LastMessage ?? throw new InvalidOperationException("No message to forward."), LastSender);

    /// <summary>Tells <paramref name="message"/> to <paramref name="target"/> with the probe as sender.</summary>
    public void Send(IActorRef target, object message) => target.Tell(message, Ref);

    /// <inheritdoc />
    public override string ToString() => $"TestProbe {Ref.Path}";
}
