using ActorHttp.Client;
using ActorHttp.Client.Transport;
using Akka.Actor;

namespace ActorHttp.Client.Bench;

/// <summary>
/// One load loop as an actor (<c>--callers actor</c>): tells its host's pool a request, gets the response as a message, reads the
/// body, and tells the next, <c>count</c> times; then completes <c>done</c>. Made on the pool's dispatcher, so on the event loops
/// the loop, its pool and its connection share one thread.
/// </summary>
internal sealed class LoadActor : UntypedActor
{
    private readonly IActorRef _pool;
    private readonly ClientRequest _request;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private readonly TaskCompletionSource _done;
    private long _left;

    public LoadActor(IActorRef pool, ClientRequest request, long count, TaskCompletionSource done)
    {
        _pool = pool;
        _request = request;
        _left = count;
        _done = done;
    }

    protected override void PreStart() => Next();

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case ClientResponse response:
                // The canned body comes whole with the head: reading it never waits.
                var body = response.Body;
                while (body.Read(_buffer) > 0) { }
                response.Dispose();
                Next();
                break;
            case Status.Failure failure:
                _done.TrySetException(failure.Cause);
                break;
        }
    }

    private void Next()
    {
        if (_left-- == 0)
        {
            _done.TrySetResult();
            return;
        }
        _pool.Tell(new TransportActor.RoundTrip(_request, TransportActor.NextId()), Self);
    }
}
