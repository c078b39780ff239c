using ActorHttp.Client;
using ActorHttp.Client.Connection;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Stage;

namespace ActorHttp.Streams;

/// <summary>
/// The source stage behind the <c>DataBytes</c> views of bodies (<see cref="ClientResponseStreams.DataBytes"/>,
/// <see cref="ServerStreams.DataBytes"/>): a body stream read one element per pull, so demand reaches the socket. Nothing
/// is read while downstream is not pulling; the connection then stops reading once its body buffer is full, and TCP flow
/// control holds the peer back.
/// </summary>
/// <remarks>
/// <para><b>Ownership.</b> The stage owns the body from materialization on: it reads it to the end (then <c>onEnd</c>), or
/// gives it up (then <c>onAbort</c>) when cancelled by downstream or stopped by its materializer. For a client response,
/// giving up closes the connection instead of draining it (as Akka HTTP closes the connection of a cancelled entity
/// stream): whoever cancels a stream midway rarely wants the rest paid for.</para>
/// <para>A read error (a reset, a malformed chunk, the subscription timeout) fails the stream with the body's own
/// exception: for a client, the connection's typed <see cref="HttpClientException"/>.</para>
/// </remarks>
internal sealed class BodySource : GraphStage<SourceShape<ByteString>>
{
    // The largest element: 64 KiB, under the large-object heap's 85,000 bytes (an element is an array of its own; a larger
    // one would be allocated in the large-object heap, and collected only with gen 2). An element holds only the bytes
    // read (a copy of that size), never the whole buffer.
    private const int ReadSize = 64 * 1024;

    private readonly Stream _body;
    private readonly Action? _onEnd;
    private readonly Action? _onAbort;

    /// <summary>A source of <paramref name="body"/>; <paramref name="onEnd"/> runs after its last byte, <paramref name="onAbort"/> when it is given up.</summary>
    public BodySource(Stream body, Action? onEnd, Action? onAbort)
    {
        _body = body;
        _onEnd = onEnd;
        _onAbort = onAbort;
        Shape = new SourceShape<ByteString>(Out);
    }

    public Outlet<ByteString> Out { get; } = new("Body.out");

    public override SourceShape<ByteString> Shape { get; }

    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("body");

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : OutGraphStageLogic
    {
        private readonly BodySource _stage;
        private readonly Stream _body;
        // The read buffer of any other body stream; a connection's body (ReadNowOrNotify) needs none, and a download
        // materializes a source per response, so it is not made for nothing.
        private byte[]? _buffer;
        // Cancels a read still pending when downstream cancels, so that it does not complete into a stopped stage.
        private readonly CancellationTokenSource _stop = new();
        private Action<Task<int>>? _onReadCompleted;
        private Action? _onReady;
        private BodyState _state;

        public Logic(BodySource stage) : base(stage.Shape)
        {
            _stage = stage;
            _body = stage._body;
            SetHandler(stage.Out, this);
        }

        private enum BodyState
        {
            /// <summary>Owned by the stage and not read to its end.</summary>
            Open,
            /// <summary>Read to its end.</summary>
            Ended,
            /// <summary>A read failed: the body has gone with the error.</summary>
            Failed,
        }

        public override void PreStart()
        {
            if (_body is ResponseBodyStream) _onReady = GetAsyncCallback(OnPull);
            else
            {
                _onReadCompleted = GetAsyncCallback<Task<int>>(ReadCompleted);
                _buffer = new byte[ReadSize];
            }
        }

        public override void OnPull()
        {
            if (_body is ResponseBodyStream connectionBody)
            {
                PullConnectionBody(connectionBody);
                return;
            }
            ValueTask<int> read;
            try
            {
                read = _body.ReadAsync(_buffer!, _stop.Token);
            }
            catch (Exception e)
            {
                Failed(e);
                return;
            }
            if (read.IsCompletedSuccessfully) Deliver(read.Result);
            else read.AsTask().ContinueWith(_onReadCompleted!, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        public override void OnDownstreamFinish(Exception cause)
        {
            _stop.Cancel();
            base.OnDownstreamFinish(cause);
        }

        public override void PostStop()
        {
            if (_state == BodyState.Open) _stage._onAbort?.Invoke();
            _stop.Dispose();
        }

        // A client connection's body: read without the Stream view's thread-pool hop (a wake-up is one post to this stage's
        // actor) and copied once, into the element's own array.
        private void PullConnectionBody(ResponseBodyStream body)
        {
            ByteString? bytes;
            try
            {
                bytes = body.ReadNowOrNotify(ReadSize, _onReady!, _stop.Token);
            }
            catch (Exception e)
            {
                Failed(e);
                return;
            }
            if (bytes is null) return;   // _onReady pulls again
            if (bytes.IsEmpty)
            {
                Deliver(0);
                return;
            }
            Push(_stage.Out, bytes);
        }

        private void ReadCompleted(Task<int> read)
        {
            if (read.IsCompletedSuccessfully) Deliver(read.Result);
            else Failed(read.Exception?.InnerException ?? new OperationCanceledException("The body read was cancelled."));
        }

        private void Deliver(int n)
        {
            if (n == 0)
            {
                _state = BodyState.Ended;
                _stage._onEnd?.Invoke();
                CompleteStage();
                return;
            }
            Push(_stage.Out, ByteString.CopyFrom(_buffer!, 0, n));
        }

        private void Failed(Exception error)
        {
            _state = BodyState.Failed;
            FailStage(error);
        }
    }
}
