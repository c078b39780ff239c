using ActorHttp.Kernel;

namespace ActorHttp.TestKit;

/// <summary>The actor behind <c>TestActor</c> and every probe: queues whatever it receives (with its sender) for the test, and watches on request.</summary>
internal sealed class TestActor : ActorBase
{
    private readonly TestMessageQueue _queue;

    public TestActor(TestMessageQueue queue) => _queue = queue;

    protected override bool Receive(object message)
    {
        switch (message)
        {
            case WatchCommand w:
                Context.Watch(w.Subject);
                break;
            case UnwatchCommand u:
                Context.Unwatch(u.Subject);
                break;
            default:
                _queue.Enqueue(new Envelope(message, Sender));
                break;
        }
        return true;
    }

    internal sealed record WatchCommand(IActorRef Subject);

    internal sealed record UnwatchCommand(IActorRef Subject);
}
