using Akka.Actor;

namespace ActorHttp.Client.Connection;

/// <summary>
/// The bytes under one <see cref="PersistentConnection"/>: how the connection writes a request head in its own turn, how its
/// <see cref="ConnectionReader"/> reads and its <see cref="ConnectionWriter"/> writes, and what a 101 (Switching Protocols)
/// hands over to the caller. One connection actor, one reader and one writer serve both kinds.
/// </summary>
/// <remarks>
/// <para><b>Two kinds.</b> A <see cref="StreamTransport"/> reads and writes a <see cref="Stream"/>: TLS (<c>SslStream</c>), a proxy
/// tunnel, or whatever a custom <see cref="IDialer"/> returns. A <see cref="SocketTransport"/> is a plain TCP socket registered with
/// one of ActorHttp's event loops (an http:// origin, or a forward proxy, with the default dialer): non-blocking sends and receives
/// in the actors' turns on that loop, completions reported by the loop (see <c>epoll-event-loop</c> in client.conf).</para>
/// <para><b>Ownership.</b> The connection actor owns the transport and disposes it when it stops (after its children); the
/// reader owns the <see cref="ConnectionInput"/> it opened, the writer its <see cref="ConnectionOutput"/>.</para>
/// </remarks>
internal abstract class ConnectionTransport : IDisposable
{
    /// <summary>
    /// The connection, in its turn: writes a request head (and an inline body). True when it is all handed to the network now;
    /// otherwise <see cref="ConnectionWriter.HeadWritten"/> or <see cref="ConnectionWriter.WriteFailed"/> reaches
    /// <paramref name="connection"/> later, and nothing else may be written meanwhile. <paramref name="head"/> stays unchanged until then.
    /// </summary>
    public abstract bool WriteHead(ReadOnlyMemory<byte> head, IActorRef connection, IActorRef writer, CancellationToken ct);

    /// <summary>The reader, in its constructor: its side of the transport. Completions of reads that wait are told to
    /// <paramref name="reader"/> as <paramref name="receiveCompleted"/> (or reported by the input itself); outcomes go to <paramref name="connection"/>.</summary>
    public abstract ConnectionInput OpenInput(IActorRef reader, object receiveCompleted, IActorRef connection);

    /// <summary>The writer, in its constructor: its side of the transport; outcomes go to <paramref name="connection"/>.</summary>
    public abstract ConnectionOutput OpenOutput(IActorRef writer, IActorRef connection);

    /// <summary>
    /// A 101 was read and the caller takes the connection over: the byte stream the caller reads and writes from now on. No read
    /// or write of the reader or writer is outstanding. The transport still disposes it when the connection stops.
    /// </summary>
    public abstract Stream TakeOver();

    /// <summary>Closes the connection's bytes (the socket, or the stream and what it wraps).</summary>
    public abstract void Dispose();
}
