using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Akka.Actor;

namespace ActorHttp.Net;

/// <summary>
/// A connection's receive side over a <see cref="Stream"/> (an <see cref="System.Net.Security.SslStream"/>: the server's
/// TLS connections), behind the same <see cref="ISocketReceiver"/> the reader uses over a plain socket.
/// </summary>
/// <remarks>
/// <para>The socket passed to <see cref="Receive"/> is not used: the stream reads its own. A zero-byte read waits for data
/// without a buffer here too (<see cref="System.Net.Security.SslStream"/> supports it and releases its own buffer while it
/// waits), so an idle TLS connection holds no receive buffer, as a plain one.</para>
/// <para>Not async methods: a state machine box would cost ~100 bytes per read. The stream's <see cref="ValueTask{T}"/> is
/// awaited through one delegate made per connection (the client's <c>StreamInput</c> does the same). Owned by one actor: at
/// most one receive is in flight; the result fields are written before the completion message is told, and the mailbox
/// publishes them.</para>
/// </remarks>
internal sealed class StreamReceiver : ISocketReceiver
{
    private readonly Stream _stream;
    private readonly IActorRef _owner;
    private readonly object _completedMessage;
    private readonly Action _onCompleted;
    private ConfiguredValueTaskAwaitable<int>.ConfiguredValueTaskAwaiter _pending;

    public StreamReceiver(Stream stream, IActorRef owner, object completedMessage)
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
    public bool Receive(Socket socket, Memory<byte> buffer)
    {
        ValueTask<int> read;
        try
        {
            read = _stream.ReadAsync(buffer);
        }
        catch (Exception e)
        {
            Failed(e);
            return true;
        }

        _pending = read.ConfigureAwait(false).GetAwaiter();
        if (_pending.IsCompleted)
        {
            Take();
            return true;
        }

        _pending.UnsafeOnCompleted(_onCompleted);
        return false;
    }

    /// <summary>The stream belongs to the connection, which disposes it; a read in flight then fails, and its message finds nobody.</summary>
    public void Dispose() { }

    private void Completed()
    {
        Take();
        _owner.Tell(_completedMessage, ActorRefs.NoSender);
    }

    private void Take()
    {
        try
        {
            BytesTransferred = _pending.GetResult();
            SocketError = SocketError.Success;
        }
        catch (Exception e)
        {
            Failed(e);
        }
        _pending = default;
    }

    private void Failed(Exception e)
    {
        BytesTransferred = 0;
        SocketError = StreamErrors.ToSocketError(e);
    }
}
