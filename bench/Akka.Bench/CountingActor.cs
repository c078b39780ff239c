using Akka.Actor;

namespace ActorHttp.Akka.Bench;

/// <summary>Counts messages and signals when the expected number has arrived.</summary>
public sealed class CountingActor : UntypedActor
{
    private int _remaining;
    private TaskCompletionSource? _done;

    protected override void OnReceive(object message)
    {
        if (message is Start s)
        {
            _remaining = s.Count;
            _done = s.Done;
        }
        else if (--_remaining == 0)
        {
            _done!.SetResult();
        }
    }
}
