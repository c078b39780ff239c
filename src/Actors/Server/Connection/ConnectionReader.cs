using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using ActorHttp.Dispatch;
using ActorHttp.Net;
using ActorHttp.Net.Epoll;
using ActorHttp.Protocol;
using Akka.Actor;
using Akka.Event;

namespace ActorHttp.Server.Connection;

/// <summary>
/// The reading half of a server connection (Go's <c>conn.readRequest</c> loop, as an actor): it
/// owns the socket's receive side, parses request heads, feeds request bodies into their pipes,
/// and reports each request to its parent <see cref="ServerConnection"/> in arrival order.
/// </summary>
/// <remarks>
/// It keeps reading ahead while a handler runs, so pipelined requests are parsed as they come and a
/// client's close is seen at once; the parent bounds that with <see cref="SuspendReading"/>.
/// A request body is read only as fast as its handler drains it (the pipe pauses the flush).
///
/// Memory: while nothing is buffered the reader holds no buffer. It returns the buffer to the pool
/// and waits with a zero-byte receive (Kestrel's WaitForDataBeforeAllocatingBuffer), so an idle
/// keep-alive connection costs no receive buffer. The zero-byte receive completes at once when
/// data is already there (a pipelined request), so waiting this way costs no extra system call:
/// one recv that finds nothing and registers for readiness, one that reads. (Trying a
/// non-blocking read with the old buffer first, as this reader once did, was a third recv per
/// request that almost always found nothing.)
/// </remarks>
internal sealed class ConnectionReader : ActorBase
{
    // Props per dispatcher, shared by every connection's reader there: a reader gets its connection's state from
    // Start, not from its props, which Akka keeps for the actor's life (80 B per idle connection otherwise).
    private static readonly ConcurrentDictionary<string, Props> s_props = new();

    /// <summary>
    /// The first message, from the connection that made this reader (Akka.IO's <c>Register</c>, the other way
    /// round): the socket to read and what reading it needs. The connection keeps owning the socket.
    /// </summary>
    /// <remarks><paramref name="Stream"/>: a TLS connection's authenticated stream, read instead of the socket; null for plain HTTP.</remarks>
    public sealed record Start(Socket Socket, ServerSettings Settings, ConnectionDeadlines.Entry Deadlines, EpollSocket? Epoll, Stream? Stream = null);

    // The commands may reach a reader that already stopped (the peer closed): no dead-letter log line for them.

    /// <summary>Stop reading the socket after the current head (the pipelining queue is full).</summary>
    public sealed class SuspendReading : IDeadLetterSuppression
    {
        public static readonly SuspendReading Instance = new();
        private SuspendReading() { }
    }

    /// <summary>Resume reading after <see cref="SuspendReading"/>.</summary>
    public sealed class ResumeReading : IDeadLetterSuppression
    {
        public static readonly ResumeReading Instance = new();
        private ResumeReading() { }
    }

    /// <summary>
    /// The listener's heartbeat saw the header deadline pass (<see cref="ConnectionDeadlines"/>), told to the
    /// connection, which forwards it here; it may be stale.
    /// </summary>
    public sealed class HeaderDeadlinePassed : IDeadLetterSuppression
    {
        public static readonly HeaderDeadlinePassed Instance = new();
        private HeaderDeadlinePassed() { }
    }

    // A receive that waited has finished; the result is in the SocketReceiver.
    private sealed class ReceiveCompleted : IDeadLetterSuppression
    {
        public static readonly ReceiveCompleted Instance = new();
        private ReceiveCompleted() { }
    }

    private sealed record BodyFlushed(bool ConsumerGone) : IDeadLetterSuppression;

    // Once a second while a body is being read: is the client sending fast enough? The scheduler's own timer, not
    // IWithTimers (a TimerScheduler costs about 230 B per actor, kept by every idle connection); a cancelled timer's
    // message may already be in the mailbox, so each carries the number of the arming it belongs to, and a message
    // of an earlier arming is ignored. (The header timeout is the listener's heartbeat: see ConnectionDeadlines.)
    private sealed record BodyRateCheck(long Arming) : IDeadLetterSuppression;

    private enum ReadState
    {
        /// <summary>Parsing the next request head.</summary>
        Head,
        /// <summary>Decoding a request body into its pipe.</summary>
        Body,
        /// <summary>Nothing more will be read: the peer closed, the input was rejected, or the parent said so.</summary>
        Stopped,
    }

    private readonly IActorRef _connection;

    // Set by Start, the first message, and not changed after.
    private Socket _socket = null!;
    private ServerSettings _settings = null!;
    private ConnectionDeadlines.Entry _deadlines = null!;   // the connection's; this actor writes the header deadline
    private RequestHeadParser _parser = null!;
    private ISocketReceiver _receiver = null!;

    // All fields below are owned by this actor.
    private ReadState _state = ReadState.Head;
    private byte[]? _buffer;          // rented from ArrayPool<byte>.Shared; null while idle
    private byte[]? _spill;           // a partial head's bytes while a receive waits without _buffer (SpillHead)
    private int _start;               // first unconsumed byte
    private int _end;                 // end of received bytes
    private bool _receiving;          // a receive is in flight (at most one)
    private bool _zeroByteReceive;    // the receive in flight waits for data without a buffer
    private bool _dataReady;          // a zero-byte receive just completed: the next receive reads
    private bool _suspended;
    private bool _headTimerArmed;
    private bool _bodyDiscarding;     // the handler is done; remaining body bytes are discarded
    private long _bodyDrained;
    private bool _flushPending;
    private BodyDecoder? _decoder;
    private RequestBody? _body;
    private long _bodyBytesReceived;  // body bytes decoded so far, for the minimum data rate
    private long _headArmedAt;        // when the header deadline was armed, while _headTimerArmed
    private long _rateArming;         // the body rate check's arming (a count), while _rateTimer is set
    private ICancelable? _rateTimer;
    private int _bodyWaitSeconds;     // rate checks during which the reader was waiting on the client

    private ConnectionReader()
    {
        _connection = Context.Parent;
    }

    /// <summary>Props of a reader on <paramref name="dispatcher"/> (the socket's loop, or the handler dispatcher); tell it <see cref="Start"/> first.</summary>
    public static Props PropsOn(string dispatcher) =>
        s_props.GetOrAdd(dispatcher, static d => StateProps.Create(static (object? _) => new ConnectionReader(), null, d, CompactMailbox.Id));

    // One switch rather than Receive<T> registrations, which would keep a delegate and a handler
    // object per message type in every connection's reader, idle or not. Its read states are
    // ReadState, below.
    protected override bool Receive(object message)
    {
        switch (message)
        {
            case Start start: OnStart(start); return true;
            case ReceiveCompleted: OnReceiveCompleted(); return true;
            case BodyFlushed f: OnBodyFlushed(f); return true;
            case SuspendReading: _suspended = true; return true;
            case ResumeReading:
                _suspended = false;
                if (!_receiving) Pump();
                return true;
            case HeaderDeadlinePassed: if (HeaderDeadlineHasPassed) OnHeaderTimeout(); return true;
            case BodyRateCheck c: if (_rateTimer is not null && c.Arming == _rateArming) OnBodyRateCheck(); return true;
            default: return false;
        }
    }

    private void OnStart(Start start)
    {
        _socket = start.Socket;
        _settings = start.Settings;
        _deadlines = start.Deadlines;
        _parser = new RequestHeadParser(_settings.Parsing);
        _receiver = start.Stream is not null ? new StreamReceiver(start.Stream, Self, ReceiveCompleted.Instance)
            : start.Epoll is null ? new SocketReceiver(Self, ReceiveCompleted.Instance)
            : new EpollReceiver(start.Epoll, Self, ReceiveCompleted.Instance);
        // A connection's first request must arrive within the header timeout (slowloris guard);
        // later requests are bounded by the parent's idle timeout until their first byte.
        ArmHeaderTimer();
        Pump();
    }

    protected override void PostStop()
    {
        CancelHeaderTimer();
        // Cancelled so that the scheduler lets go of this actor now, not when the timer would have fired.
        StopRateChecks();
        ReleaseBuffer();
        _body?.Writer?.Complete(new IOException("The connection was closed before the request body was complete."));
        _receiver?.Dispose();   // null when it stopped before Start
    }

    // The read loop. Runs inside the actor's turn; returns when it must wait for the socket, for
    // the handler to drain a body, or for the parent to resume.
    private void Pump()
    {
        while (_state != ReadState.Stopped)
        {
            if (_state == ReadState.Head)
            {
                if (_end > _start && TryParseHead()) continue;
                if (_state != ReadState.Head || _suspended) return;
            }
            else
            {
                if (_flushPending) return;
                // A Content-Length body reports its end on the call after its last byte: decode then
                // too, or the reader would wait for bytes that are not coming.
                if ((_end > _start || _decoder!.IsComplete) && TryDecodeBody()) continue;
                if (_state != ReadState.Body || _flushPending) return;
            }

            if (!StartReceive(out var bytes, out var error)) return;   // waits for ReceiveCompleted
            if (!TakeReceiveResult(bytes, error)) return;
        }
    }

    // Parses a head from the buffer. True when it consumed one (the loop goes on); false when it
    // needs more bytes or stopped.
    private bool TryParseHead()
    {
        var result = _parser.Parse(new ReadOnlySequence<byte>(_buffer!, _start, _end - _start));
        switch (result.Status)
        {
            case ParseStatus.Complete:
                _start += (int)result.BytesConsumed;
                _parser.Reset();
                CancelHeaderTimer();
                OnHead(result.Head!);
                return true;

            case ParseStatus.Rejected:
                Stop(new ServerConnection.RequestRejected(result.Error));
                return false;

            default:
                // A partial head: from now on the header timeout applies.
                ArmHeaderTimer();
                return false;
        }
    }

    private void OnHead(RequestHead head)
    {
        if (!head.Framing.HasBody)
        {
            _connection.Tell(new ServerConnection.RequestReceived(head, RequestBody.None), Self);
            return;
        }

        _body = new RequestBody(_settings.RequestBodyBufferSize);
        _decoder = BodyDecoder.For(head, _settings.Parsing);
        _bodyDiscarding = false;
        _bodyDrained = 0;
        _bodyBytesReceived = 0;
        _bodyWaitSeconds = 0;
        _state = ReadState.Body;
        if (_settings.RequestBodyMinDataRate > 0) StartRateChecks();
        _connection.Tell(new ServerConnection.RequestReceived(head, _body), Self);
    }

    // Decodes body bytes from the buffer into the body pipe. True when the loop should go on
    // without receiving (progress was made); false when it needs bytes, waits for a flush, or stopped.
    private bool TryDecodeBody()
    {
        var input = _buffer is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(_buffer, _start, _end - _start);
        var result = _decoder!.Decode(input);
        _start += (int)result.BytesConsumed;
        switch (result.Status)
        {
            case BodyDecodeStatus.Data:
                WriteBody(result.Data);
                return !_flushPending && _state == ReadState.Body;

            case BodyDecodeStatus.End:
                StopRateChecks();
                _body!.Trailers = _decoder.Trailers;
                _body.Writer!.Complete();
                _body = null;
                _decoder = null;
                _state = ReadState.Head;
                return true;

            case BodyDecodeStatus.Rejected:
                _body!.Writer!.Complete(new HttpProtocolException(result.Error));
                _body = null;
                Stop(new ServerConnection.RequestRejected(result.Error));
                return false;

            default:
                return result.BytesConsumed > 0;
        }
    }

    private void WriteBody(ReadOnlySequence<byte> data)
    {
        _bodyBytesReceived += data.Length;
        if (_bodyDiscarding)
        {
            DiscardBody(data.Length);
            return;
        }

        var writer = _body!.Writer!;
        foreach (var segment in data) writer.Write(segment.Span);
        var flush = writer.FlushAsync();
        if (flush.IsCompleted)
        {
            if (flush.Result.IsCompleted) StartDiscarding();
            return;
        }

        // The handler is behind: stop reading until it has drained half the pipe.
        _flushPending = true;
        flush.AsTask().PipeTo(Self, success: r => new BodyFlushed(r.IsCompleted), failure: _ => new BodyFlushed(true));
    }

    private void OnBodyFlushed(BodyFlushed flushed)
    {
        _flushPending = false;
        if (flushed.ConsumerGone) StartDiscarding();
        if (!_receiving) Pump();
    }

    // The handler finished without reading the whole body (Go: the rest is read and discarded, up to
    // maxPostHandlerReadBytes, so that the connection can be reused).
    private void StartDiscarding()
    {
        if (_bodyDiscarding) return;
        _bodyDiscarding = true;
        _body?.Writer?.Complete();
    }

    private void DiscardBody(long count)
    {
        _bodyDrained += count;
        if (_settings.RequestBodyMaxDrain > 0 && _bodyDrained > _settings.RequestBodyMaxDrain)
            Stop(ServerConnection.DrainLimitExceeded.Instance);
    }

    // Starts a receive. True when it completed synchronously, with its result in the out values;
    // false when it waits (the result comes as ReceiveCompleted).
    private bool StartReceive(out int bytes, out SocketError error)
    {
        // Nothing buffered: give the buffer back before waiting, so that an idle connection holds
        // none; but not right after a zero-byte receive said data is there: the real receive comes
        // now (a zero-byte receive also completes at the peer's FIN, and only a real one sees it).
        // Part of a head buffered: keep just those bytes while waiting for the rest (see SpillHead).
        if (_buffer is not null && !_dataReady)
        {
            if (_end == _start) ReleaseBuffer();
            else if (_state == ReadState.Head) SpillHead();
        }
        _dataReady = false;

        _receiving = true;
        bool done;
        if (_buffer is null)
        {
            _zeroByteReceive = true;
            done = _receiver.Receive(_socket, Memory<byte>.Empty);
        }
        else
        {
            MakeRoom();
            _zeroByteReceive = false;
            done = _receiver.Receive(_socket, _buffer.AsMemory(_end));
        }

        bytes = done ? _receiver.BytesTransferred : 0;
        error = done ? _receiver.SocketError : SocketError.Success;
        return done;
    }

    private void OnReceiveCompleted()
    {
        if (TakeReceiveResult(_receiver.BytesTransferred, _receiver.SocketError)) Pump();
    }

    // Applies a finished receive. False when reading is over (the peer closed or failed).
    private bool TakeReceiveResult(int bytes, SocketError error)
    {
        _receiving = false;
        if (error != SocketError.Success)
        {
            Stop(new ServerConnection.PeerClosed(error, CleanBoundary: false));
            return false;
        }

        if (_zeroByteReceive)
        {
            // Data is there now (or the peer closed): rent, and the loop reads it.
            _zeroByteReceive = false;
            _dataReady = true;
            _buffer = ArrayPool<byte>.Shared.Rent(_settings.ReceiveBufferSize);
            _start = _end = 0;
            if (_spill is not null)
            {
                // Not larger than the buffer it came from, which the head limits bounded (MakeRoom).
                if (_spill.Length > _buffer.Length)
                {
                    ArrayPool<byte>.Shared.Return(_buffer);
                    _buffer = ArrayPool<byte>.Shared.Rent(_spill.Length * 2);
                }

                _spill.CopyTo(_buffer, 0);
                _end = _spill.Length;
                _spill = null;
            }
            return true;
        }

        if (bytes == 0)
        {
            // The peer closed its side. Between requests that is the normal end of a keep-alive
            // connection; inside a head or body it is a truncated request.
            var clean = _state == ReadState.Head && _end == _start;
            if (_state == ReadState.Body)
                _body?.Writer?.Complete(new HttpProtocolException(ProtocolError.TruncatedBody));
            Stop(new ServerConnection.PeerClosed(SocketError.Success, clean));
            return false;
        }

        _end += bytes;
        return true;
    }

    // Ensures free space after _end: compacts, then grows up to the head limits. A head larger than
    // the limits is rejected by the parser before the buffer would have to grow past them.
    private void MakeRoom()
    {
        if (_end < _buffer!.Length) return;
        var used = _end - _start;
        if (_start > 0 && used < _buffer.Length / 2)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, used);
            _start = 0;
            _end = used;
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
        Buffer.BlockCopy(_buffer, _start, bigger, 0, used);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
        _start = 0;
        _end = used;
    }

    // A head that arrives slowly (a slowloris client, one byte a second) waits with only its own bytes, copied out of
    // the rented buffer, which goes back to the pool; the wait is a zero-byte receive, as an idle connection's. Held
    // across the wait, a receive buffer per slow connection was most of what a gen0 collection had to promote under a
    // thousand of them (bench/Faults slowloris); the copy costs a head that comes in pieces one small array per piece.
    private void SpillHead()
    {
        _spill = _buffer.AsSpan(_start, _end - _start).ToArray();
        ArrayPool<byte>.Shared.Return(_buffer!);
        _buffer = null;
        _start = _end = 0;
    }

    private void ReleaseBuffer()
    {
        if (_buffer is null || _receiving) return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = null;
        _start = _end = 0;
    }

    private void ArmHeaderTimer()
    {
        if (_headTimerArmed || _settings.HeaderReadTimeout <= TimeSpan.Zero) return;
        _headTimerArmed = true;
        _headArmedAt = Stopwatch.GetTimestamp();
        _deadlines.ArmHeader(_settings.HeaderReadTimeout);
    }

    private void CancelHeaderTimer()
    {
        if (!_headTimerArmed) return;
        _headTimerArmed = false;
        _deadlines.DisarmHeader();
    }

    // A notice from the heartbeat is stale when the deadline was disarmed, or disarmed and armed again, since.
    private bool HeaderDeadlineHasPassed => _headTimerArmed && Stopwatch.GetElapsedTime(_headArmedAt) >= _settings.HeaderReadTimeout;

    private void StartRateChecks()
    {
        StopRateChecks();
        _rateArming++;
        var second = TimeSpan.FromSeconds(1);
        _rateTimer = Context.System.Scheduler.ScheduleTellRepeatedlyCancelable(second, second, Self, new BodyRateCheck(_rateArming), Self);
    }

    private void StopRateChecks()
    {
        _rateTimer?.Cancel();
        _rateTimer = null;
    }

    private void OnHeaderTimeout()
    {
        _headTimerArmed = false;
        if (_state != ReadState.Head) return;
        // Bytes of a head arrived but not all of it: 408. Nothing at all: a silent close, as
        // Kestrel and Go do for a connection that never spoke.
        if (_end > _start || _spill is not null)
            Stop(new ServerConnection.RequestRejected(ProtocolError.RequestHeadersTimeout));
        else
            Stop(new ServerConnection.PeerClosed(SocketError.TimedOut, CleanBoundary: true));
    }

    // Kestrel's MinRequestBodyDataRate: after the grace period, the body must have arrived at the
    // minimum average rate. Only seconds spent waiting on the client count: while the handler is
    // behind (the pipe is full) the client is not to blame. Discarded bodies are not checked.
    private void OnBodyRateCheck()
    {
        if (_state != ReadState.Body || _bodyDiscarding)
        {
            StopRateChecks();
            return;
        }

        if (_flushPending) return;
        _bodyWaitSeconds++;
        if (_bodyWaitSeconds <= _settings.RequestBodyMinDataRateGracePeriod.TotalSeconds) return;
        if (_bodyBytesReceived >= _settings.RequestBodyMinDataRate * _bodyWaitSeconds) return;

        StopRateChecks();
        _body?.Writer?.Complete(new HttpProtocolException(ProtocolError.RequestBodyTimeout));
        _body = null;
        Stop(new ServerConnection.RequestRejected(ProtocolError.RequestBodyTimeout));
    }

    private void Stop(object report)
    {
        _state = ReadState.Stopped;
        CancelHeaderTimer();
        StopRateChecks();
        _connection.Tell(report, Self);
    }
}
