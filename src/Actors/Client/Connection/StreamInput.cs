using System.Buffers;
using System.Runtime.CompilerServices;
using Akka.Actor;

namespace ActorHttp.Client.Connection;

/// <summary>
/// The <see cref="ConnectionInput"/> of a <see cref="StreamTransport"/>: each read is one asynchronous read of the stream, an
/// idle one a zero-byte read first (so thousands of idle connections hold no read buffers). The outcome goes straight to the
/// connection from the thread that completed the read, with no turn of the reader (as Akka.IO's connection reports to its
/// handler): the connection already knows whether a read is outstanding (one at a time).
/// </summary>
/// <remarks>Not async methods: a state machine box cost ~100 bytes per read. The stream's ValueTasks (a socket's reusable
/// awaitable) are awaited through two delegates made once per connection.</remarks>
internal sealed class StreamInput : ConnectionInput
{
    private readonly Stream _stream;
    private readonly IActorRef _connection;
    private int _bufferSize;   // of the read in flight
    private readonly Action _onIdleReady;
    private readonly Action _onRead;

    // The read outstanding (at most one: the connection starts the next only after this one's outcome) and, for a buffered
    // read, its buffer.
    private ConfiguredValueTaskAwaitable<int>.ConfiguredValueTaskAwaiter _pending;
    private byte[]? _buffer;

    public StreamInput(Stream stream, IActorRef connection)
    {
        _stream = stream;
        _connection = connection;
        _onIdleReady = IdleReady;
        _onRead = ReadDone;
    }

    /// <inheritdoc />
    public override void Read(bool whenIdle, int size)
    {
        _bufferSize = size;
        if (!whenIdle)
        {
            ReadNow();
            return;
        }
        ValueTask<int> ready;
        try
        {
            ready = _stream.ReadAsync(Memory<byte>.Empty);
        }
        catch (Exception e)
        {
            Report(new ConnectionReader.ReadFailed(e));
            return;
        }
        _pending = ready.ConfigureAwait(false).GetAwaiter();
        if (_pending.IsCompleted) IdleReady();
        else _pending.UnsafeOnCompleted(_onIdleReady);
    }

    /// <inheritdoc />
    // The stream is the connection's (the transport disposes it); a read in flight fails then, and its outcome finds nobody.
    public override void Dispose() { }

    private void IdleReady()
    {
        try
        {
            _pending.GetResult();
        }
        catch (Exception e)
        {
            Report(new ConnectionReader.ReadFailed(e));
            return;
        }
        ReadNow();
    }

    private void ReadNow()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(_bufferSize);
        ValueTask<int> read;
        try
        {
            read = _stream.ReadAsync(buffer);
        }
        catch (Exception e)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            Report(new ConnectionReader.ReadFailed(e));
            return;
        }
        _buffer = buffer;
        _pending = read.ConfigureAwait(false).GetAwaiter();
        if (_pending.IsCompleted) ReadDone();
        else _pending.UnsafeOnCompleted(_onRead);
    }

    private void ReadDone()
    {
        var buffer = _buffer!;
        _buffer = null;
        object outcome;
        try
        {
            var n = _pending.GetResult();
            outcome = n > 0 ? new ConnectionReader.Received(buffer, n) : ConnectionReader.PeerClosed.Instance;
        }
        catch (Exception e)
        {
            outcome = new ConnectionReader.ReadFailed(e);
        }
        if (outcome is not ConnectionReader.Received) ArrayPool<byte>.Shared.Return(buffer);
        Report(outcome);
    }

    private void Report(object outcome) => _connection.Tell(outcome, ActorRefs.NoSender);
}
