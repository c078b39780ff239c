using ActorHttp.Client;
using ActorHttp.Client.Connection;
using ActorHttp.Client.Transport;
using Akka.Streams;
using Akka.Streams.Stage;
using Akka.Util;

namespace ActorHttp.Streams;

/// <summary>
/// The stage behind <see cref="PoolFlows"/>: sends each request through an <see cref="ActorTransport"/>'s host pools and
/// emits its result with its context, in completion order. Demand is the pools' capacity: a request is pulled only while
/// its host has a free slot, so the stream is back-pressured instead of queueing past the pool.
/// </summary>
/// <remarks>
/// <para><b>Slots.</b> A host has <c>max-conns-per-host</c> slots (or <c>pool-flow-max-open-requests</c> when uncapped). A
/// request holds one from its dispatch until its response no longer holds a connection: a failure or a body that came
/// whole frees it at once; a streamed body when it is read to the end, disposed, aborted or expired
/// (<see cref="ResponseBodyStream.WhenReleased"/>). So the requests of a flow never wait in the pool's want-connection
/// queue behind each other's bodies, and <c>max-pending-requests</c> never trips.</para>
/// <para><b>Routing.</b> The route function names a request's host and its slot count, or refuses it (a failed
/// result). A pulled request whose host is full is held (one at most) until that host frees a slot: with several hosts
/// (the super pool) a full host holds back the others, as with Akka HTTP's super pool.</para>
/// <para><b>Ownership.</b> All fields belong to the stage's logic, changed only in its callbacks; continuations of the
/// transport's tasks come back through async callbacks. Responses that arrive after the stage stopped are aborted there.</para>
/// </remarks>
internal sealed class PoolFlowStage<T> : GraphStage<FlowShape<(ClientRequest, T), (Result<ClientResponse>, T)>>
{
    private readonly ActorTransport _transport;
    private readonly Func<ClientRequest, Route> _route;
    // Set for the single-host flow: it pulls only while its host has a free slot.
    private readonly int? _singleHostSlots;

    /// <summary>A stage over <paramref name="transport"/>; <paramref name="singleHostSlots"/> for a flow whose requests all go to one host.</summary>
    public PoolFlowStage(ActorTransport transport, Func<ClientRequest, Route> route, int? singleHostSlots)
    {
        _transport = transport;
        _route = route;
        _singleHostSlots = singleHostSlots;
        Shape = new FlowShape<(ClientRequest, T), (Result<ClientResponse>, T)>(In, Out);
    }

    /// <summary>Where a request goes: its host's key and slot count, or why it cannot go (a failed result).</summary>
    internal readonly record struct Route(string? Host, int Slots, HttpClientException? Refused);

    public Inlet<(ClientRequest, T)> In { get; } = new("PoolFlow.in");

    public Outlet<(Result<ClientResponse>, T)> Out { get; } = new("PoolFlow.out");

    public override FlowShape<(ClientRequest, T), (Result<ClientResponse>, T)> Shape { get; }

    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("poolFlow");

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    // A request's answer from the transport, with what is needed to emit it and free its slot.
    private sealed record Answer(Task<ClientResponse> Sent, T Context, string Host);

    private sealed class Logic : InAndOutGraphStageLogic
    {
        private readonly PoolFlowStage<T> _stage;
        private readonly Dictionary<string, int> _used = new(StringComparer.Ordinal);
        private readonly Queue<(Result<ClientResponse>, T)> _ready = new();
        // Cancels requests still waiting for a connection when the stage stops.
        private readonly CancellationTokenSource _stopping = new();
        private Action<Answer>? _onAnswered;
        private Action<string>? _onReleased;
        private (ClientRequest Request, T Context, Route Route)? _held;
        private int _usedTotal;
        private int _awaiting; // dispatched, no answer yet
        // Read by continuations on other threads: after the stop, answers are aborted there instead of called back.
        private volatile bool _stopped;

        public Logic(PoolFlowStage<T> stage) : base(stage.Shape)
        {
            _stage = stage;
            SetHandler(stage.In, this);
            SetHandler(stage.Out, this);
        }

        public override void PreStart()
        {
            _onAnswered = GetAsyncCallback<Answer>(Answered);
            _onReleased = GetAsyncCallback<string>(Released);
            PullIfRoom();
        }

        public override void OnPush()
        {
            var (request, context) = Grab(_stage.In);
            var route = _stage._route(request);
            if (route.Refused is { } refused) Emit(Result.Failure<ClientResponse>(refused), context);
            else if (Used(route.Host!) < route.Slots) Dispatch(request, context, route.Host!);
            else _held = (request, context, route);
            PullIfRoom();
            CompleteIfDone();
        }

        public override void OnUpstreamFinish() => CompleteIfDone();

        public override void OnPull()
        {
            if (_ready.Count > 0) Push(_stage.Out, _ready.Dequeue());
            CompleteIfDone();
        }

        public override void PostStop()
        {
            _stopped = true;
            _stopping.Cancel();
            // Emitted to nobody: their connections are closed rather than left to the subscription timeout.
            while (_ready.Count > 0)
                if (_ready.Dequeue().Item1 is { IsSuccess: true, Value: { } response }) ClientResponseStreams.Abort(response);
        }

        private int Used(string host) => _used.GetValueOrDefault(host);

        private void Dispatch(ClientRequest request, T context, string host)
        {
            _used[host] = Used(host) + 1;
            _usedTotal++;
            _awaiting++;
            Task<ClientResponse> sent;
            try
            {
                sent = _stage._transport.RoundTripAsync(request, _stopping.Token);
            }
            catch (Exception e)
            {
                sent = Task.FromException<ClientResponse>(e);
            }
            var answer = new Answer(sent, context, host);
            if (sent.IsCompleted) Answered(answer);
            else sent.ContinueWith(static (_, state) => { var (logic, a) = ((Logic, Answer))state!; logic.AnsweredLater(a); }, (this, answer),
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        private void AnsweredLater(Answer answer)
        {
            if (!_stopped) _onAnswered!(answer);
            else if (answer.Sent.IsCompletedSuccessfully) ClientResponseStreams.Abort(answer.Sent.Result);
        }

        private void Answered(Answer answer)
        {
            _awaiting--;
            // Emitted before its slot is freed: freeing may complete the stage, which must not lose this result.
            if (answer.Sent.IsCompletedSuccessfully)
            {
                var response = answer.Sent.Result;
                Emit(Result.Success(response), answer.Context);
                // A body that streams holds its connection, and so its slot, until it is released; any other is in memory.
                var released = response.Body is ResponseBodyStream body ? body.WhenReleased() : Task.CompletedTask;
                if (released.IsCompleted) Released(answer.Host);
                else released.ContinueWith(static (_, state) => { var (logic, host) = ((Logic, string))state!; logic.ReleasedLater(host); },
                    (this, answer.Host), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
            else
            {
                Emit(Result.Failure<ClientResponse>(answer.Sent.Exception?.InnerException
                    ?? new HttpClientException(ClientErrorKind.Canceled, "The request was cancelled.")), answer.Context);
                Released(answer.Host);
            }
            CompleteIfDone();
        }

        private void ReleasedLater(string host)
        {
            if (!_stopped) _onReleased!(host);
        }

        private void Released(string host)
        {
            _used[host] = Used(host) - 1;
            _usedTotal--;
            if (_held is { } held && held.Route.Host == host && Used(host) < held.Route.Slots)
            {
                _held = null;
                Dispatch(held.Request, held.Context, host);
            }
            PullIfRoom();
            CompleteIfDone();
        }

        private void Emit(Result<ClientResponse> result, T context)
        {
            if (_ready.Count == 0 && IsAvailable(_stage.Out)) Push(_stage.Out, (result, context));
            else _ready.Enqueue((result, context));
        }

        // The single-host flow pulls only when its host has a free slot. The super pool cannot know the next request's host
        // before pulling it, so it pulls whenever it holds nothing, and holds a request for a full host until that host frees one.
        private void PullIfRoom()
        {
            if (_held is not null || IsClosed(_stage.In) || HasBeenPulled(_stage.In)) return;
            if (_stage._singleHostSlots is { } slots && _usedTotal >= slots) return;
            Pull(_stage.In);
        }

        private void CompleteIfDone()
        {
            if (IsClosed(_stage.In) && _held is null && _awaiting == 0 && _ready.Count == 0) CompleteStage();
        }
    }
}
