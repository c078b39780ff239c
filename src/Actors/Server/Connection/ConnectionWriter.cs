using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;
using ActorHttp.Net;
using ActorHttp.Net.Epoll;
using Akka.Actor;
using Akka.Event;

namespace ActorHttp.Server.Connection;

/// <summary>
/// The writing half of a server connection: it owns the socket's send side and sends response
/// bytes in the order it is told them, so that pipelined responses go out in request order.
/// </summary>
/// <remarks>
/// Writes that arrive while a send is in flight are queued and then go out together in one
/// gathered send: a burst of pipelined responses costs one system call. A write may carry a
/// <see cref="WriteAck"/>, completed once its bytes are in the kernel's send buffer; that is how a
/// streaming handler's <c>FlushAsync</c> feels back-pressure.
/// <para>Every write reaches this actor through the connection's <see cref="SendLane"/>, which it tells
/// when each is released; while the lane counts none, the connection may send a finished response
/// itself (see <see cref="SendLane"/> for the hand-off). Before every send this actor waits out a
/// direct send in progress and takes the unsent rest of one first.</para>
/// </remarks>
internal sealed class ConnectionWriter : ActorBase
{
    // Commands may reach a writer that already stopped (a send failed): no dead-letter log line for them.

    /// <summary>Send these bytes. When <paramref name="Pooled"/>, the array returns to ArrayPool.Shared once sent.</summary>
    public sealed record Write(byte[] Buffer, int Offset, int Count, bool Pooled, WriteAck? Ack) : IDeadLetterSuppression
    {
        public override string ToString() => $"Write({Count} bytes)";
    }

    /// <summary>Send <c>HTTP/1.1 100 Continue</c> (the handler started reading an expect-continue body).</summary>
    public sealed class SendContinue : IDeadLetterSuppression
    {
        public static readonly SendContinue Instance = new();
        private SendContinue() { }
    }

    /// <summary>After the writes already told, half-close the socket (FIN) and report <see cref="ServerConnection.WriterClosed"/>.</summary>
    public sealed class CloseWhenDone : IDeadLetterSuppression
    {
        public static readonly CloseWhenDone Instance = new();
        private CloseWhenDone() { }
    }

    /// <summary>A direct send left bytes unsent (see <see cref="SendLane"/>): send them next, before anything queued.</summary>
    public sealed class TakeRemainder : IDeadLetterSuppression
    {
        public static readonly TakeRemainder Instance = new();
        private TakeRemainder() { }
    }

    private sealed class SendCompleted : IDeadLetterSuppression
    {
        public static readonly SendCompleted Instance = new();
        private SendCompleted() { }
    }

    // TLS: the close_notify alert went out (or could not): the socket's sending side can close now.
    private sealed class CloseNotifySent : IDeadLetterSuppression
    {
        public static readonly CloseNotifySent Instance = new();
        private CloseNotifySent() { }
    }

    private static readonly byte[] ContinueBytes = "HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray();

    private readonly Socket _socket;
    private readonly SendLane _lane;
    private readonly IActorRef _connection;

    // Owned by this actor. Made on the first send this actor does itself: with direct sends (see
    // SendLane) a keep-alive connection of small responses may never need them, and an idle one
    // should hold as little as possible.
    private ISocketSender? _sender;
    private readonly EpollSocket? _epoll;
    private readonly Stream? _stream;   // a TLS connection's stream, written instead of the socket
    private readonly List<Write> _queued = new(0);
    private readonly List<Write> _inFlight = new(0);
    private List<ArraySegment<byte>>? _segments;
    private bool _closeRequested;
    private bool _closeNotifyStarted;   // TLS: ShutdownAsync was started; the FIN follows when it ends
    private bool _failed;

    public ConnectionWriter(Socket socket, SendLane lane, EpollSocket? epoll = null, Stream? stream = null)
    {
        _socket = socket;
        _stream = stream;
        _epoll = epoll;
        _lane = lane;
        _connection = Context.Parent;
    }

    // An ActorBase, as the reader: a ReceiveActor builds its handler table for every instance it makes (about 1.6 KB
    // per writer), and a connection that needs a writer makes one.
    protected override bool Receive(object message)
    {
        switch (message)
        {
            case Write write:
                OnWrite(write);
                return true;
            case SendContinue:
                OnWrite(new Write(ContinueBytes, 0, ContinueBytes.Length, Pooled: false, Ack: null));
                return true;
            case TakeRemainder:
                if (_inFlight.Count == 0) StartSend();
                return true;
            case CloseWhenDone:
                _closeRequested = true;
                if (_inFlight.Count == 0) CloseIfDone();
                return true;
            case SendCompleted:
                OnSendCompleted(_sender!.BytesTransferred, _sender.SocketError);
                return true;
            case CloseNotifySent:
                HalfClose();
                return true;
            default:
                return false;
        }
    }

    protected override void PostStop()
    {
        foreach (var w in _inFlight) Release(w, failed: true);
        foreach (var w in _queued) Release(w, failed: true);
        _inFlight.Clear();
        _queued.Clear();
        _failed = true;
        TakeDirectRemainder();
        _sender?.Dispose();
    }

    private void OnWrite(Write write)
    {
        if (_failed)
        {
            Release(write, failed: true);
            return;
        }

        _queued.Add(write);
        if (_inFlight.Count == 0) StartSend();
    }

    private void StartSend()
    {
        if (!TakeDirectRemainder()) return;

        while (_queued.Count > 0)
        {
            _inFlight.AddRange(_queued);
            _queued.Clear();

            _sender ??= _stream is not null ? new StreamSender(_stream, Self, SendCompleted.Instance)
                : _epoll is null ? new SocketSender(Self, SendCompleted.Instance)
                : new EpollSender(_epoll, Self, SendCompleted.Instance);
            bool done;
            if (_inFlight.Count == 1)
            {
                var w = _inFlight[0];
                done = _sender.Send(_socket, w.Buffer.AsMemory(w.Offset, w.Count));
            }
            else
            {
                _segments ??= new List<ArraySegment<byte>>();
                _segments.Clear();
                foreach (var w in _inFlight) _segments.Add(new ArraySegment<byte>(w.Buffer, w.Offset, w.Count));
                done = _sender.SendMany(_socket, _segments);
            }

            if (!done) return;   // SendCompleted will come
            if (!Sent(_sender.BytesTransferred, _sender.SocketError)) return;
        }

        if (_closeRequested) CloseIfDone();
    }

    private void OnSendCompleted(int bytes, SocketError error)
    {
        if (Sent(bytes, error)) StartSend();
    }

    // Accounts for a finished send. Sends that moved fewer bytes than asked (the kernel's buffer
    // filled) leave the rest at the head of the queue. False when the connection failed.
    private bool Sent(int bytes, SocketError error)
    {
        if (error != SocketError.Success)
        {
            _failed = true;
            foreach (var w in _inFlight) Release(w, failed: true);
            _inFlight.Clear();
            _connection.Tell(new ServerConnection.WriteFailed(error), Self);
            return false;
        }

        var remaining = bytes;
        var i = 0;
        for (; i < _inFlight.Count; i++)
        {
            var w = _inFlight[i];
            if (remaining < w.Count)
            {
                // Partial: keep the unsent tail of this write (and everything after it) first in line.
                var rest = w with { Offset = w.Offset + remaining, Count = w.Count - remaining };
                _queued.InsertRange(0, _inFlight.GetRange(i + 1, _inFlight.Count - i - 1));
                _queued.Insert(0, rest);
                break;
            }

            remaining -= w.Count;
            Release(w, failed: false);
        }

        _inFlight.Clear();
        return true;
    }

    // Puts the unsent rest of a direct send first in line (it continues a response already partly
    // on the wire); releases it instead when the connection failed. False when failed.
    private bool TakeDirectRemainder()
    {
        _lane.WaitForDirect();
        if (_lane.TakeRemainder() is { } remainder)
        {
            if (_failed) Release(remainder, failed: true);
            else _queued.Insert(0, remainder);
        }

        return !_failed;
    }

    private void CloseIfDone()
    {
        if (!TakeDirectRemainder()) return;
        if (_queued.Count > 0)
        {
            StartSend();
            return;
        }

        if (_queued.Count > 0 || _inFlight.Count > 0 || _failed || _closeNotifyStarted) return;
        if (_stream is SslStream tls)
        {
            // TLS ends with a close_notify alert before the FIN (RFC 8446 6.1), so that the client can tell the end of a
            // response read to the close from a truncation. Its failure changes nothing: the FIN follows either way.
            _closeNotifyStarted = true;
            tls.ShutdownAsync().PipeTo(Self, success: static () => CloseNotifySent.Instance, failure: static _ => CloseNotifySent.Instance);
            return;
        }

        HalfClose();
    }

    private void HalfClose()
    {
        _lane.ShutdownSend();
        _connection.Tell(ServerConnection.WriterClosed.Instance, Self);
        _closeRequested = false;
    }

    // Only whole writes reach here: a partially sent one stays queued (as its unsent tail) and is
    // released once that tail is sent, so a pooled array returns exactly once.
    private void Release(Write write, bool failed)
    {
        _lane.Released();
        if (write.Pooled) ArrayPool<byte>.Shared.Return(write.Buffer);
        if (failed) write.Ack?.Fail();
        else write.Ack?.Complete();
    }
}
