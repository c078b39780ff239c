using System.Net.Security;
using System.Net.Sockets;
using ActorHttp.Net;
using ActorHttp.Server.Tls;
using Akka.Actor;
using Akka.Event;

namespace ActorHttp.Server.Connection;

// The TLS start of the connection actor: on a TLS listener it begins in Handshaking, runs the server handshake
// (TlsHandshake) off its turn, and only then makes its reader, over the authenticated stream. From there on it is the same
// connection as a plain one, with the same reader, writer, limits and timeouts; only the reader's receiver and the writer's
// sender are the stream's (StreamReceiver, StreamSender), over an EpollStream when the socket is on an event loop. Kept apart from ServerConnection.cs, which holds the serving states.
internal sealed partial class ServerConnection
{
    private sealed record HandshakeCompleted(SslStream Stream) : IDeadLetterSuppression;

    private sealed record HandshakeFailed(TlsHandshakeException Error) : IDeadLetterSuppression;

    // TLS: the socket's stream while the handshake runs; the handshake's SslStream owns it from then on (_stream).
    private Stream? _transport;

    private void StartHandshake()
    {
        Context.Become(Handshaking);
        // On an event loop the socket is non-blocking and registered (the listener did both): its stream is the loop's.
        _transport = _epoll is null ? new NetworkStream(_socket, ownsSocket: false) : new EpollStream(_socket, _epoll);
        TlsHandshake.RunAsync(_socket, _transport, _tls!, _tls!.Settings.HandshakeTimeout).PipeTo(Self,
            success: static stream => new HandshakeCompleted(stream),
            failure: static e => new HandshakeFailed(e as TlsHandshakeException
                ?? new TlsHandshakeException(TlsHandshakeError.Refused, "The TLS handshake failed: " + e.Message, e)));
    }

    // STATES

    // TLS: the handshake runs; nothing has been read yet, so there is no request to finish and no deadline of the reader's.
    // The handshake bounds itself (handshake-timeout).
    private bool Handshaking(object message)
    {
        switch (message)
        {
            case HandshakeCompleted c: OnHandshakeCompleted(c.Stream); return true;
            case HandshakeFailed f: OnHandshakeFailed(f.Error); return true;
            // Shutting down: a connection that has not finished its handshake has no request to finish (Go closes StateNew
            // connections too). Closing the socket ends the handshake.
            case Shutdown: Context.Stop(Self); return true;
            case IdleDeadlinePassed or HandlerDeadlinePassed or ConnectionReader.HeaderDeadlinePassed: return true;
            default: return false;
        }
    }

    /// <summary>
    /// Also ends a handshake still under way. PostStop closes the socket's registration, which drops a parked read without
    /// a word (a closed descriptor reports nothing to epoll either), so the handshake would wait for its timeout, or forever
    /// without one; disposing the transport fails that read (<see cref="EpollStream"/>), and the handshake ends Aborted.
    /// </summary>
    public override void AroundPostStop()
    {
        base.AroundPostStop();
        if (_stream is null) _transport?.Dispose();
    }

    private void OnHandshakeCompleted(SslStream stream)
    {
        _stream = stream;
        _transport = null;
        _tlsInfo = TlsConnectionInfo.Of(stream);
        if (DebugLevel)
            Log.Debug("TLS handshake done: {Protocol} {Cipher}, SNI {Host}, ALPN {Alpn}", stream.SslProtocol, stream.NegotiatedCipherSuite,
                stream.TargetHostName, stream.NegotiatedApplicationProtocol);
        Context.Become(Serving);
        StartReader();
    }

    // Logged at debug, not as an error: scanners, clients that do not trust the certificate and plain-HTTP clients fail
    // handshakes all day. They are counted by kestrel.tls_handshake.duration's error.type tag.
    private void OnHandshakeFailed(TlsHandshakeException error)
    {
        if (DebugLevel) Log.Debug("TLS handshake with {Remote} failed ({Kind}): {Message}", _remote, error.Kind, error.Message);
        Context.Stop(Self);
    }
}
