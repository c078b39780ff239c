using System.Buffers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Akka.Actor;

namespace ActorHttp.Net;

/// <summary>
/// A connection's send side over a <see cref="Stream"/> (an <see cref="System.Net.Security.SslStream"/>: the server's TLS
/// connections), behind the same <see cref="ISocketSender"/> the writer uses over a plain socket.
/// </summary>
/// <remarks>
/// <para>A stream write moves all of its buffer or fails, so a finished send reports every byte asked. A gathered send is
/// copied into one buffer when it is small (<see cref="CoalesceLimit"/>), so that a burst of pipelined responses becomes
/// one TLS record and one system call rather than one of each per response; a larger one is written buffer by
/// buffer.</para>
/// <para>Owned by one actor: at most one send in flight; the result fields are written before the completion message is
/// told. The socket passed in is not used: the stream writes its own.</para>
/// </remarks>
internal sealed class StreamSender : ISocketSender
{
    /// <summary>Up to this many bytes, a gathered send is copied into one write: a TLS record's largest plaintext (RFC 8446 5.1).</summary>
    private const int CoalesceLimit = 16 * 1024;

    private readonly Stream _stream;
    private readonly IActorRef _owner;
    private readonly object _completedMessage;
    private readonly Action _onCompleted;
    private ConfiguredValueTaskAwaitable.ConfiguredValueTaskAwaiter _pending;
    private int _count;               // bytes of the send in flight
    private byte[]? _coalesced;       // rented for a coalesced gathered send; returned when it finishes

    public StreamSender(Stream stream, IActorRef owner, object completedMessage)
    {
        _stream = stream;
        _owner = owner;
        _completedMessage = completedMessage;
        _onCompleted = Completed;
    }

    /// <inheritdoc />
    public int BytesTransferred { get; private set; }

    /// <inheritdoc />
    public SocketError SocketError { get; private set; }

    /// <inheritdoc />
    public bool Send(Socket socket, ReadOnlyMemory<byte> buffer)
    {
        _count = buffer.Length;
        ValueTask write;
        try
        {
            write = _stream.WriteAsync(buffer);
        }
        catch (Exception e)
        {
            Failed(e);
            ReturnCoalesced();
            return true;
        }
        return Await(write);
    }

    /// <inheritdoc />
    public bool SendMany(Socket socket, IList<ArraySegment<byte>> buffers)
    {
        var total = 0;
        foreach (var b in buffers) total += b.Count;
        if (total > CoalesceLimit)
        {
            _count = total;
            // The writer keeps the list and its arrays unchanged until the send is reported.
            return Await(new ValueTask(WriteEachAsync(buffers)));
        }

        var one = ArrayPool<byte>.Shared.Rent(total);
        var at = 0;
        foreach (var b in buffers)
        {
            b.AsSpan().CopyTo(one.AsSpan(at));
            at += b.Count;
        }
        _coalesced = one;
        return Send(socket, one.AsMemory(0, total));
    }

    /// <summary>The stream belongs to the connection, which disposes it.</summary>
    public void Dispose() { }

    private async Task WriteEachAsync(IList<ArraySegment<byte>> buffers)
    {
        foreach (var b in buffers) await _stream.WriteAsync(b).ConfigureAwait(false);
    }

    private bool Await(ValueTask write)
    {
        _pending = write.ConfigureAwait(false).GetAwaiter();
        if (_pending.IsCompleted)
        {
            Take();
            return true;
        }

        _pending.UnsafeOnCompleted(_onCompleted);
        return false;
    }

    private void Completed()
    {
        Take();
        _owner.Tell(_completedMessage, ActorRefs.NoSender);
    }

    private void Take()
    {
        try
        {
            _pending.GetResult();
            BytesTransferred = _count;
            SocketError = SocketError.Success;
        }
        catch (Exception e)
        {
            Failed(e);
        }
        _pending = default;
        ReturnCoalesced();
    }

    private void ReturnCoalesced()
    {
        if (_coalesced is not { } one) return;
        _coalesced = null;
        ArrayPool<byte>.Shared.Return(one);
    }

    private void Failed(Exception e)
    {
        BytesTransferred = 0;
        SocketError = StreamErrors.ToSocketError(e);
    }
}
