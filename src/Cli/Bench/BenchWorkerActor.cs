using System.Runtime.CompilerServices;
using ActorHttp.Client;
using ActorHttp.Client.Transport;
using Akka.Actor;
using Akka.Event;

namespace ActorHttp.Cli.Bench;

/// <summary>
/// One load loop of <c>actorhttp bench</c> as an actor, the way ActorHttp is meant to be used from actors: it tells its host's
/// pool a <see cref="TransportActor.RoundTrip"/>, gets the <see cref="ClientResponse"/> (or a <see cref="Status.Failure"/>) as a
/// message, reads the body to its end, records it in its <see cref="BenchWorker"/> and tells the next.
/// </summary>
/// <remarks>
/// <para><b>Where it runs.</b> On the pool's dispatcher (<see cref="ActorTransport.PoolDispatcher"/>): for a plain-HTTP target
/// that is the event loop of the host's pool and connections, so a request and its response cross no thread: the loop's thread
/// runs this actor, the pool, the connection's send, and after the poll that saw the response, the reader, the connection and
/// this actor again, as wrk's event loop does. Safe because nothing here blocks.</para>
/// <para><b>Bodies.</b> A small body comes whole with the head and is read within the turn; a larger one streams through a pipe,
/// and a read that has to wait tells this actor when it is done.</para>
/// <para><b>The end.</b> It stops asking when the plan says so and completes <c>done</c>; when the plan's abort fires (the drain
/// timeout after the duration), the request in flight is cancelled at the pool and recorded as cancelled.</para>
/// </remarks>
internal sealed class BenchWorkerActor : UntypedActor
{
    // The body read that waited has finished; its result is in _read.
    private sealed class BodyRead : IDeadLetterSuppression
    {
        public static readonly BodyRead Instance = new();
        private BodyRead() { }
    }

    // The plan's abort fired.
    private sealed class Abort : IDeadLetterSuppression
    {
        public static readonly Abort Instance = new();
        private Abort() { }
    }

    private readonly BenchWorker _worker;
    private readonly BenchPlan _plan;
    private readonly IActorRef _pool;
    private readonly TaskCompletionSource _done;
    private readonly Action _onBodyRead;
    private CancellationTokenRegistration _abort;

    // The request in flight: its id (for a cancel), and once answered its response and the body read that waits.
    private long _id;
    private ClientResponse? _response;
    private ConfiguredValueTaskAwaitable<int>.ConfiguredValueTaskAwaiter _read;

    public BenchWorkerActor(BenchWorker worker, BenchPlan plan, IActorRef pool, TaskCompletionSource done)
    {
        _worker = worker;
        _plan = plan;
        _pool = pool;
        _done = done;
        var self = Self;
        _onBodyRead = () => self.Tell(BodyRead.Instance, ActorRefs.NoSender);
    }

    protected override void PreStart()
    {
        var self = Self;
        _abort = _plan.Abort.UnsafeRegister(static s => ((IActorRef)s!).Tell(Abort.Instance, ActorRefs.NoSender), self);
        Next();
    }

    protected override void PostStop()
    {
        _abort.Dispose();
        _response?.Dispose();
        _done.TrySetResult();
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case ClientResponse response:
                _response = response;
                ReadBody();
                break;
            case Status.Failure failure:
                Ended(0, failure.Cause);
                break;
            case BodyRead:
                int n;
                try
                {
                    n = _read.GetResult();
                }
                catch (Exception e)
                {
                    Ended(0, e);
                    return;
                }
                if (n > 0) ReadBody();
                else Ended(_response!.StatusCode, null);
                break;
            case Abort:
                // A response whose body is being read sees the abort through its read's token.
                if (_response is null && _id != 0) _pool.Tell(new TransportActor.CancelRoundTrip(ConnectionKey.Of(_worker.Request.Uri), _id));
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Next()
    {
        if (_plan.Abort.IsCancellationRequested || !_worker.Begin(_plan))
        {
            _id = 0;
            Context.Stop(Self);
            return;
        }
        _id = TransportActor.NextId();
        _pool.Tell(new TransportActor.RoundTrip(_worker.Request, _id), Self);
    }

    // Reads while reads finish at once; a read that waits tells this actor when it is done.
    private void ReadBody()
    {
        var body = _response!.Body;
        var buffer = _worker.Buffer;
        while (true)
        {
            try
            {
                _read = body.ReadAsync(buffer, _plan.Abort).ConfigureAwait(false).GetAwaiter();
                if (!_read.IsCompleted)
                {
                    _read.UnsafeOnCompleted(_onBodyRead);
                    return;
                }
                if (_read.GetResult() > 0) continue;
            }
            catch (Exception e)
            {
                Ended(0, e);
                return;
            }
            Ended(_response.StatusCode, null);
            return;
        }
    }

    private void Ended(int status, Exception? error)
    {
        if (_response is { } response)
        {
            _response = null;
            response.Dispose();
        }
        _worker.End(status, error);
        Next();
    }
}
