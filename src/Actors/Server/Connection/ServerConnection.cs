using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using ActorHttp.Dispatch;
using ActorHttp.Net.Epoll;
using ActorHttp.Protocol;
using ActorHttp.Server.Routing;
using ActorHttp.Server.Tls;
using Akka.Actor;
using Akka.Event;

namespace ActorHttp.Server.Connection;

/// <summary>
/// One accepted connection (Go's <c>conn.serve</c>): parent of a <see cref="ConnectionReader"/> and a
/// <see cref="ConnectionWriter"/>, it routes each request, runs its handler, and keeps the connection
/// for the next request or closes it.
/// </summary>
/// <remarks>
/// <para>Requests are handled one at a time, in arrival order; requests the reader parsed meanwhile
/// (pipelining) wait in <c>_pending</c>, at most <c>max-pipelined-requests</c> of them. Responses go
/// to the writer in the same order, so they leave in request order.</para>
/// <para>The handler runs in this actor's turn. When it completes synchronously (the common case: a
/// small response) it is finished within the same turn, at no extra message. So this actor runs on
/// the handler dispatcher (the default one, or the one the settings name), never on an event loop,
/// unless <c>unsafe-prefer-inline-scheduling</c> is on: then, on its user's word that handlers never
/// block, it runs on its socket's event loop with its reader and writer.</para>
/// <para>Failure: a reader or writer that fails stops, and this actor stops with it (its children
/// live under a stopping strategy: a half-read byte stream is never restarted). Stopping closes the
/// socket; the listener hears of it (<see cref="ConnectionSupervision.ChildTerminated"/>).</para>
/// </remarks>
internal sealed partial class ServerConnection : ActorBase
{
    // ---- messages from the reader ----

    /// <summary>A request head was parsed; its body (if any) streams into <paramref name="Body"/>.</summary>
    public sealed record RequestReceived(RequestHead Head, RequestBody Body)
    {
        public override string ToString() => $"RequestReceived({Head})";
    }

    /// <summary>The input broke the protocol or a limit; answer with the mapped status and close.</summary>
    public sealed record RequestRejected(ProtocolError Error);

    /// <summary>The peer closed (<paramref name="CleanBoundary"/>: between requests) or the socket failed.</summary>
    public sealed record PeerClosed(SocketError Error, bool CleanBoundary) : IDeadLetterSuppression;

    /// <summary>A handler left more unread body than <c>request-body.max-drain</c>: close after the response.</summary>
    public sealed class DrainLimitExceeded
    {
        public static readonly DrainLimitExceeded Instance = new();
        private DrainLimitExceeded() { }
    }

    // ---- messages from the writer ----

    /// <summary>A send failed; the connection is lost.</summary>
    public sealed record WriteFailed(SocketError Error) : IDeadLetterSuppression;

    /// <summary>Everything was sent and the socket's sending side is closed.</summary>
    public sealed class WriterClosed : IDeadLetterSuppression
    {
        public static readonly WriterClosed Instance = new();
        private WriterClosed() { }
    }

    // ---- messages from the send lane ----

    /// <summary>A message for the writer, sent while it may not exist yet: make it, then forward (see <see cref="SendLane"/>).</summary>
    public sealed record ForWriter(object Message) : IDeadLetterSuppression;

    // ---- messages from the listener ----

    /// <summary>Graceful shutdown: finish the request in progress, answer queued ones with 503, close.</summary>
    public sealed class Shutdown
    {
        public static readonly Shutdown Instance = new();
        private Shutdown() { }
    }

    /// <summary>The listener's heartbeat saw the idle deadline pass (<see cref="ConnectionDeadlines"/>); it may be stale.</summary>
    public sealed class IdleDeadlinePassed : IDeadLetterSuppression
    {
        public static readonly IdleDeadlinePassed Instance = new();
        private IdleDeadlinePassed() { }
    }

    /// <summary>The listener's heartbeat saw a request's deadline pass (<c>request-timeout</c>); it may be stale.</summary>
    public sealed class HandlerDeadlinePassed : IDeadLetterSuppression
    {
        public static readonly HandlerDeadlinePassed Instance = new();
        private HandlerDeadlinePassed() { }
    }

    // ---- internal ----

    private sealed record HandlerCompleted(Exchange Exchange, Exception? Error) : IDeadLetterSuppression;

    /// <summary>
    /// A strict route's body was read to its end (<paramref name="Body"/>), or failed, or went above the inline limit:
    /// then <paramref name="Body"/> is null and <paramref name="Read"/> holds the bytes read so far, which the stream
    /// that carries the rest starts with.
    /// </summary>
    private sealed record StrictBodyRead(Exchange Exchange, StrictTarget Target, byte[]? Body, Exception? Error, byte[]? Read = null) : IDeadLetterSuppression
    {
        public override string ToString() => $"StrictBodyRead({Exchange.Id}, {Body?.Length} bytes, {Error?.GetType().Name})";
    }

    /// <summary>A strict route's body above the inline limit has its stream ref (<paramref name="Ref"/>), or could not get one.</summary>
    private sealed record StrictBodyStreaming(Exchange Exchange, StrictTarget Target, Akka.Streams.ISourceRef<byte[]>? Ref, Exception? Error) : IDeadLetterSuppression
    {
        public override string ToString() => $"StrictBodyStreaming({Exchange.Id}, {Error?.GetType().Name})";
    }

    /// <summary>Who a strict route's request goes to, and the entity id that wraps it for a shard region (null otherwise).</summary>
    private sealed record StrictTarget(IActorRef Actor, string? EntityId);

    /// <summary>One request and its response, from routing to the last byte handed to the writer.</summary>
    private sealed class Exchange(long id, ServerRequest request, ResponseWriter response, long started)
    {
        public long Id { get; } = id;
        public ServerRequest Request { get; } = request;
        public ResponseWriter Response { get; } = response;
        public long Started { get; } = started;
        public bool MustClose { get; set; }

        // The handler actor that was told the request and whose answer has not come yet (see ActorHandler); null otherwise.
        public IActorRef? AwaitedActor { get; set; }
    }

    private readonly Socket _socket;
    private readonly CertificateStore? _tls;    // null: plain HTTP
    private SslStream? _stream;                 // TLS: the authenticated stream, once the handshake is done; the reader and writer use it
    private TlsConnectionInfo? _tlsInfo;        // TLS: what the handshake agreed on, handed to every request
    private readonly ServerSettings _settings;
    private readonly RouteTableHolder _routes;
    private readonly ConnectionFlags _flags = new();
    private readonly long _opened = Stopwatch.GetTimestamp();
    private ILoggingAdapter? _logger;
    private readonly System.Net.EndPoint? _remote;
    private readonly System.Net.EndPoint? _local;

    // Owned by this actor.
    // RequestReceived | RequestRejected, in arrival order. Not readonly: a mutable struct.
    private PendingRequests _pending;
    private IActorRef _reader = ActorRefs.Nobody;
    private IActorRef? _writer;         // made on first need (see SendLane)
    private SendLane _lane = null!;
    private readonly EpollSocket? _epoll;        // the socket's registration with its event loop; null on the runtime's engine
    private readonly string _childDispatcher;
    // This connection's idle deadline (written here) and its reader's header deadline, read by the listener's heartbeat.
    private readonly ConnectionDeadlines.Entry _deadlines;
    private Exchange? _current;
    // The current exchange's request-timeout check (kept here, not in the exchange: one exchange runs at a time, and
    // this costs a connection 16 bytes where the exchange would cost every request 16). _deadline is when the check is
    // due (a Stopwatch timestamp, also in _deadlines), 0 while none is armed: the handler finished in the turn that
    // started it, or request-timeout is off. _writtenAtDeadline: the body bytes seen at the last check of a started response.
    private long _deadline;
    private long _writtenAtDeadline;
    private long _exchanges;            // requests started on this connection: the next exchange's id
    // The materializer of this connection's streams (flow routes, strict routes' stream-ref bodies): made on first use.
    // Its actors are this actor's children, so they stop with the connection whatever their streams are doing.
    private Akka.Streams.ActorMaterializer? _streamMaterializer;
    private bool _readerSuspended;
    private bool _inputEnded;           // no more requests will arrive (peer closed, or the reader stopped)
    private bool _shuttingDown;
    private bool _closing;              // CloseAfterWrites ran: no request starts, no deadline is armed
    private long _lastActivity = Stopwatch.GetTimestamp();   // when it last went idle


    /// <param name="socket">The accepted socket, owned from now on.</param>
    /// <param name="settings">The server's settings.</param>
    /// <param name="routes">The routing table.</param>
    /// <param name="epoll">The socket's registration with its event loop; null on the runtime's socket engine.</param>
    /// <param name="childDispatcher">Where the reader and writer run: the socket's loop, or the handler dispatcher.</param>
    /// <param name="deadlines">This connection's entry in its listener's deadlines.</param>
    /// <param name="tls">The certificates of a TLS listener (the connection starts with the handshake); null for plain HTTP.</param>
    public ServerConnection(Socket socket, ServerSettings settings, RouteTableHolder routes, EpollSocket? epoll, string childDispatcher,
        ConnectionDeadlines.Entry deadlines, CertificateStore? tls = null)
    {
        _socket = socket;
        _tls = tls;
        _settings = settings;
        _routes = routes;
        _epoll = epoll;
        _childDispatcher = childDispatcher;
        _deadlines = deadlines;
        _remote = socket.RemoteEndPoint;
        _local = socket.LocalEndPoint;
    }

    // Created on first use: a logger tagged with the actor's path costs two Serilog enrichers and a
    // string per connection, and most connections never log. The level check uses the system's logger.
    private ILoggingAdapter Log => _logger ??= Context.GetLogger();

    private bool DebugEnabled => _settings.LogRequests && DebugLevel;

    // The event stream's level is akka.loglevel (or what SetLogLevel made it). Not the system logger's
    // IsDebugEnabled: that logger is made at startup, before the configured level applies, and says true.
    private bool DebugLevel => Context.System.EventStream.LogLevel <= LogLevel.DebugLevel;

    protected override SupervisorStrategy SupervisorStrategy() => ConnectionSupervision.Stopping;

    protected override void PreStart()
    {
        _socket.NoDelay = true;
        // A direct send (SendLane) must never wait in its turn: Socket.Send on a non-blocking socket
        // returns WouldBlock instead, and the writer takes over. Over TLS every byte goes through the stream and
        // so through the writer; on the event loops the listener made the socket non-blocking for its EpollStream,
        // and on the runtime's engine it stays blocking (a NetworkStream refuses a non-blocking socket).
        if (_tls is null) _socket.Blocking = false;
        _lane = new SendLane(_socket, Self, direct: _tls is null);
        ServerMetrics.ActiveConnections.Add(1);
        Publish(ConnectionState.New);
        if (_tls is null) StartReader();
        else StartHandshake();
    }

    private void StartReader()
    {
        _reader = Context.ActorOf(ConnectionReader.PropsOn(_childDispatcher), "reader");
        _reader.Tell(new ConnectionReader.Start(_socket, _settings, _deadlines, _epoll, _stream), Self);
    }

    protected override void PostStop()
    {
        _deadlines.Close();
        StopFlows();
        // A direct send's rest whose detour never arrived: its array goes back here (or in the
        // writer's PostStop; the lane hands it out once).
        if (_lane?.TakeRemainder() is { Pooled: true } rest) System.Buffers.ArrayPool<byte>.Shared.Return(rest.Buffer);
        _flags.Abort();
        if (_current is not null) EndExchangeMetrics(_current, 0);
        _current?.Response.Discard();
        _current?.Request.BodyState.CompleteReading();
        while (_pending.TryDequeue(out var p))
            if (p is RequestReceived r) r.Body.CompleteReading();
        _epoll?.Close();
        _stream?.Dispose();
        _socket.Dispose();
        _flags.Dispose();
        ServerMetrics.ActiveConnections.Add(-1);
        ServerMetrics.ConnectionDuration.Record(Stopwatch.GetElapsedTime(_opened).TotalSeconds);
        Publish(ConnectionState.Closed);
    }

    // STATES
    //
    // States are methods switching on the message, not Receive<T> registrations: a ReceiveActor
    // keeps a delegate and a handler object per registration per instance (about 1.2 KB for this
    // actor's thirteen), and every idle keep-alive connection would carry them.

    /// <summary>The initial state.</summary>
    protected override bool Receive(object message) => Serving(message);

    // Reading requests and answering them in order.
    private bool Serving(object message)
    {
        switch (message)
        {
            case RequestReceived r: Enqueue(r); return true;
            case RequestRejected r: OnRejected(r); return true;
            case HandlerCompleted c: OnHandlerCompleted(c); return true;
            case StrictBodyRead r: OnStrictBodyRead(r); return true;
            case StrictBodyStreaming r: OnStrictBodyStreaming(r); return true;
            case ActorHandler.Reply r: OnActorReply(r.Id, r.Answer); return true;
            case ServerResponse or ActorHandler.ResponseComplete or Status.Failure: OnActorReply(null, message); return true;
            case HandlerDeadlinePassed: OnHandlerDeadlinePassed(); return true;
            case Terminated t: OnHandlerTerminated(t); return true;
            case PeerClosed c: OnPeerClosed(c); return true;
            case DrainLimitExceeded:
                if (_current is not null) _current.MustClose = true;
                else CloseAfterWrites();
                return true;
            case ForWriter w: OnForWriter(w); return true;
            case WriteFailed or WriterClosed or ConnectionSupervision.ChildTerminated: Context.Stop(Self); return true;
            case Shutdown: OnShutdown(); return true;
            case IdleDeadlinePassed: OnIdleDeadlinePassed(); return true;
            case ConnectionReader.HeaderDeadlinePassed: _reader.Forward(message); return true;
            default: return false;
        }
    }

    // The last response is written or being written; waiting for the writer to finish and half-close.
    private bool Closing(object message)
    {
        switch (message)
        {
            case HandlerCompleted c: OnHandlerCompleted(c); return true;
            case StrictBodyRead r: OnStrictBodyRead(r); return true;
            case StrictBodyStreaming r: OnStrictBodyStreaming(r); return true;
            case ActorHandler.Reply r: OnActorReply(r.Id, r.Answer); return true;
            case ServerResponse or ActorHandler.ResponseComplete or Status.Failure: OnActorReply(null, message); return true;
            case HandlerDeadlinePassed: OnHandlerDeadlinePassed(); return true;
            case Terminated t: OnHandlerTerminated(t); return true;
            case ForWriter w: OnForWriter(w); return true;
            case WriteFailed or WriterClosed or ConnectionSupervision.ChildTerminated: Context.Stop(Self); return true;
            case RequestReceived r: r.Body.CompleteReading(); return true;
            default: return true;   // everything else is moot now
        }
    }

    private void Enqueue(object request)
    {
        _pending.Enqueue(request);
        if (!_readerSuspended && _pending.Count >= _settings.MaxPipelinedRequests)
        {
            _readerSuspended = true;
            _reader.Tell(ConnectionReader.SuspendReading.Instance, Self);
        }

        if (_current is null) StartNext();
    }

    // Starts the next queued request, if no handler runs. Loops while handlers finish synchronously.
    private void StartNext()
    {
        if (_closing) return;
        while (_current is null && !_closing && _pending.TryDequeue(out var next))
        {
            if (_readerSuspended && _pending.Count < _settings.MaxPipelinedRequests / 2 + 1)
            {
                _readerSuspended = false;
                _reader.Tell(ConnectionReader.ResumeReading.Instance, Self);
            }

            if (next is RequestRejected rejected)
            {
                SendError(rejected.Error.ToStatusCode(), rejected.Error.ToString());
                CloseAfterWrites();
                return;
            }

            var received = (RequestReceived)next;
            if (_shuttingDown)
            {
                received.Body.CompleteReading();
                SendError(503, "the server is shutting down");
                AnswerQueuedWhileShuttingDown();
                CloseAfterWrites();
                return;
            }

            Run(received);
        }

        if (_current is null && _pending.Count == 0 && !_closing)
        {
            if (_inputEnded) CloseAfterWrites();
            else BecomeIdle();
        }
    }

    private void Run(RequestReceived received)
    {
        var head = received.Head;
        var request = new ServerRequest(head, received.Body, _remote, _local, _flags, _tlsInfo);
        var response = new ResponseWriter(_lane, _settings, head, _flags);
        var exchange = new Exchange(++_exchanges, request, response, Stopwatch.GetTimestamp());
        _current = exchange;
        _deadlines.DisarmIdle();
        ServerMetrics.ActiveRequests.Add(1);
        Publish(ConnectionState.Active);

        Task? task;
        try
        {
            task = Dispatch(exchange);
        }
        catch (Exception e)
        {
            task = Task.FromException(e);
        }

        // Null: a handler actor answers by message (OnActorReply), or a strict route's body is being read.
        if (task is not null) Complete(exchange, task);
        // The handler goes on after this turn: request-timeout bounds it, counted from the request's start. Armed only
        // here, so a handler that finishes in its turn (most do) costs no deadline at all.
        if (ReferenceEquals(_current, exchange) && _settings.RequestTimeout > TimeSpan.Zero)
        {
            _deadline = ConnectionDeadlines.Entry.After(exchange.Started, _settings.RequestTimeout);
            _writtenAtDeadline = 0;
            _deadlines.ArmHandler(_deadline);
        }
    }

    // Finishes the exchange now when its handler's task is done (the common case: a small response), or when it is.
    private void Complete(Exchange exchange, Task task)
    {
        if (task.IsCompleted)
        {
            Finish(exchange, task.Exception?.GetBaseException());
            return;
        }

        task.ContinueWith(
            (t, state) => new HandlerCompleted((Exchange)state!, t.Exception?.GetBaseException()),
            exchange, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
            .PipeTo(Self);
    }

    // Routes the request (ServeMux) and starts its handler, or answers the routing outcome itself. Null: a handler
    // actor was told the request and answers by message.
    private Task? Dispatch(Exchange exchange)
    {
        var request = exchange.Request;
        var response = exchange.Response;
        if (request.Head.TargetForm == RequestTargetForm.Asterisk) return AnswerAsterisk(exchange);
        var match = _routes.Current.Match(request.Method, request.Host, request.Path, request.RawQuery);
        switch (match.Kind)
        {
            case RouteMatchKind.Found:
                var route = match.Handler!;
                request.SetRoute(match.Pattern!.Text, match.PathValues);
                var limit = route.MaxRequestBodySize ?? _settings.RequestBodyMaxSize;
                request.BodyState.MaxSize = limit;
                if (limit > 0 && request.ContentLength > limit)
                    return WriteStatus(response, 413, "request body too large", close: true, exchange);
                if (request.Head.ExpectsContinue) SendContinueBeforeFirstRead(request, response);
                if (route is { Strict: true, Actor: { } strictActor }) return StartStrict(exchange, route, strictActor);
                if (route.Flow is { } flow) return RunFlow(exchange, flow);
                if (route.Actor is { } actor)
                {
                    exchange.AwaitedActor = actor;
                    // A handler actor that stops while a request waits is noticed at once (Terminated). Watched once per
                    // connection and actor, not per request: Watch on an actor already watched is a set lookup, while a
                    // Watch and an Unwatch per request would be two system messages through the handler's mailbox (one
                    // actor often serves every connection). The watch ends with the connection.
                    Context.Watch(actor);
                    actor.Tell(new ActorHandler.HandleRequest(request, response, exchange.Id, Self), Self);
                    return null;
                }

                return route.Handler!(response, request);

            case RouteMatchKind.Redirect:
                response.Headers.Set("Location", match.RedirectLocation!);
                return WriteStatus(response, 301, null, close: false, exchange);

            case RouteMatchKind.MethodNotAllowed:
                response.Headers.Set("Allow", match.Allow!);
                return WriteStatus(response, 405, "method not allowed", close: false, exchange);

            default:
                return WriteStatus(response, 404, "404 page not found", close: false, exchange);
        }
    }

    // Asterisk-form reaches here only with OPTIONS (the parser rejects it for any other method).
    // Go answers it itself (globalOptionsHandler); a mux that gets it answers 400 and closes, since
    // "*" names no resource.
    private Task AnswerAsterisk(Exchange exchange)
    {
        if (!_settings.DisableGeneralOptionsHandler && exchange.Request.Head.MethodKind == RequestMethod.Options)
        {
            exchange.Response.Headers.Set("Content-Length", "0");
            return Task.CompletedTask;
        }

        return WriteStatus(exchange.Response, 400, null, close: exchange.Request.Version == HttpProtocolVersion.Http11, exchange);
    }

    // A method of its own: a lambda in Dispatch capturing the response would cost a closure object
    // on every request, expect-continue or not (the compiler makes it where the captured local is declared).
    private void SendContinueBeforeFirstRead(ServerRequest request, ResponseWriter response)
    {
        var lane = _lane;
        request.BodyState.SetBeforeFirstRead(() =>
        {
            if (!response.HasStarted) lane.EnqueueContinue();
        });
    }

    private static Task WriteStatus(ResponseWriter response, int status, string? text, bool close, Exchange exchange)
    {
        if (close)
        {
            exchange.MustClose = true;
            response.Headers.Set("Connection", "close");
        }

        if (text is not null) return response.ErrorAsync(status, text);
        response.StatusCode = status;
        return Task.CompletedTask;
    }

    // A handler actor's answer: a whole response to write, "written" or a failure. Tagged with the request's id, or
    // bare (Sender.Tell), which answers the exchange waiting for an actor. Anything else (a late or doubled answer)
    // is dropped: it must never reach a later request's response.
    private void OnActorReply(long? id, object answer)
    {
        var exchange = _current;
        if (exchange is not { AwaitedActor: not null } || (id is { } tagged && tagged != exchange.Id))
        {
            ServerMetrics.DroppedHandlerReplies.Add(1);
            if (DebugLevel) Log.Debug("Dropped a handler's answer {Answer} for request {Id}: no such request is waiting", answer, id);
            return;
        }

        exchange.AwaitedActor = null;
        Task task;
        try
        {
            task = answer switch
            {
                ServerResponse whole => WriteResponseAsync(exchange.Response, whole),
                ActorHandler.StreamedResponse streamed => WriteStreamedAsync(exchange.Response, streamed),
                ActorHandler.ResponseComplete => Task.CompletedTask,
                Status.Failure failure => Task.FromException(failure.Cause),
                _ => Task.FromException(new InvalidOperationException($"A handler actor answered with {answer.GetType().Name}, not a ServerResponse, StreamedResponse, ResponseComplete or Status.Failure")),
            };
        }
        catch (Exception e)
        {
            task = Task.FromException(e);
        }

        Complete(exchange, task);
        if (_current is null) StartNext();
    }

    private void OnHandlerCompleted(HandlerCompleted completed)
    {
        if (!ReferenceEquals(completed.Exchange, _current))
        {
            // A delegate that finished after the connection stopped waiting for it (request-timeout): its late answer.
            ServerMetrics.DroppedHandlerReplies.Add(1);
            return;
        }

        Finish(completed.Exchange, completed.Error);
        if (_current is null) StartNext();
    }

    private void Finish(Exchange exchange, Exception? error)
    {
        var request = exchange.Request;
        var response = exchange.Response;
        var body = request.BodyState;
        // Nobody reads the body any more; the reader discards the rest (bounded by max-drain).
        body.CompleteReading();

        bool keep;
        if (error is null)
        {
            keep = response.Finish();
        }
        else if (response.IsCommitted)
        {
            // Bytes of this response are out: the only honest signal left is to cut the connection.
            Log.Error(error, "Handler for {Request} failed after the response started; aborting the connection", request);
            EndExchangeMetrics(exchange, response.StatusCode);
            AbortStartedResponse();
            return;
        }
        else
        {
            // A handler that failed before sending anything gets a 500 and the connection lives on, as in Kestrel and
            // Akka HTTP (its unread body is drained as after any response). A malformed or oversized body
            // (HttpProtocolException) leaves a stream that cannot be trusted: its status, then close.
            var status = error is HttpProtocolException p ? p.StatusCode : 500;
            // A handler actor's crash was logged by its supervisor (ActorHandler.FailRequest): one line per failure.
            if (error is ActorHandler.HandlerActorCrashedException) { if (DebugLevel) Log.Debug("Handler actor crashed on {Request}: {Cause}", request, error.InnerException?.Message); }
            else if (status == 500) Log.Error(error, "Handler for {Request} failed", request);
            response.Discard();
            keep = AnswerError(exchange, status, status == 500 ? "the handler failed" : "the request body was malformed or too large", keepable: status == 500);
            End(exchange, status, keep);
            return;
        }

        // An expect-continue body that was never asked for may or may not follow: the stream is ambiguous.
        if (request.Head.ExpectsContinue && !body.ReadStarted && request.ContentLength != 0) keep = false;
        if (exchange.MustClose || _shuttingDown) keep = false;
        End(exchange, response.StatusCode, keep);
    }

    // The exchange is over and its response handed to the writer: metrics, the request's log line, and the next
    // request or the close.
    private void End(Exchange exchange, int status, bool keep)
    {
        var request = exchange.Request;
        DisarmRequestDeadline();
        EndExchangeMetrics(exchange, status);
        if (DebugEnabled)
            Log.Debug("{Method} {Target} {Status} {Bytes}B {Elapsed:F3}ms", request.Method, request.RawTarget,
                status, exchange.Response.BytesWritten, Stopwatch.GetElapsedTime(exchange.Started).TotalMilliseconds);
        _current = null;
        if (!keep)
        {
            if (_shuttingDown) AnswerQueuedWhileShuttingDown();
            CloseAfterWrites();
        }
    }

    // Answers, with the server's own error response, a request whose handler sent nothing; true when the connection
    // may be kept (keepable, and nothing else asks to close).
    private bool AnswerError(Exchange exchange, int status, string reason, bool keepable)
    {
        var request = exchange.Request;
        var keep = keepable && request.Head.KeepAlive && !exchange.MustClose && !_shuttingDown
            // An expect-continue body that was never asked for may or may not follow: the stream is ambiguous.
            && !(request.Head.ExpectsContinue && !request.BodyState.ReadStarted && request.ContentLength != 0);
        SendError(status, reason, close: !keep, http10: request.Version == HttpProtocolVersion.Http10);
        return keep;
    }

    // A request's deadline passed (request-timeout). Re-checked here: the notice may be stale (the request ended, or a
    // later one re-armed the deadline, after the heartbeat saw it). A response that started and still grows is left to
    // stream (Akka HTTP's request-timeout ends when the response starts): the check comes back one request-timeout
    // later, and a body that did not grow in between is a stalled handler.
    private void OnHandlerDeadlinePassed()
    {
        if (_current is not { } exchange || _deadline == 0) return;
        var now = Stopwatch.GetTimestamp();
        if (now < _deadline) return;
        var timeout = _settings.RequestTimeout;
        var response = exchange.Response;
        if (response.IsCommitted && response.BytesWritten > _writtenAtDeadline)
        {
            _writtenAtDeadline = response.BytesWritten;
            _deadline = ConnectionDeadlines.Entry.After(now, timeout);
            _deadlines.ArmHandler(_deadline);
            return;
        }

        GiveUp(exchange, response.IsCommitted
            ? $"wrote nothing for {timeout.TotalSeconds:0.###}s (request-timeout)"
            : $"did not answer within {timeout.TotalSeconds:0.###}s (request-timeout)");
    }

    // A started response that cannot be finished: the connection stops, and no queued request starts in the meantime.
    // Its handler would write straight to the socket (a direct send), and its response would follow the cut one's bytes
    // on the wire, looking like the rest of that body (seen: a pipelined request answered after a failed chunked body).
    private void AbortStartedResponse()
    {
        _current = null;
        _closing = true;
        Context.Stop(Self);
    }

    private void DisarmRequestDeadline()
    {
        if (_deadline == 0) return;
        _deadline = 0;
        _deadlines.DisarmHandler();
    }

    // A watched handler actor stopped: the request waiting on it (if any) will never be answered. Terminated of an
    // actor no request waits on (an earlier route's) is ignored.
    private void OnHandlerTerminated(Terminated terminated)
    {
        if (_current is { AwaitedActor: { } actor } exchange && actor.Equals(terminated.ActorRef))
            GiveUp(exchange, "stopped");
    }

    // The connection stops waiting for a request's handler (delegate or actor) and answers 503 itself (Akka HTTP's
    // request-timeout answer), if the handler has not started its response; it cancels the request's Aborted token and
    // keeps serving, and a late answer is dropped and counted (OnActorReply, OnHandlerCompleted). The handler may still
    // be running: TryAbandon makes its later writes fail rather than reach the socket. If its response had started,
    // only closing the connection is left: the client sees a truncated body rather than a hang.
    private void GiveUp(Exchange exchange, string why)
    {
        var request = exchange.Request;
        var handler = exchange.AwaitedActor is { } actor ? $"Handler actor {actor.Path}" : $"Handler of {request.Pattern}";
        exchange.AwaitedActor = null;
        DisarmRequestDeadline();
        request.TimeOut();
        if (!exchange.Response.TryAbandon())
        {
            Log.Warning("{Handler} {Why} for {Request} after its response started; closing the connection", handler, why, request);
            EndExchangeMetrics(exchange, exchange.Response.StatusCode);
            AbortStartedResponse();
            return;
        }

        Log.Warning("{Handler} {Why} for {Request}; answered 503", handler, why, request);
        // Not Discard: the handler may still be writing into the buffer on its thread; it is left to the collector.
        request.BodyState.CompleteReading();
        End(exchange, 503, AnswerError(exchange, 503, $"the handler {why}", keepable: true));
        if (_current is null) StartNext();
    }

    // Graceful shutdown answers every request already received but not started with 503, in order,
    // so that a pipelining client learns which ones to retry elsewhere.
    private void AnswerQueuedWhileShuttingDown()
    {
        while (_pending.TryDequeue(out var queued))
        {
            if (queued is RequestReceived r) r.Body.CompleteReading();
            SendError(503, "the server is shutting down");
        }
    }

    // Answers a request the server refused itself (400, 408, 413, 414, 431, 501, 505, 503, 500),
    // closing unless told otherwise: after a framing error the rest of the stream cannot be trusted.
    private void SendError(int status, string reason, bool close = true, bool http10 = false)
    {
        var message = new Net.PooledBufferWriter(256);
        ErrorResponse.Write(message, status, reason, close, http10);
        var (buffer, count) = message.Detach();
        // Sent directly when nothing is ahead of it, as a finished response is: a connection refused before any
        // response (a slowloris one's 408) then closes without ever making its writer.
        _lane.SendOrEnqueue(buffer, count);
        if (DebugEnabled) Log.Debug("Answered {Status}: {Reason}", status, reason);
    }

    // A bad head is answered in its turn (the requests before it still get their responses). A bad
    // body is not answered again: its handler's read failed and that answers it (400, or an abort
    // when the response had started); the input is over either way.
    private void OnRejected(RequestRejected rejected)
    {
        if (!rejected.Error.IsBodyError())
        {
            Enqueue(rejected);
            return;
        }

        _inputEnded = true;
        if (_current is null && _pending.Count == 0) CloseAfterWrites();
    }

    private void OnPeerClosed(PeerClosed closed)
    {
        _inputEnded = true;
        // Go cancels a request's context when its client goes away; handlers waiting on something
        // slow learn of it through ServerRequest.Aborted.
        if (_current is not null) _flags.Abort();
        if (!closed.CleanBoundary && closed.Error != SocketError.Success)
        {
            // Reset or failed socket: nothing more can be sent either.
            Context.Stop(Self);
            return;
        }

        // A clean end: answer what was already received, then close.
        if (_current is null && _pending.Count == 0) CloseAfterWrites();
    }

    private void OnShutdown()
    {
        _shuttingDown = true;
        _flags.ShuttingDown = true;
        if (_current is null) StartNext();
        if (_current is null) CloseAfterWrites();
    }

    private void BecomeIdle()
    {
        Publish(ConnectionState.Idle);
        _lastActivity = Stopwatch.GetTimestamp();
        if (_settings.IdleTimeout > TimeSpan.Zero) _deadlines.ArmIdle(_settings.IdleTimeout);
    }

    // Re-checked here: the notice may be stale (a request started, or ended and re-armed, after the heartbeat
    // saw the deadline); a re-armed deadline is in the entry and will be reported again when it passes.
    private void OnIdleDeadlinePassed()
    {
        if (_closing || _current is not null || _pending.Count > 0 || _settings.IdleTimeout <= TimeSpan.Zero) return;
        if (Stopwatch.GetElapsedTime(_lastActivity) >= _settings.IdleTimeout) CloseAfterWrites();
    }

    private void CloseAfterWrites()
    {
        if (_closing) return;
        _closing = true;
        while (_pending.TryDequeue(out var p))
            if (p is RequestReceived r) r.Body.CompleteReading();
        _deadlines.DisarmIdle();
        Context.Become(Closing);
        if (_writer is null && _lane.IsQuiet)
        {
            // Every response went out directly and all of it is in the kernel's buffer: no writer
            // is needed to send the FIN. (Stopping stops the reader too: telling it to suspend first
            // would only make a dead letter.)
            _lane.ShutdownSend();
            Context.Stop(Self);
            return;
        }

        _reader.Tell(ConnectionReader.SuspendReading.Instance, Self);
        _lane.TellWriter(ConnectionWriter.CloseWhenDone.Instance);
    }

    private void OnForWriter(ForWriter forWriter)
    {
        if (_writer is null)
        {
            // A static factory, as for the reader: a closure would stay in the writer's props while it lives.
            _writer = Context.ActorOf(StateProps.Create(static (ServerConnection c) => new ConnectionWriter(c._socket, c._lane, c._epoll, c._stream), this,
                _childDispatcher, CompactMailbox.Id), "writer");
            _lane.WriterCreated(_writer);
        }

        _writer.Tell(forWriter.Message, ActorRefs.NoSender);
        _lane.Forwarded();
    }


    private void EndExchangeMetrics(Exchange exchange, int status)
    {
        ServerMetrics.ActiveRequests.Add(-1);
        // The tags cost a few allocations per request: build them only when someone listens.
        if (!ServerMetrics.RequestDuration.Enabled) return;
        var request = exchange.Request;
        ServerMetrics.RequestDuration.Record(Stopwatch.GetElapsedTime(exchange.Started).TotalSeconds,
            ServerMetrics.RequestTags(request.Method, status, request.Pattern, request.Version == HttpProtocolVersion.Http11 ? "1.1" : "1.0", https: _tls is not null));
    }

    // A keep-alive connection changes state twice per request: the event is made only when the
    // settings ask for it (publish-connection-states), and none is kept, since every idle
    // connection would carry them.
    private void Publish(ConnectionState state)
    {
        if (_settings.PublishConnectionStates) Context.System.EventStream.Publish(new ConnectionStateChanged(Self, _remote, state));
    }
}
