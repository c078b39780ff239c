using System.Buffers;
using System.IO.Pipelines;
using ActorHttp.Client.Settings;
using ActorHttp.Client.Transport;
using ActorHttp.Dispatch;
using ActorHttp.Protocol;
using Akka.Actor;

namespace ActorHttp.Client.Connection;

// The response side of the exchange: its head parsed and delivered (or a 101 handed over), its body pumped from the
// socket into the caller's pipe, the drain of a body the caller gave up, and the received bytes' buffer (reads asked
// for, appended, compacted). The states and the exchange's start and end are in PersistentConnection.cs.
public sealed partial class PersistentConnection
{
    private void ParseHead()
    {
        var ex = _ex!;
        while (true)
        {
            var input = new ReadOnlySequence<byte>(_buffer, _start, _end - _start);
            var result = _parser.Parse(input, ex.Method);
            switch (result.Status)
            {
                case ParseStatus.NeedMoreData:
                    EnsureReading();
                    return;
                case ParseStatus.Rejected:
                    var kind = result.Error is ProtocolError.ResponseHeaderSectionTooLarge or ProtocolError.StatusLineTooLong
                        ? ClientErrorKind.ResponseHeadersTooLarge : ClientErrorKind.MalformedResponse;
                    FailExchange(kind, $"The response head was rejected: {result.Error}.");
                    return;
            }
            _start += (int)result.BytesConsumed;
            var head = result.Head!;
            if (head.IsInformational)
            {
                if (head.StatusCode == 101)
                {
                    SwitchProtocols(ex, head);
                    return;
                }
                (ex.Informational ??= new List<int>(1)).Add(head.StatusCode);
                Trace(new Got1xxResponse(head.StatusCode, head.Headers));
                if (head.StatusCode == 100 && ex.Write == WritePhase.AwaitingContinue) SendBody(ex);
                continue;
            }
            DeliverResponse(ex, head);
            return;
        }
    }

    // The body pipe. A read is written as one segment of its size (see PumpBody), not a string of the default 4 KiB ones,
    // and the caller copies out of one. The pause threshold holds two body reads, so a flush waits only when the caller is a
    // whole read behind, not on every read. A waiting reader is woken inline, on this loop: the caller's reads hop to the thread pool
    // themselves (ResponseBodyStream.ReadAsync), and a BodySource's wake-up is only a post to its stream's actor, which saves
    // a thread-pool hop per element (two hops per element made the Source view cost 1.5-2x the Stream view's CPU per MB).
    private static readonly PipeOptions BodyPipeOptions = new(readerScheduler: PipeScheduler.Inline, minimumSegmentSize: ReadBufferSize,
        pauseWriterThreshold: 2 * BodyReadBufferSize, resumeWriterThreshold: BodyReadBufferSize, useSynchronizationContext: false);

    private void DeliverResponse(ExchangeState ex, ResponseHead head)
    {
        CancelTimer(HeaderTimerKey);
        ex.Head = head;
        if (ex.Write == WritePhase.AwaitingContinue)
        {
            // A final answer to "Expect: 100-continue": the body is not sent (RFC 9110 §10.1.1), and the
            // server may or may not still expect it, so the connection cannot be trusted afterwards.
            CancelTimer(ContinueTimerKey);
            ex.Write = WritePhase.Skipped;
        }
        Stream body;
        if (!head.Framing.HasBody)
        {
            body = Stream.Null;
            ex.BodyDone = true;
        }
        else if (head.Framing.Kind == BodyKind.ContentLength && head.Framing.ContentLength <= _end - _start
                 && head.Framing.ContentLength <= ReadBufferSize)
        {
            // The whole (small) body came with the head: hand it over as bytes, without a pipe, and the
            // connection is free before the caller even reads it.
            var length = (int)head.Framing.ContentLength;
            body = new MemoryStream(_buffer.AsSpan(_start, length).ToArray(), writable: false);
            _start += length;
            ex.BodyDone = true;
        }
        else
        {
            var decoder = BodyDecoder.For(head, _limits);
            ex.Decoder = decoder;
            ex.Pipe = new Pipe(BodyPipeOptions);
            var stream = new ResponseBodyStream(ex.Pipe.Reader, Self, new BodyAbandoned(ex.Id), new Abort(ex.Id));
            ex.BodyStream = stream;
            body = stream;
            if (_settings.ResponseEntitySubscriptionTimeout > TimeSpan.Zero)
                StartTimer(SubscriptionTimerKey, new SubscriptionTimedOut(ex.Id), _settings.ResponseEntitySubscriptionTimeout);
        }
        var response = new ClientResponse(ex.Request, head.StatusCode, head.ReasonPhrase, head.Version, head.Headers, body,
            ex.Informational, ex.Decoder is { } bodyDecoder ? TrailersOf(bodyDecoder) : null);
        ex.Settled = true;
        _options.Metrics?.RequestStopped(ex.Request.Method, _key.Endpoint, head.StatusCode, null,
            System.Diagnostics.Stopwatch.GetElapsedTime(ex.Exchange.StartTimestamp));
        Context.Become(_readingBody);
        // The pool hears that the connection is free before the caller can act on the response, so the
        // caller's next request finds it idle instead of dialing (the same order at the body's end below).
        if (ex.BodyDone)
        {
            ex.PendingReply = response;
            FinishExchange();
        }
        else
        {
            ex.Exchange.ReplyTo.Tell(response, Self);
            PumpBody();
        }
    }

    // A 101 answers only a request that asked to upgrade (RFC 9110 §7.8: Connection: upgrade and Upgrade);
    // to any other request it is a broken server. The switch takes effect once the request is written whole.
    private void SwitchProtocols(ExchangeState ex, ResponseHead head)
    {
        if (!ex.Request.Headers.HasToken("Connection", "upgrade") || !ex.Request.Headers.Contains("Upgrade"))
        {
            FailExchange(ClientErrorKind.MalformedResponse, "The server switched protocols, but the request did not ask to upgrade.");
            return;
        }
        CancelTimer(HeaderTimerKey);
        switch (ex.Write)
        {
            case WritePhase.Done:
                HandOverUpgraded(ex, head);
                break;
            case WritePhase.Head or WritePhase.Body:
                // The request's last bytes are still going out; nothing more is read meanwhile (whatever
                // follows the 101 head is the new protocol's, and stays buffered for the caller).
                ex.PendingUpgrade = head;
                break;
            default:
                FailExchange(ClientErrorKind.MalformedResponse, "The server switched protocols before the request body was sent.");
                break;
        }
    }

    // The connection becomes the caller's byte stream (Go: the Body of a 101 is the connection, read-write).
    // The exchange stays on record (and the connection in its pool's slot, out of its idle accounting) until
    // the caller disposes the stream: then this actor stops, and its end tells the pool (see PostStop).
    private void HandOverUpgraded(ExchangeState ex, ResponseHead head)
    {
        ex.PendingUpgrade = null;
        ex.Head = head;
        ex.BodyDone = true;
        ex.Settled = true;
        CancelTimer(HeaderTimerKey);
        CancelTimer(ContinueTimerKey);
        var body = new UpgradedStream(_transport!.TakeOver(), _buffer.AsSpan(_start, _end - _start), Self, new UpgradeClosed(ex.Id));
        _start = _end = 0;
        var response = new ClientResponse(ex.Request, head.StatusCode, head.ReasonPhrase, head.Version, head.Headers, body, ex.Informational);
        _options.Metrics?.RequestStopped(ex.Request.Method, _key.Endpoint, head.StatusCode, null,
            System.Diagnostics.Stopwatch.GetElapsedTime(ex.Exchange.StartTimestamp));
        Context.Become(_upgraded);
        ex.Exchange.ReplyTo.Tell(response, Self);
    }

    // A method of its own: a lambda in DeliverResponse would allocate its closure on every response, trailers or not.
    private static Func<HeaderCollection> TrailersOf(BodyDecoder decoder) => () => decoder.IsComplete ? decoder.Trailers : HeaderCollection.Empty;

    private void PumpBody()
    {
        var ex = _ex!;
        while (!ex.FlushPending && !ex.BodyDone)
        {
            var input = new ReadOnlySequence<byte>(_buffer, _start, _end - _start);
            var result = ex.Decoder!.Decode(input, isFinalBlock: _peerClosed);
            switch (result.Status)
            {
                case BodyDecodeStatus.Data:
                {
                    var length = result.Data.Length;
                    if (ex.Draining)
                    {
                        ex.Drained += length;
                        _start += (int)result.BytesConsumed;
                        if (ex.Drained > _settings.ResponseDrainMaxBytes)
                        {
                            Context.Stop(Self);
                            return;
                        }
                        continue;
                    }
                    var writer = ex.Pipe!.Writer;
                    foreach (var segment in result.Data)
                    {
                        if (segment.IsEmpty) continue;
                        // One pipe segment per read (the size asked for), not a string of minimum-size ones.
                        segment.Span.CopyTo(writer.GetSpan(segment.Length));
                        writer.Advance(segment.Length);
                    }
                    _start += (int)result.BytesConsumed;
                    var flush = writer.FlushAsync();
                    if (flush.IsCompleted)
                    {
                        if (flush.Result.IsCompleted) BeginDrain();
                        continue;
                    }
                    ex.FlushPending = true;
                    ReportFlush(flush, ex.Id);
                    return;
                }
                case BodyDecodeStatus.End:
                    _start += (int)result.BytesConsumed;
                    ex.BodyDone = true;
                    FinishExchange();
                    return;
                case BodyDecodeStatus.NeedMoreData:
                    _start += (int)result.BytesConsumed;
                    Compact();
                    EnsureReading();
                    return;
                default:
                    var kind = result.Error == ProtocolError.TruncatedBody ? ClientErrorKind.ConnectionClosed : ClientErrorKind.MalformedResponse;
                    FailBody(new HttpClientException(kind, kind == ClientErrorKind.ConnectionClosed
                        ? "The server closed the connection before the end of the response body."
                        : $"The response body was rejected: {result.Error}.", ex.Request, requestWritten: true));
                    return;
            }
        }
    }

    // A method of its own so that the lambdas' closure is made only when a flush has to wait, not per chunk.
    private void ReportFlush(ValueTask<FlushResult> flush, long id) =>
        flush.AsTask().PipeTo(Self, success: r => new FlushCompleted(id, r.IsCompleted, null), failure: e => new FlushCompleted(id, true, e));

    private void BeginDrain()
    {
        var ex = _ex!;
        if (ex.Draining)
        {
            PumpBody();
            return;
        }
        ex.Pipe!.Writer.Complete();
        if (_settings.ResponseDrainMaxBytes <= 0 || _settings.ResponseDrainTimeout <= TimeSpan.Zero || ex.Head!.Framing.Kind == BodyKind.ReadToClose)
        {
            Context.Stop(Self);
            return;
        }
        ex.Draining = true;
        StartTimer(DrainTimerKey, new TimedOut(ex.Id, ClientErrorKind.RequestTimeout), _settings.ResponseDrainTimeout);
        PumpBody();
    }

    // ---- BYTES ----------------------------------------------------------------------------------

    private void EnsureReading(bool idle = false)
    {
        if (_readPending || _peerClosed) return;
        _readPending = true;
        _reader!.Tell(idle ? ConnectionReader.Read.Idle : _ex is { Pipe: not null } ? ConnectionReader.Read.Body : ConnectionReader.Read.Now, Self);
    }

    private void Append(ConnectionReader.Received m)
    {
        _readPending = false;
        if (_start == _end)
        {
            // Nothing left over: the read's buffer becomes the connection's, instead of being copied into it (a body
            // read is most of a download's bytes, and this was one of its three copies on the loop and the caller).
            if (_bufferRented) ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = m.Buffer;
            _bufferRented = true;
            _start = 0;
            _end = m.Count;
            return;
        }
        if (_buffer.Length - _end < m.Count)
        {
            Compact();
            if (_buffer.Length - _end < m.Count)
            {
                var bigger = new byte[Math.Max(_buffer.Length * 2, _end + m.Count)];
                _buffer.AsSpan(0, _end).CopyTo(bigger);
                if (_bufferRented) ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = bigger;
                _bufferRented = false;
            }
        }
        m.Buffer.AsSpan(0, m.Count).CopyTo(_buffer.AsSpan(_end));
        _end += m.Count;
        ArrayPool<byte>.Shared.Return(m.Buffer);
    }

    private void Compact()
    {
        if (_start == 0) return;
        var length = _end - _start;
        _buffer.AsSpan(_start, length).CopyTo(_buffer);
        _start = 0;
        _end = length;
    }
}
