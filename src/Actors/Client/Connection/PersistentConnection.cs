using System.Buffers;
using System.IO.Pipelines;
using ActorHttp.Client.Settings;
using ActorHttp.Client.Transport;
using ActorHttp.Dispatch;
using ActorHttp.Protocol;
using Akka.Actor;

namespace ActorHttp.Client.Connection;

/// <summary>
/// One persistent HTTP/1.1 connection to one server (Go's <c>persistConn</c>): it dials (TCP, then TLS for
/// https), reports to its host pool, and then runs one exchange at a time — it writes the request head itself,
/// the <see cref="ConnectionWriter"/> child writes the body and the <see cref="ConnectionReader"/> child reads the
/// response — and streams
/// the response body to the caller through a pipe. Its parent is a <see cref="HostPoolActor"/>.
/// </summary>
/// <remarks>
/// <para><b>States.</b> Dialing → Idle ⇄ (AwaitingHead → ReadingBody) → stopped, or AwaitingHead → Upgraded →
/// stopped after a 101 (Switching Protocols) that the request asked for; stopping is the only way out,
/// so Closing is not a state. Writing runs beside AwaitingHead and ReadingBody (a server may answer before it has
/// read the body), so its progress is a <see cref="WritePhase"/>, not a state; draining an abandoned body is
/// ReadingBody with the bytes thrown away.</para>
/// <para><b>Reuse.</b> The connection reports <see cref="HostPoolActor.ExchangeFinished"/> with reusable = true only
/// when the response body went through to its end (or was drained within the bounds after the caller gave up),
/// the request was written whole, both sides allow keep-alive, and no stray byte followed the response. A response
/// that ends while the body is still being written waits (bounded) for the write's outcome (see FinishExchange).
/// Any failure stops it: a half-read byte stream is never reused and never restarted.</para>
/// <para><b>Watching while idle.</b> A (zero-byte) read stays outstanding while idle, so a server that closes an
/// idle connection (or sends anything unasked) stops the actor at once and the pool forgets it.</para>
/// <para><b>Order of news.</b> At the end of a response the pool is told the connection is free before the caller
/// can see the end of the body (or, for a bodiless response, the response itself), so the caller's next request
/// finds the connection idle instead of dialing another.</para>
/// <para><b>Bytes.</b> What carries them is a <see cref="ConnectionTransport"/>: a plain-HTTP connection with the default dialer
/// is a non-blocking socket on one of ActorHttp's event loops, and this actor, its children and its pool run on that loop's
/// thread (<see cref="SocketTransport"/>, <see cref="SocketDial"/>, <see cref="PoolPlacement"/>); TLS, proxy tunnels and custom
/// dialers are a stream on Akka's default dispatcher (<see cref="StreamTransport"/>, <see cref="StreamDial"/>). The exchange logic
/// here is the same for both.</para>
/// <para><b>Ownership.</b> Everything here is owned by this actor; the transport is shared with the two children,
/// which only ever read (reader, one read outstanding at a time, see EnsureReading) or write (writer) it. Writes
/// take turns: this actor writes the head, the writer the body after it (see WriteHead).</para>
/// </remarks>
public sealed partial class PersistentConnection : ReceiveActor, IWithTimers
{
    /// <summary>Command from the pool: run this exchange. The response (or nothing) goes to <paramref name="ReplyTo"/>;
    /// failures before the response go to the pool (which may retry).</summary>
    /// <remarks><paramref name="StartTimestamp"/> is the <see cref="System.Diagnostics.Stopwatch"/> timestamp of the request's arrival, for the request-duration metric.</remarks>
    public sealed record Exchange(long Id, ClientRequest Request, IActorRef ReplyTo, bool Reused, long StartTimestamp);

    /// <summary>Command from the pool: the caller of exchange <paramref name="Id"/> gave up; fail it and close.</summary>
    public sealed record Abort(long Id);

    private sealed record Dialed(ConnectionTransport Transport);

    private sealed class DialTimedOut
    {
        public static readonly DialTimedOut Instance = new();
        private DialTimedOut() { }
    }

    private sealed record DialFaulted(HttpClientException Error);

    private sealed record FlushCompleted(long ExchangeId, bool ReaderGone, Exception? Error);

    private sealed record BodyAbandoned(long ExchangeId);

    private sealed record TimedOut(long ExchangeId, ClientErrorKind Kind);

    private sealed record ContinueTimedOut(long ExchangeId);

    private sealed record UpgradeClosed(long ExchangeId);

    private sealed record WriteWaitTimedOut(long ExchangeId);

    private sealed record SubscriptionTimedOut(long ExchangeId);

    private sealed class TimerKey(string name, int bit)
    {
        public int Bit { get; } = bit;

        public override string ToString() => name;
    }

    /// <summary>How far the request of the current exchange has been written.</summary>
    private enum WritePhase
    {
        /// <summary>The head (and an inline body) is being written.</summary>
        Head,

        /// <summary>The head is written; the body waits for 100 Continue or the expect-continue timeout.</summary>
        AwaitingContinue,

        /// <summary>The body is being written.</summary>
        Body,

        /// <summary>The request is on the wire.</summary>
        Done,

        /// <summary>The body will never be sent (a final response came while waiting for 100 Continue).</summary>
        Skipped,

        /// <summary>The body's write failed, or did not finish in time, after the response had ended: only reuse is lost.</summary>
        Unfinished,
    }

    // The exchange in progress; all of it owned by this actor.
    private sealed class ExchangeState(Exchange exchange)
    {
        public Exchange Exchange { get; } = exchange;
        public ClientRequest Request => Exchange.Request;
        public long Id => Exchange.Id;
        public RequestMethod Method { get; init; }
        public RequestHeadBuilder.BodyPlan Plan { get; set; }
        public WritePhase Write { get; set; }
        public bool BodyStarted { get; set; }
        public bool ExpectContinue { get; set; }
        public bool GotResponseByte { get; set; }
        public bool Settled { get; set; }
        public List<int>? Informational { get; set; }
        public ResponseHead? Head { get; set; }
        public BodyDecoder? Decoder { get; set; }
        public Pipe? Pipe { get; set; }
        // The caller's end of Pipe, which the subscription timeout may expire while nobody has claimed it.
        public ResponseBodyStream? BodyStream { get; set; }
        public bool FlushPending { get; set; }
        public bool Draining { get; set; }
        public long Drained { get; set; }
        public bool BodyDone { get; set; }
        // A bodiless response held back until the pool knows the connection is free.
        public ClientResponse? PendingReply { get; set; }
        // A 101 that came while the request was still being written: handed over once it is written.
        public ResponseHead? PendingUpgrade { get; set; }
    }

    private const int ReadBufferSize = 16 * 1024;
    // A body's reads (once its pipe exists) are larger: each read of a download wakes its reader once (a thread-pool hop,
    // about ten microseconds of CPU), so bytes per read are what a download's CPU per MB turns on. 256 KiB reads took the
    // hops from ten per MB (16 KiB reads) to four (bench/Streams --nginx); a head, or a small body, still rents 16 KiB.
    private const int BodyReadBufferSize = 256 * 1024;
    // The end of every exchange cancels four timers, most of them never started: a cancel is skipped unless its timer was started
    // (each key has a bit in _armed), and keys are objects hashed by reference, not strings. String keys and blind cancels cost a
    // string hash and a lookup each, measured at 1-2 % of a keep-alive request's CPU on the event loop.
    private static readonly TimerKey HeaderTimerKey = new("response-header", 1);
    private static readonly TimerKey ContinueTimerKey = new("expect-continue", 2);
    private static readonly TimerKey DrainTimerKey = new("drain", 4);
    private static readonly TimerKey WriteWaitTimerKey = new("write-wait", 8);
    private static readonly TimerKey DialTimerKey = new("dial", 16);
    private static readonly TimerKey SubscriptionTimerKey = new("entity-subscription", 32);

    private readonly ConnectionKey _key;
    private readonly HostSettings _settings;
    private readonly TransportOptions _options;
    private readonly HttpParserLimits _limits;
    private readonly ResponseHeadParser _parser;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly IActorRef _pool;
    private readonly ClientRequest? _dialFor;
    private readonly HostLoop? _loop;

    // The dial of a socket on the loop (null on the stream path, and once dialed).
    private SocketDial? _dial;
    private ConnectionTransport? _transport;
    private IActorRef? _reader;
    private IActorRef? _writer;

    // Received bytes not consumed yet: [_start, _end) of _buffer. _buffer is a read's rented buffer (then _bufferRented,
    // and it goes back to the pool when replaced or at the stop), or one grown here for a head longer than a read.
    private byte[] _buffer = [];
    private bool _bufferRented;
    private int _start, _end;
    private bool _readPending;
    private bool _peerClosed;

    private ExchangeState? _ex;

    // The timers started and maybe not yet cancelled (TimerKey.Bit); a timer that fired keeps its bit until cancelled.
    private int _armed;

    // The states after dialing, made once.
    private readonly Receive _idle, _awaitingHead, _readingBody, _upgraded;

    // The bytes of the current request's head (and inline body); read by the writer until HeadWritten.
    private readonly ArrayBufferWriter<byte> _head = new(512);

    /// <summary>A connection for <paramref name="key"/>; it starts dialing at once.</summary>
    /// <param name="key">The server.</param>
    /// <param name="settings">The host's settings.</param>
    /// <param name="options">The transport's seams.</param>
    /// <param name="limits">Response parsing limits.</param>
    /// <param name="dialFor">The request whose arrival started this dial: dial and TLS trace events go to its trace too.</param>
    /// <param name="loop">The event loop this connection runs on, with its reader and writer, over a socket registered there
    /// (see <see cref="SocketTransport"/>); null: a stream (TLS, tunnels, custom dialers) on the dispatcher of the props.</param>
    internal PersistentConnection(ConnectionKey key, HostSettings settings, TransportOptions options, HttpParserLimits limits, ClientRequest? dialFor,
        HostLoop? loop)
    {
        _dialFor = dialFor;
        _loop = loop;
        _key = key;
        _settings = settings;
        _options = options;
        _limits = limits;
        _parser = new ResponseHeadParser(limits);
        _pool = Context.Parent;
        _idle = Idle;
        _awaitingHead = AwaitingHead;
        _readingBody = ReadingBody;
        _upgraded = Upgraded;
        Dialing();
    }

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props for a connection over a stream from <paramref name="options"/>' dialer, on the default dispatcher; its supervisor
    /// must stop, never restart, it.</summary>
    public static Props Props(ConnectionKey key, HostSettings settings, TransportOptions options, HttpParserLimits limits, ClientRequest? dialFor = null) =>
        Props(key, settings, options, limits, dialFor, null);

    /// <summary>Props for a connection: on <paramref name="loop"/> over a socket registered there, or (null) over a stream on the
    /// default dispatcher. Connection actors use the compact mailbox: an idle keep-alive connection is mostly its three actors.</summary>
    internal static Props Props(ConnectionKey key, HostSettings settings, TransportOptions options, HttpParserLimits limits, ClientRequest? dialFor,
        HostLoop? loop)
        => StateProps.Create(static s => new PersistentConnection(s.key, s.settings, s.options, s.limits, s.dialFor, s.loop),
            (key, settings, options, limits, dialFor, loop), loop?.DispatcherId, CompactMailbox.Id);

    /// <inheritdoc />
    protected override SupervisorStrategy SupervisorStrategy() => Akka.Actor.SupervisorStrategy.StoppingStrategy;

    /// <inheritdoc />
    protected override void PreStart()
    {
        if (_loop is null)
        {
            var raise = DialTrace(Context.System, _dialFor);
            StreamDial.DialAsync(_key, _settings, _options, _limits, raise, _lifetime.Token).PipeTo(Self,
                success: r => r.Transport is { } t ? new Dialed(t) : new DialFaulted(r.Error!),
                failure: e => new DialFaulted(new HttpClientException(ClientErrorKind.Dial, $"Connecting to {_key.DialHostPort} failed: {e.Message}", innerException: e)));
            return;
        }
        RaiseDial(new DialStart(_key.DialHostPort));
        _dial = new SocketDial(_loop.Loops, _loop.Index, _key.Proxy?.Host ?? _key.Host, _key.Proxy?.Port ?? _key.Port, Self);
        if (_settings.DialTimeout > TimeSpan.Zero) StartTimer(DialTimerKey, DialTimedOut.Instance, _settings.DialTimeout);
        _dial.Start(_lifetime.Token);
        AfterSocketDialStep();
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        _lifetime.Cancel();
        if (_ex is { } ex)
        {
            // Stopped mid-exchange (drain over its bounds, the pool closing, a fault): whoever waits hears of it.
            var error = new HttpClientException(ClientErrorKind.ConnectionClosed, "The connection was closed during the exchange.",
                ex.Request, WrittenAnything(ex));
            // Unsettled here means the pool is stopping us (the transport shuts down) or a fault: the caller is
            // answered directly, since a stopping pool would not pass the failure on.
            if (!ex.Settled)
            {
                ex.Exchange.ReplyTo.Tell(new Status.Failure(error), Self);
                // The pool records a failure it passes on; this one it does not see.
                _options.Metrics?.RequestStopped(ex.Request.Method, _key.Endpoint, null, error.Kind,
                    System.Diagnostics.Stopwatch.GetElapsedTime(ex.Exchange.StartTimestamp));
            }
            _pool.Tell(new HostPoolActor.ExchangeFinished(ex.Id, Reusable: false), Self);
            if (ex.PendingReply is { } reply) ex.Exchange.ReplyTo.Tell(reply, Self);
            ex.Pipe?.Writer.Complete(error);
        }
        _dial?.Dispose();
        _transport?.Dispose();
        if (_bufferRented) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _bufferRented = false;
    }

    // ---- STATES ---------------------------------------------------------------------------------

    private void Dialing()
    {
        Receive<Dialed>(m => OnDialed(m.Transport));
        Receive<DialFaulted>(m => OnDialFaulted(m.Error));
        // The socket path's dial (see SocketDial), in this actor's turns.
        Receive<SocketDial.Resolved>(m =>
        {
            _dial?.OnResolved(m);
            AfterSocketDialStep();
        });
        Receive<SocketDial.ConnectCompleted>(_ =>
        {
            _dial?.OnConnectCompleted();
            AfterSocketDialStep();
        });
        Receive<DialTimedOut>(_ =>
        {
            if (_dial is null) return;
            _dial.Dispose();
            _dial = null;
            var error = new HttpClientException(ClientErrorKind.DialTimeout, $"Connecting to {_key.DialHostPort} took longer than {_settings.DialTimeout}.");
            RaiseDial(new DialDone(_key.DialHostPort, null, error));
            OnDialFaulted(error);
        });
    }

    private void OnDialed(ConnectionTransport transport)
    {
        _transport = transport;
        // The children share this actor's dispatcher (its loop, on the socket path) and mailbox.
        var dispatcher = Context.Props.Dispatcher;
        _reader = Context.ActorOf(StateProps.Create(static (ConnectionTransport t) => new ConnectionReader(t, ReadBufferSize, BodyReadBufferSize), transport,
            dispatcher, CompactMailbox.Id), "reader");
        _writer = Context.ActorOf(StateProps.Create(static (ConnectionTransport t) => new ConnectionWriter(t), transport,
            dispatcher, CompactMailbox.Id), "writer");
        _pool.Tell(HostPoolActor.ConnDialed.Instance, Self);
        BecomeIdle();
    }

    private void OnDialFaulted(HttpClientException error)
    {
        _pool.Tell(new HostPoolActor.ConnDialFailed(error), Self);
        Context.Stop(Self);
    }

    // After a step of the socket dial: when it is over, the outcome goes the way the stream dial's does (Dialed / DialFaulted).
    private void AfterSocketDialStep()
    {
        if (_dial is not { IsDone: true } dial) return;
        _dial = null;
        CancelTimer(DialTimerKey);
        if (dial.Transport is { } transport)
        {
            RaiseDial(new DialDone(_key.DialHostPort, dial.RemoteEndPoint?.ToString(), null));
            OnDialed(transport);
            return;
        }
        var cause = dial.Error!;
        var error = new HttpClientException(ClientErrorKind.Dial, $"Connecting to {_key.DialHostPort} failed: {cause.Message}", innerException: cause);
        RaiseDial(new DialDone(_key.DialHostPort, null, error));
        OnDialFaulted(error);
    }

    // The states after dialing are switched on every exchange, so each is one method made into a delegate once
    // (below, in the constructor): building a state's handler table anew per switch cost kilobytes per request.
    private void BecomeIdle()
    {
        Context.Become(_idle);
        // An idle connection holds no read buffer (there can be thousands of them): the last read's goes back to the pool.
        if (_bufferRented && _start == _end)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
            _bufferRented = false;
            _start = _end = 0;
        }
        EnsureReading(idle: true);
    }

    private bool Idle(object message)
    {
        switch (message)
        {
            case Exchange m:
                Start(m);
                return true;
            // Anything from the server while no request is out is either its close or a protocol breach.
            case ConnectionReader.Received m:
                ArrayPool<byte>.Shared.Return(m.Buffer);
                Context.Stop(Self);
                return true;
            case ConnectionReader.PeerClosed or ConnectionReader.ReadFailed:
                Context.Stop(Self);
                return true;
            default:
                return StaleExchangeMessage(message);
        }
    }

    private bool AwaitingHead(object message)
    {
        switch (message)
        {
            case ConnectionReader.Received m:
                Append(m);
                if (!_ex!.GotResponseByte)
                {
                    _ex.GotResponseByte = true;
                    Trace(GotFirstResponseByte.Instance);
                }
                ParseHead();
                return true;
            case ConnectionReader.PeerClosed:
                _readPending = false;
                _peerClosed = true;
                FailExchange(ClientErrorKind.ConnectionClosed, "The server closed the connection before sending a response.");
                return true;
            case ConnectionReader.ReadFailed m:
                _readPending = false;
                FailExchange(ClientErrorKind.ConnectionReset, $"Reading the response failed: {m.Cause.Message}", m.Cause);
                return true;
            case ContinueTimedOut m:
                if (m.ExchangeId == _ex!.Id && _ex.Write == WritePhase.AwaitingContinue) SendBody(_ex);
                return true;
            default:
                return WriterMessage(message) || CommonExchangeMessage(message);
        }
    }

    private bool ReadingBody(object message)
    {
        switch (message)
        {
            case ConnectionReader.Received m:
                Append(m);
                PumpBody();
                return true;
            case ConnectionReader.PeerClosed:
                _readPending = false;
                _peerClosed = true;
                PumpBody();
                return true;
            case ConnectionReader.ReadFailed m:
                _readPending = false;
                FailBody(new HttpClientException(ClientErrorKind.ConnectionReset,
                    $"Reading the response body failed: {m.Cause.Message}", _ex!.Request, true, m.Cause));
                return true;
            case FlushCompleted m:
                if (m.ExchangeId != _ex!.Id) return true;
                _ex.FlushPending = false;
                if (m.ReaderGone) BeginDrain();
                else PumpBody();
                return true;
            case BodyAbandoned m:
                if (m.ExchangeId == _ex!.Id && !_ex.BodyDone) BeginDrain();
                return true;
            case ContinueTimedOut:
                return true;
            case WriteWaitTimedOut m:
                if (m.ExchangeId == _ex?.Id && _ex.Write == WritePhase.Body) AbandonWrite(_ex);
                return true;
            case SubscriptionTimedOut m:
                ExpireUnclaimedBody(m.ExchangeId);
                return true;
            default:
                return WriterMessage(message) || CommonExchangeMessage(message);
        }
    }

    // Akka HTTP's response-entity-subscription-timeout (akka/akka-http #1580): a body nobody has begun to read
    // holds this connection, and with it a slot of the pool, for as long as the caller forgets it. Past the
    // bound the body fails with a named error (the caller sees it on its first read) and the connection closes:
    // its unread bytes make it unusable for anyone else, and draining them for a caller who is gone is waste.
    private void ExpireUnclaimedBody(long exchangeId)
    {
        if (_ex is not { BodyDone: false, BodyStream: { } body } ex || ex.Id != exchangeId) return;
        var error = new HttpClientException(ClientErrorKind.ResponseEntitySubscriptionTimeout,
            $"Nobody began reading the response body within {_settings.ResponseEntitySubscriptionTimeout} (response-entity-subscription-timeout).",
            ex.Request, requestWritten: true);
        if (body.TryExpire(error)) FailBody(error);
    }

    // The caller owns the connection's bytes (a 101 was handed over); no read is outstanding, so only the
    // stream's disposal, the caller giving up, or late news of the exchange can arrive.
    private bool Upgraded(object message)
    {
        switch (message)
        {
            case UpgradeClosed:
                Context.Stop(Self);
                return true;
            case Abort m:
                if (m.Id == _ex?.Id) Context.Stop(Self);
                return true;
            default:
                return StaleExchangeMessage(message);
        }
    }

    // Messages about an exchange that is over arrive late sometimes (a dispose after the end, a timer that fired as it was cancelled).
    private static bool StaleExchangeMessage(object message) =>
        message is BodyAbandoned or FlushCompleted or TimedOut or ContinueTimedOut or WriteWaitTimedOut or SubscriptionTimedOut or Abort;

    private bool CommonExchangeMessage(object message)
    {
        switch (message)
        {
            case TimedOut m:
            {
                if (_ex is not { } ex || m.ExchangeId != ex.Id) return true;
                var error = new HttpClientException(m.Kind, m.Kind == ClientErrorKind.ResponseHeaderTimeout
                    ? $"No response head within {_settings.ResponseHeaderTimeout} of writing the request."
                    : $"The response body could not be drained within {_settings.ResponseDrainTimeout}.", ex.Request, requestWritten: true);
                if (ex.Head is null) FailExchange(error, retryable: false);
                else FailBody(error);
                return true;
            }
            case Abort m:
            {
                if (_ex is not { } ex || m.Id != ex.Id) return true;
                // Settled already: the response went to a caller that had given up, so nobody will read its body.
                if (ex.Settled)
                {
                    Context.Stop(Self);
                    return true;
                }
                FailExchange(new HttpClientException(ClientErrorKind.Canceled, "The request was cancelled.", ex.Request, WrittenAnything(ex)), retryable: false);
                return true;
            }
            default:
                return false;
        }
    }

    private bool WriterMessage(object message)
    {
        switch (message)
        {
            case ConnectionWriter.HeadWritten:
                HeadWritten(_ex!);
                return true;
            case ConnectionWriter.BodyWritten:
                _ex!.Write = WritePhase.Done;
                AfterWrite(_ex);
                return true;
            case ConnectionWriter.WriteFailed m:
                WriteFailed(_ex!, m);
                return true;
            default:
                return false;
        }
    }

    private void HeadWritten(ExchangeState ex)
    {
        Trace(WroteHeaders.Instance);
        switch (ex.Plan)
        {
            case RequestHeadBuilder.BodyPlan.Length or RequestHeadBuilder.BodyPlan.Chunked when ex.Write == WritePhase.Head:
                if (ex.Head is { StatusCode: >= 200 })
                {
                    ex.Write = WritePhase.Skipped;
                    AfterWrite(ex);
                }
                else if (ExpectsContinue(ex))
                {
                    ex.Write = WritePhase.AwaitingContinue;
                    StartTimer(ContinueTimerKey, new ContinueTimedOut(ex.Id), _settings.ExpectContinueTimeout);
                }
                else
                {
                    SendBody(ex);
                }
                break;
            default:
                ex.Write = WritePhase.Done;
                AfterWrite(ex);
                break;
        }
    }

    private void WriteFailed(ExchangeState ex, ConnectionWriter.WriteFailed m)
    {
        var kind = m.Cause is HttpClientException { Kind: ClientErrorKind.RequestContent } || (m.InBody && m.Cause is not IOException)
            ? ClientErrorKind.RequestContent : ClientErrorKind.ConnectionReset;
        var error = new HttpClientException(kind, $"Writing the request failed: {m.Cause.Message}", ex.Request, WrittenAnything(ex), m.Cause);
        Trace(new WroteRequest(error));
        if (ex.Head is null) FailExchange(error, retryable: kind == ClientErrorKind.ConnectionReset && Retryable(ex, error, writerDone: true));
        else if (ex.BodyDone) AbandonWrite(ex); // the response is whole; only reuse is lost
        else FailBody(error);
    }

    // ---- THE EXCHANGE ---------------------------------------------------------------------------

    private void Start(Exchange exchange)
    {
        var request = exchange.Request;
        var ex = new ExchangeState(exchange) { Method = MethodOf(request.Method) };
        _ex = ex;
        _parser.Reset();
        // One head buffer per connection: the previous head's write has completed before an exchange ends.
        var head = _head;
        head.ResetWrittenCount();
        try
        {
            ex.Plan = RequestHeadBuilder.Write(request, head, _settings.DisableKeepAlives,
                _settings.ExpectContinueTimeout > TimeSpan.Zero, out var expectContinue, _key.ForwardProxy);
            ex.ExpectContinue = expectContinue;
            if (request.Content is { } content && content.HasStarted && content.IsReplayable) content.Rewind();
            if (ex.Plan == RequestHeadBuilder.BodyPlan.Inline)
            {
                var bytes = ((ByteArrayRequestContent)request.Content!).Bytes;
                head.Write(bytes.Span);
                ex.BodyStarted = true;
            }
        }
        catch (HttpClientException e)
        {
            FailExchange(e, retryable: false);
            return;
        }
        Context.Become(_awaitingHead);
        // Bytes that came with the previous response's end belong to no request: a broken server (checked
        // before writing, so the request is not sent down a connection already known to be broken).
        if (_end > _start)
        {
            FailExchange(ClientErrorKind.MalformedResponse, "The server sent bytes before the request.");
            return;
        }
        EnsureReading();
        WriteHead(ex, head.WrittenMemory);
    }

    // The connection writes the head itself rather than through its writer, which saves two hops (there
    // and back) on every request. This is safe because the writer is idle whenever an exchange starts: a
    // connection is reused only after its previous request was written whole (Write == Done), and a body
    // is told to the writer only after HeadWritten, so at most one write is ever in flight. A head that fits
    // the socket's buffer is written within this call (no thread waits); one that must wait reports the same
    // HeadWritten / WriteFailed the writer would (see ConnectionTransport.WriteHead), and nothing else is
    // written until it does. Streamed bodies, with their back-pressure, stay the writer's.
    private void WriteHead(ExchangeState ex, ReadOnlyMemory<byte> bytes)
    {
        if (_transport!.WriteHead(bytes, Self, _writer!, _lifetime.Token)) HeadWritten(ex);
    }

    private static bool ExpectsContinue(ExchangeState ex) => ex.ExpectContinue && ex.Request.Content is not null;

    private void SendBody(ExchangeState ex)
    {
        CancelTimer(ContinueTimerKey);
        ex.Write = WritePhase.Body;
        ex.BodyStarted = true;
        _writer!.Tell(new ConnectionWriter.WriteBody(ex.Request.Content!, ex.Plan == RequestHeadBuilder.BodyPlan.Chunked));
    }

    private void AfterWrite(ExchangeState ex)
    {
        if (ex.Write == WritePhase.Done) Trace(WroteRequest.Success);
        if (ex.PendingUpgrade is { } upgrade)
        {
            HandOverUpgraded(ex, upgrade);
            return;
        }
        if (ex.Head is null && _settings.ResponseHeaderTimeout > TimeSpan.Zero)
            StartTimer(HeaderTimerKey, new TimedOut(ex.Id, ClientErrorKind.ResponseHeaderTimeout), _settings.ResponseHeaderTimeout);
        if (ex.BodyDone) FinishExchange();
    }

    // The response is complete: the connection goes back to the pool if the whole exchange allows it.
    private void FinishExchange()
    {
        var ex = _ex!;
        if (ex.Write == WritePhase.Head) return; // the head's write is still completing; AfterWrite finishes
        CancelTimer(HeaderTimerKey);
        CancelTimer(ContinueTimerKey);
        CancelTimer(DrainTimerKey);
        CancelTimer(SubscriptionTimerKey);
        var keepAlive = !_settings.DisableKeepAlives && ex.Head!.KeepAlive && !_peerClosed && _end == _start && !AsksToClose(ex.Request);
        if (keepAlive && ex.Write == WritePhase.Body && _settings.ResponseDrainTimeout > TimeSpan.Zero)
        {
            // The server answered before the body was all on the wire (it answers as soon as it has the head, or
            // it is just fast). As Go's persistConn does (wroteRequest), wait for the write's outcome, bounded,
            // and reuse the connection if the body went out whole; BodyWritten comes back here through AfterWrite.
            // The caller hears the end meanwhile only if the wait fails (same order of news as below), so its
            // next request finds this connection idle. The bound is response-drain.timeout: like draining, this
            // is time spent after the response to keep the connection reusable, and its 0 means "close at once".
            // A request body the caller writes only after seeing the response's end waits out the bound, then
            // its connection is closed: nothing hangs.
            StartTimer(WriteWaitTimerKey, new WriteWaitTimedOut(ex.Id), _settings.ResponseDrainTimeout);
            return;
        }
        CancelTimer(WriteWaitTimerKey);
        var reusable = ex.Write == WritePhase.Done && keepAlive;
        _ex = null;
        _pool.Tell(new HostPoolActor.ExchangeFinished(ex.Id, reusable), Self);
        // Only now may the caller see the end: its next request then finds this connection idle.
        if (ex.PendingReply is { } reply) ex.Exchange.ReplyTo.Tell(reply, Self);
        ex.Pipe?.Writer.Complete();
        if (reusable) BecomeIdle();
        else Context.Stop(Self);
    }

    // The response is whole but the request's body will not be: the exchange ends, the connection with it.
    private void AbandonWrite(ExchangeState ex)
    {
        ex.Write = WritePhase.Unfinished;
        FinishExchange();
    }

    private void FailExchange(ClientErrorKind kind, string message, Exception? cause = null)
    {
        var ex = _ex!;
        var error = new HttpClientException(kind, message, ex.Request, WrittenAnything(ex), cause);
        FailExchange(error, Retryable(ex, error));
    }

    // Before the response: the pool hears of it (and may retry); the connection is done either way.
    private void FailExchange(HttpClientException error, bool retryable)
    {
        var ex = _ex!;
        if (!ex.Settled) Settle(ex, error, retryable);
        _ex = null;
        Context.Stop(Self);
    }

    // After the response head: the caller hears of it through the body stream.
    private void FailBody(HttpClientException error)
    {
        var ex = _ex!;
        ex.Pipe?.Writer.Complete(error);
        _ex = null;
        _pool.Tell(new HostPoolActor.ExchangeFinished(ex.Id, Reusable: false), Self);
        Context.Stop(Self);
    }

    private void Settle(ExchangeState ex, HttpClientException error, bool retryable)
    {
        ex.Settled = true;
        _pool.Tell(new HostPoolActor.ExchangeFailed(ex.Id, error, retryable), Self);
    }

    // Go's shouldRetryRequest (transport.go), for a connection that failed before any response byte: only a reused
    // connection (so a retry that gets a fresh dial ends the pool's retry loop), only a request that may be sent again
    // (idempotent or keyed, its body replayable), and then both the server's close (errServerClosedIdle, our
    // ConnectionClosed) and any other failure of the connection (transportReadFromServerError, a write error: our
    // ConnectionReset) are retried, whether or not the request had gone out whole: the server answered nothing of it.
    // The backend-closes-idle fault found keyed POSTs not retried after a reset because their inline body counted as
    // "begun", a rule Go does not have. One case stays out: a body still being copied by this connection's writer
    // (writerDone false while Write is Body) cannot be rewound for another connection until that copy stops.
    private static bool Retryable(ExchangeState ex, HttpClientException error, bool writerDone = false) =>
        ex.Exchange.Reused && !ex.GotResponseByte && ex.Request.IsIdempotent && ex.Request.IsReplayable
        && error.Kind is ClientErrorKind.ConnectionClosed or ClientErrorKind.ConnectionReset
        && (ex.Write != WritePhase.Body || writerDone);

    // The caller's own "Connection: close" ends the connection after this exchange, whatever the server says.
    private static bool AsksToClose(ClientRequest request) => request.Headers.HasToken("Connection", "close");

    private static bool WrittenAnything(ExchangeState ex) => ex.Write != WritePhase.Head || ex.BodyStarted;

    // ---- DIAL -----------------------------------------------------------------------------------

    // ---- HELPERS --------------------------------------------------------------------------------

    private void StartTimer(TimerKey key, object message, TimeSpan delay)
    {
        _armed |= key.Bit;
        Timers.StartSingleTimer(key, message, delay);
    }

    private void CancelTimer(TimerKey key)
    {
        if ((_armed & key.Bit) == 0) return;
        _armed &= ~key.Bit;
        Timers.Cancel(key);
    }

    // Dial and TLS events go to the trace of the request whose arrival started the dial, or only to the event stream.
    private static Action<ClientTraceEvent> DialTrace(ActorSystem system, ClientRequest? dialFor) => dialFor is not null
        ? e => ClientTracing.Raise(system, dialFor, e)
        : e => system.EventStream.Publish(e);

    private void RaiseDial(ClientTraceEvent traceEvent)
    {
        if (_dialFor is not null) ClientTracing.Raise(Context.System, _dialFor, traceEvent);
        else Context.System.EventStream.Publish(traceEvent);
    }

    private void Trace(ClientTraceEvent traceEvent)
    {
        if (_ex is { } ex) ClientTracing.Raise(Context.System, ex.Request, traceEvent);
    }

    private static RequestMethod MethodOf(string method) => method switch
    {
        "GET" => RequestMethod.Get,
        "HEAD" => RequestMethod.Head,
        "POST" => RequestMethod.Post,
        "PUT" => RequestMethod.Put,
        "DELETE" => RequestMethod.Delete,
        "CONNECT" => RequestMethod.Connect,
        "OPTIONS" => RequestMethod.Options,
        "TRACE" => RequestMethod.Trace,
        "PATCH" => RequestMethod.Patch,
        _ => RequestMethod.Other,
    };
}
