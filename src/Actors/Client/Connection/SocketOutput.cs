using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ActorHttp.Net.Epoll;
using Akka.Actor;
using Akka.Event;

namespace ActorHttp.Client.Connection;

/// <summary>
/// The <see cref="ConnectionOutput"/> of a <see cref="SocketTransport"/>: sends on the writer's event loop through an
/// <see cref="EpollSender"/>, one send at a time, continuing after partial sends; a send that finds the kernel's buffer full
/// parks until the loop sees the socket writable and tells the writer.
/// </summary>
/// <remarks>
/// <para><b>What it sends.</b> The rest of a head the connection began; a body held in memory (<see cref="ByteArrayRequestContent"/>),
/// straight from its bytes; any other body through a <see cref="Pipe"/>.</para>
/// <para><b>Why a pipe.</b> Copying a content runs the caller's code (a stream's reads, an <c>HttpContent</c>'s serializer), which may
/// block; on a loop that would stall every socket of it. So the copy runs on the thread pool into a pipe (framing and the length
/// check as on a stream), and the writer, on the loop, sends what the pipe holds, gathering up to <see cref="MaxGather"/> segments
/// per <c>sendmsg</c>. The pipe's pause threshold holds the copy back while the socket is slow; its writer side resumes on the thread
/// pool, never on the loop, and its reader side only tells the writer that data is there.</para>
/// </remarks>
internal sealed class SocketOutput : ConnectionOutput
{
    // Told to the writer by the loop: the parked send finished.
    private sealed class SendCompleted : IDeadLetterSuppression
    {
        public static readonly SendCompleted Instance = new();
        private SendCompleted() { }
    }

    // Told to the writer by the pipe: the body copy wrote something (or ended) while the writer waited for it.
    private sealed class BodyReady : IDeadLetterSuppression
    {
        public static readonly BodyReady Instance = new();
        private BodyReady() { }
    }

    private enum Job
    {
        /// <summary>Nothing to send.</summary>
        Idle,

        /// <summary>The rest of a head: <see cref="_rest"/>; then <see cref="ConnectionWriter.HeadWritten"/>.</summary>
        Head,

        /// <summary>A body in memory: <see cref="_rest"/>; then <see cref="ConnectionWriter.BodyWritten"/>.</summary>
        Bytes,

        /// <summary>A body copied into <see cref="_pipe"/>; then <see cref="ConnectionWriter.BodyWritten"/>.</summary>
        Pipe,
    }

    // Segments gathered into one send: 16 of the pipe's 4 KiB segments is its 64 KiB pause threshold.
    private const int MaxGather = 16;

    private readonly Socket _socket;
    private readonly IActorRef _writer;
    private readonly IActorRef _connection;
    private readonly EpollSender _sender;
    private readonly Action _onBodyReady;
    private readonly CancellationTokenSource _stopping = new();

    // All owned by the writer's turns.
    private Job _job;
    private ReadOnlyMemory<byte> _rest;            // Head, Bytes: what is left to send
    private Pipe? _pipe;                           // Pipe: the body copy's output
    private ReadOnlySequence<byte> _piped;         // Pipe: what the last read returned, the send in flight taken from its start
    private bool _pipeRead;                        // Pipe: a read returned _piped and it is not advanced past yet
    private ValueTaskAwaiter<ReadResult> _awaiter; // Pipe: the read that waits for the copy
    private List<ArraySegment<byte>>? _segments;
    private bool _sending;                         // a send is parked on the loop

    public SocketOutput(Socket socket, EpollSocket epoll, IActorRef writer, IActorRef connection)
    {
        _socket = socket;
        _writer = writer;
        _connection = connection;
        _sender = new EpollSender(epoll, writer, SendCompleted.Instance);
        _onBodyReady = () => writer.Tell(BodyReady.Instance, ActorRefs.NoSender);
    }

    /// <inheritdoc />
    public override void WriteHeadRest(ReadOnlyMemory<byte> rest)
    {
        _job = Job.Head;
        _rest = rest;
        Pump();
    }

    /// <inheritdoc />
    public override void WriteBody(RequestContent content, bool chunked)
    {
        if (content is ByteArrayRequestContent bytes && !chunked)
        {
            // No code of the caller's runs to produce these: send them as they are.
            _job = Job.Bytes;
            _rest = bytes.Bytes;
            Pump();
            return;
        }
        _job = Job.Pipe;
        _pipe = new Pipe(new PipeOptions(readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.ThreadPool,
            useSynchronizationContext: false));
        var writer = _pipe.Writer;
        var ct = _stopping.Token;
        _ = Task.Run(() => ProduceAsync(content, chunked, writer, ct), CancellationToken.None);
        Pump();
    }

    /// <inheritdoc />
    public override bool OnCompleted(object message)
    {
        switch (message)
        {
            case SendCompleted:
                _sending = false;
                if (Sent(_sender.BytesTransferred, _sender.SocketError)) Pump();
                return true;
            case BodyReady:
                if (_job != Job.Pipe) return true;
                ReadResult result;
                try
                {
                    result = _awaiter.GetResult();
                }
                catch (Exception e)
                {
                    Fail(e);
                    return true;
                }
                if (Take(result)) Pump();
                return true;
            default:
                return false;
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
        _sender.Dispose();
        EndPipe(null);
    }

    // Sends until the job is done, a send parks, or the pipe has nothing yet.
    private void Pump()
    {
        while (!_sending && _job != Job.Idle)
        {
            bool done;
            if (_job == Job.Pipe)
            {
                if (!_pipeRead && !ReadPipe()) return;
                if (_job != Job.Pipe) return;   // ended or failed
                done = SendPiped();
            }
            else if (!_rest.IsEmpty)
            {
                done = _sender.Send(_socket, _rest);
            }
            else
            {
                var finished = _job == Job.Head ? (object)ConnectionWriter.HeadWritten.Instance : ConnectionWriter.BodyWritten.Instance;
                _job = Job.Idle;
                _connection.Tell(finished, ActorRefs.NoSender);
                return;
            }
            if (!done)
            {
                _sending = true;
                return;
            }
            if (!Sent(_sender.BytesTransferred, _sender.SocketError)) return;
        }
    }

    // Accounts for a finished send. False when it failed (the connection has been told).
    private bool Sent(int bytes, SocketError error)
    {
        if (error != SocketError.Success)
        {
            Fail(SocketErrors.ToException(error, reading: false));
            return false;
        }
        if (_job == Job.Pipe)
        {
            _pipe!.Reader.AdvanceTo(_piped.GetPosition(bytes));
            _pipeRead = false;
        }
        else
        {
            _rest = _rest[bytes..];
        }
        return true;
    }

    // True when _piped holds data to send; false when the copy has not written anything yet (BodyReady will come), or the
    // body ended or failed (the job is over).
    private bool ReadPipe()
    {
        var reader = _pipe!.Reader;
        ReadResult result;
        try
        {
            if (!reader.TryRead(out result))
            {
                var read = reader.ReadAsync();
                if (!read.IsCompleted)
                {
                    _awaiter = read.GetAwaiter();
                    _awaiter.UnsafeOnCompleted(_onBodyReady);
                    return false;
                }
                result = read.Result;
            }
        }
        catch (Exception e)
        {
            Fail(e);
            return false;
        }
        return Take(result);
    }

    private bool Take(ReadResult result)
    {
        if (result.Buffer.IsEmpty && result.IsCompleted)
        {
            _pipe!.Reader.AdvanceTo(result.Buffer.End);
            EndPipe(null);
            _job = Job.Idle;
            _connection.Tell(ConnectionWriter.BodyWritten.Instance, ActorRefs.NoSender);
            return false;
        }
        _piped = result.Buffer;
        _pipeRead = true;
        return true;
    }

    // One send of the pipe's first segments (gathered when there are several).
    private bool SendPiped()
    {
        if (_piped.IsSingleSegment) return _sender.Send(_socket, _piped.First);
        _segments ??= new List<ArraySegment<byte>>(MaxGather);
        _segments.Clear();
        foreach (var memory in _piped)
        {
            if (!MemoryMarshal.TryGetArray(memory, out var segment))
            {
                // Not array-backed (a custom pool): one segment at a time.
                if (_segments.Count == 0) return _sender.Send(_socket, memory);
                break;
            }
            _segments.Add(segment);
            if (_segments.Count == MaxGather) break;
        }
        return _sender.SendMany(_socket, _segments);
    }

    private void Fail(Exception error)
    {
        var inBody = _job != Job.Head;
        _job = Job.Idle;
        EndPipe(error);
        _connection.Tell(new ConnectionWriter.WriteFailed(error, inBody), ActorRefs.NoSender);
    }

    // The body copy is over (or abandoned): the reader side goes, which makes a copy still running see its pipe completed.
    private void EndPipe(Exception? error)
    {
        if (_pipe is not { } pipe) return;
        _pipe = null;
        _pipeRead = false;
        pipe.Reader.CancelPendingRead();
        pipe.Reader.Complete(error);
    }

    private static async Task ProduceAsync(RequestContent content, bool chunked, PipeWriter writer, CancellationToken ct)
    {
        try
        {
            await StreamOutput.CopyAsync(content, chunked, writer.AsStream(leaveOpen: true), ct).ConfigureAwait(false);
            await writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await writer.CompleteAsync(e).ConfigureAwait(false);
        }
    }
}
