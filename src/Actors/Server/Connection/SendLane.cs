using System.Buffers;
using System.Net.Sockets;
using Akka.Actor;

namespace ActorHttp.Server.Connection;

/// <summary>
/// The hand-off of a connection's socket send side between the <see cref="ServerConnection"/>
/// (which may send a finished response itself, in its own turn: a "direct send") and the
/// <see cref="ConnectionWriter"/> (which sends everything else).
/// </summary>
/// <remarks>
/// <para><b>Why.</b> A small keep-alive response is complete when the handler returns. Telling it to
/// the writer actor costs a message and a thread-pool hop per request; a non-blocking
/// <c>Socket.Send</c> in the connection's own turn almost always moves all of it into the kernel's
/// send buffer at once.</para>
/// <para><b>State.</b> One integer: the number of writes handed to the writer and not yet released by
/// it (in its mailbox, queued or in flight), plus the <see cref="DirectBit"/> while the connection is
/// inside a direct send. Whoever hands a write to the writer first adds one (<see cref="Enqueue"/>)
/// and then tells it; the writer subtracts one when it releases a write (sent or failed). So the
/// writer owns the send side exactly while the count is above zero.</para>
/// <para><b>Direct send.</b> The connection claims the lane with one compare-and-swap from 0 (nothing
/// told, queued or in flight: every earlier byte is already in the kernel's buffer) to
/// <see cref="DirectBit"/>. If the swap fails the response goes to the writer like any other write,
/// behind what is there, so responses stay in request order. If it succeeds the connection sends
/// with a non-blocking call within the same turn and never holds the bit across a wait. Whatever the
/// kernel did not take (a partial send, <c>WouldBlock</c>, an error) becomes the
/// <see cref="_remainder"/>: the connection stores it, counts it as a write handed to the writer, and
/// only then clears the bit (the interlocked operation publishes the field), and tells the writer
/// <see cref="ConnectionWriter.TakeRemainder"/>. Errors are left to the writer as well: its send fails
/// the same way and it reports <see cref="ServerConnection.WriteFailed"/> as for any write.</para>
/// <para><b>The race that remains.</b> A write can only be counted while the bit is set by a party
/// other than the connection's turn: a handler that keeps writing after its task completed (which
/// Go forbids too). The writer therefore waits for the bit to clear before any send
/// (<see cref="WaitForDirect"/>, a spin of at most one non-blocking system call) and then takes the
/// remainder first, because those bytes continue a response that is already partly on the wire.
/// The spin does not block the writer's thread (an event loop's, usually) for longer than one
/// system call on another thread that never waits for this actor.</para>
/// <para>Pooled arrays: a fully sent direct write returns its array at once; a remainder keeps the
/// array and the writer returns it when it releases that write, so each array returns exactly once.
/// Closing stays the writer's: <see cref="ConnectionWriter.CloseWhenDone"/> is told after the
/// remainder's <see cref="ConnectionWriter.TakeRemainder"/> by the same sender, so it arrives later.</para>
/// <para><b>The writer is made on first need.</b> A connection whose responses all went out directly
/// never needs one, and an actor is a few kilobytes that an idle keep-alive connection would hold.
/// Only the connection can make its child, in its own turn, but writes are also handed over from
/// handler threads (streaming, 100 Continue). So while there is no writer, messages for it take a
/// detour through the connection's mailbox (<see cref="ServerConnection.ForWriter"/>), which makes the
/// writer and forwards them. Order: a sender goes straight to the writer only when it exists and no
/// detoured message is still on its way (<see cref="_detoured"/>, counted before the detour is told
/// and uncounted by the connection after it forwarded it), so nothing overtakes a detoured message:
/// one that finds the count above zero detours too and queues behind it in the same mailbox.</para>
/// <para><b>TLS.</b> Over TLS (<c>direct</c> false) every write goes to the writer: a direct send would put clear text on
/// the socket, and an <see cref="System.Net.Security.SslStream"/> write cannot be tried without waiting.</para>
/// </remarks>
internal sealed class SendLane(Socket socket, IActorRef connection, bool direct = true)
{
    private const int DirectBit = 1 << 30;

    private int _state;                                 // writes owned by the writer, | DirectBit
    private ConnectionWriter.Write? _remainder;         // set under DirectBit by the connection; taken by the writer
    private IActorRef? _writer;                         // set once, by the connection, when it makes the writer
    private int _detoured;                              // messages for the writer in the connection's mailbox

    /// <summary>The writer actor, once the connection made it.</summary>
    public IActorRef? Writer => Volatile.Read(ref _writer);

    /// <summary>True when nothing was handed to the writer or is on its way there (the connection may close the socket itself).</summary>
    public bool IsQuiet => Volatile.Read(ref _state) == 0 && Volatile.Read(ref _detoured) == 0;

    /// <summary>Hands a write to the writer actor, behind everything handed before.</summary>
    public void Enqueue(ConnectionWriter.Write write)
    {
        Interlocked.Increment(ref _state);
        TellWriter(write);
    }

    /// <summary>Hands a payload-less writer command that ends in a write (100 Continue) to the writer.</summary>
    public void EnqueueContinue()
    {
        Interlocked.Increment(ref _state);
        TellWriter(ConnectionWriter.SendContinue.Instance);
    }

    /// <summary>Tells the writer <paramref name="message"/>, through the connection while there is no writer yet (see the remarks).</summary>
    public void TellWriter(object message)
    {
        var writer = Volatile.Read(ref _writer);
        if (writer is not null && Volatile.Read(ref _detoured) == 0)
        {
            writer.Tell(message, ActorRefs.NoSender);
            return;
        }

        Interlocked.Increment(ref _detoured);
        connection.Tell(new ServerConnection.ForWriter(message), ActorRefs.NoSender);
    }

    /// <summary>The connection, in its turn: the writer it just made.</summary>
    public void WriterCreated(IActorRef writer) => Volatile.Write(ref _writer, writer);

    /// <summary>The connection, in its turn: a detoured message was forwarded to the writer.</summary>
    public void Forwarded() => Interlocked.Decrement(ref _detoured);

    /// <summary>
    /// Sends the first <paramref name="count"/> bytes of <paramref name="buffer"/> (rented from
    /// ArrayPool.Shared, returned once sent) now when the writer has nothing, else hands them to
    /// the writer. Only the connection actor calls this, within its turn.
    /// </summary>
    public void SendOrEnqueue(byte[] buffer, int count)
    {
        if (!direct || Interlocked.CompareExchange(ref _state, DirectBit, 0) != 0)
        {
            Enqueue(new ConnectionWriter.Write(buffer, 0, count, Pooled: true, Ack: null));
            return;
        }

        int sent;
        SocketError error;
        try
        {
            sent = socket.Send(buffer.AsSpan(0, count), SocketFlags.None, out error);
        }
        catch (ObjectDisposedException)
        {
            sent = 0;
            error = SocketError.OperationAborted;
        }

        if (error == SocketError.Success && sent == count)
        {
            Interlocked.Add(ref _state, -DirectBit);
            ArrayPool<byte>.Shared.Return(buffer);
            return;
        }

        if (error != SocketError.Success) sent = 0;   // WouldBlock or a failure: the writer tries (and reports) the whole write
        _remainder = new ConnectionWriter.Write(buffer, sent, count - sent, Pooled: true, Ack: null);
        Interlocked.Add(ref _state, 1 - DirectBit);
        TellWriter(ConnectionWriter.TakeRemainder.Instance);
    }

    /// <summary>Half-closes the socket (FIN) after everything sent; whoever owns the send side then calls this.</summary>
    public void ShutdownSend()
    {
        try
        {
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // The peer is already gone; closing is all that is left either way.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>The writer: waits until no direct send is in progress (see the remarks).</summary>
    public void WaitForDirect()
    {
        if ((Volatile.Read(ref _state) & DirectBit) == 0) return;
        var spin = new SpinWait();
        while ((Volatile.Read(ref _state) & DirectBit) != 0) spin.SpinOnce();
    }

    /// <summary>The writer: takes the unsent rest of a direct send, if there is one.</summary>
    public ConnectionWriter.Write? TakeRemainder() => Interlocked.Exchange(ref _remainder, null);

    /// <summary>The writer: one write it was handed is released (sent or failed).</summary>
    public void Released() => Interlocked.Decrement(ref _state);
}
