using Akka.Actor;

namespace ActorHttp.Actors.Tests.Dispatch;

/// <summary>Answers every message with <see cref="Where"/> its turn ran.</summary>
public sealed class WhereActor : UntypedActor
{
    public static readonly Props Props = Props.Create<WhereActor>();

    protected override void OnReceive(object message) => Sender.Tell(Where.Here);
}
