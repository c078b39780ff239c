using ActorHttp.Kernel;

namespace ActorHttp.Kernel.Bench;

/// <summary>Start a measured run: count down <see cref="Count"/> messages, then complete <see cref="Done"/>.</summary>
public sealed record Start(int Count, TaskCompletionSource Done);

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
        else if (--_remaining == 0) _done!.SetResult();
    }
}

/// <summary><see cref="CountingActor"/> written as a <see cref="ReceiveActor"/>, to price the typed handler dispatch.</summary>
public sealed class ReceiveCountingActor : ReceiveActor
{
    private int _remaining;
    private TaskCompletionSource? _done;

    public ReceiveCountingActor()
    {
        Receive<Start>(s =>
        {
            _remaining = s.Count;
            _done = s.Done;
        });
        Receive<Ball>(_ =>
        {
            if (--_remaining == 0) _done!.SetResult();
        });
    }
}

/// <summary>Replies to every message with the same message.</summary>
public sealed class EchoActor : UntypedActor
{
    protected override void OnReceive(object message) => Sender.Tell(message, Self);
}

/// <summary>One side of a ping-pong pair: on <see cref="Start"/> serves the ball to its partner and returns it until the count is done.</summary>
public sealed class PingActor : UntypedActor
{
    private readonly IActorRef _partner;
    private int _remaining;
    private TaskCompletionSource? _done;

    public PingActor(IActorRef partner) => _partner = partner;

    protected override void OnReceive(object message)
    {
        if (message is Start s)
        {
            _remaining = s.Count;
            _done = s.Done;
            _partner.Tell(Ball.Instance, Self);
        }
        else if (--_remaining == 0) _done!.SetResult();
        else _partner.Tell(message, Self);
    }
}

/// <summary>The preallocated message every benchmark sends, so the figures exclude boxing.</summary>
public sealed class Ball
{
    public static readonly Ball Instance = new();
}
