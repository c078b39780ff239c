using Akka.Actor;

namespace ActorHttp.Akka.Bench;

/// <summary>One side of a ping-pong pair: on <see cref="Start"/> serves the ball to its partner (an <see cref="EchoActor"/>) and returns it until the count is done.</summary>
public sealed class PingActor(IActorRef partner) : UntypedActor
{
    private int _remaining;
    private TaskCompletionSource? _done;

    protected override void OnReceive(object message)
    {
        if (message is Start s)
        {
            _remaining = s.Count;
            _done = s.Done;
            partner.Tell(Ball.Instance, Self);
        }
        else if (--_remaining == 0)
        {
            _done!.SetResult();
        }
        else
        {
            partner.Tell(message, Self);
        }
    }
}
