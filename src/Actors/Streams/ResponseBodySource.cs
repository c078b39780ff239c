using ActorHttp.Client;
using ActorHttp.Client.Connection;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Stage;

namespace ActorHttp.Streams;

/// <summary>
/// The source stage behind <see cref="ClientResponseStreams.DataBytes"/>: a response body read one element per pull,
/// so demand reaches the socket. Nothing is read while downstream is not pulling; the connection then stops reading
/// once its body pipe is full (its pause threshold), and TCP flow control holds the server back.
/// </summary>
/// <remarks>
/// <para><b>Ownership.</b> The stage owns the response's body from materialization on: it reads it to the end
/// (releasing the connection), or gives it up. Cancelled by downstream before the end, or stopped by its materializer,
/// it aborts the body, which closes the connection instead of draining it (as Akka HTTP closes the connection of a
/// cancelled entity stream): whoever cancels a stream midway rarely wants the rest paid for.</para>
/// <para>A read error (a reset, a malformed chunk, the subscription timeout) fails the stream with the body's own
/// exception: the connection's typed <see cref="HttpClientException"/>.</para>
/// </remarks>
internal sealed class ResponseBodySource : GraphStage<SourceShape<ByteString>>
{
    // The largest element: 64 KiB is the connection's body pipe threshold, so one read can take all that is buffered.
    // An element holds only the bytes read (a copy of that size), never the whole buffer.
    private const int ReadSize = 64 * 1024;

    private readonly ClientResponse _response;

    public ResponseBodySource(ClientResponse response)
    {
        _response = response;
        Shape = new SourceShape<ByteString>(Out);
    }

    public Outlet<ByteString> Out { get; } = new("ResponseBody.out");

    public override SourceShape<ByteString> Shape { get; }

    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("responseBody");

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    /// <summary>Gives up a body before its end: a connection's body closes its connection, any other stream is disposed.</summary>
    internal static void Abort(ClientResponse response)
    {
        if (response.Body is ResponseBodyStream body) body.Abort();
        else response.Dispose();
    }

    private sealed class Logic : OutGraphStageLogic
    {
        private readonly ResponseBodySource _stage;
        private readonly Stream _body;
        private readonly byte[] _buffer = new byte[ReadSize];
        // Cancels a read still pending when downstream cancels, so that it does not complete into a stopped stage.
        private readonly CancellationTokenSource _stop = new();
        private Action<Task<int>>? _onReadCompleted;
        private BodyState _state;

        public Logic(ResponseBodySource stage) : base(stage.Shape)
        {
            _stage = stage;
            _body = stage._response.Body;
            SetHandler(stage.Out, this);
        }

        private enum BodyState
        {
            /// <summary>Owned by the stage and not read to its end.</summary>
            Open,
            /// <summary>Read to its end: the connection is released.</summary>
            Ended,
            /// <summary>A read failed: the connection has gone with the error.</summary>
            Failed,
        }

        public override void PreStart() => _onReadCompleted = GetAsyncCallback<Task<int>>(ReadCompleted);

        public override void OnPull()
        {
            ValueTask<int> read;
            try
            {
                read = _body.ReadAsync(_buffer, _stop.Token);
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
            if (_state == BodyState.Open) Abort(_stage._response);
            _stop.Dispose();
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
                _stage._response.Dispose(); // read to the end: releases nothing more, but completes the view
                CompleteStage();
                return;
            }
            Push(_stage.Out, ByteString.CopyFrom(_buffer, 0, n));
        }

        private void Failed(Exception error)
        {
            _state = BodyState.Failed;
            FailStage(error);
        }
    }
}
