using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using ActorHttp.Net;

namespace ActorHttp.Server.Tls;

/// <summary>
/// The server side of one TLS handshake on an accepted socket: a plain-HTTP check on the first byte, then
/// <see cref="SslStream.AuthenticateAsServerAsync(ServerOptionsSelectionCallback, object?, CancellationToken)"/> with the
/// <see cref="CertificateStore"/>'s per-SNI options, bounded by the handshake timeout.
/// </summary>
/// <remarks>
/// <para><b>Plain HTTP.</b> Every TLS connection starts with a handshake record (content type 22, 0x16); any other first
/// byte is a client that spoke plain HTTP (or something else) to the TLS port. It gets what Go's server sends,
/// <c>HTTP/1.0 400 Bad Request</c> with "Client sent an HTTP request to an HTTPS server.", in clear text, and a close.
/// The first byte is peeked, not read, so that a real handshake finds its record whole. After the answer the server
/// half-closes and reads the client's request to its end before closing (lingering, as Go's server does for its own
/// errors): closing with unread bytes would reset the connection and could destroy the answer before the client reads it.</para>
/// <para><b>Metrics</b> (Kestrel's names, on <see cref="ServerMetrics"/>): <c>kestrel.active_tls_handshakes</c> counts
/// handshakes under way, <c>kestrel.tls_handshake.duration</c> records each one, tagged <c>tls.protocol.version</c> when
/// it succeeded and <c>error.type</c> (a <see cref="TlsHandshakeError"/>) when it failed: that tag is how failures are counted.</para>
/// <para>Async code, not an actor: it runs before the connection has a stream to hand its reader; the connection pipes its
/// outcome to itself. On an event loop its steps run in the connection's turn while the client's records are already there,
/// and on the loop's thread when one had to be waited for (<see cref="EpollStream"/>), as nginx runs its handshakes on its
/// worker's loop; on the runtime's engine they run on the thread pool. A connection stopped meanwhile disposes the
/// transport, which ends the handshake (<see cref="TlsHandshakeError.Aborted"/>).</para>
/// </remarks>
internal static class TlsHandshake
{
    // The TLS record content type of a handshake (RFC 8446 5.1); a ClientHello's record starts with it.
    private const byte HandshakeRecord = 0x16;

    // Go's answer (net/http server.go), byte for byte.
    private static readonly byte[] s_plainHttpAnswer = "HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n"u8.ToArray();

    // How much of a plain-HTTP client's request is read and dropped after the answer before closing anyway.
    private const int MaxLingerBytes = 64 * 1024;

    /// <summary>
    /// Runs the handshake over <paramref name="transport"/> (the socket's stream: an <see cref="EpollStream"/> on an event loop,
    /// a <see cref="NetworkStream"/> on the runtime's engine) within <paramref name="timeout"/> (zero: no limit). Returns the
    /// authenticated stream, which owns the transport but not the socket: the caller disposes both it and the socket.
    /// </summary>
    /// <exception cref="TlsHandshakeException">The handshake failed; the transport is disposed, the socket left to the caller to close.</exception>
    public static async Task<SslStream> RunAsync(Socket socket, Stream transport, CertificateStore certificates, TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        ServerMetrics.ActiveTlsHandshakes.Add(1);
        using var deadline = new CancellationTokenSource();
        if (timeout > TimeSpan.Zero) deadline.CancelAfter(timeout);
        SslStream? stream = null;
        try
        {
            await RefusePlainHttpAsync(socket, transport, deadline.Token).ConfigureAwait(false);
            stream = new SslStream(transport, leaveInnerStreamOpen: false);
            await stream.AuthenticateAsServerAsync(certificates.SelectionCallback, null, deadline.Token).ConfigureAwait(false);
            ServerMetrics.ActiveTlsHandshakes.Add(-1);
            RecordDuration(started, ServerMetrics.TlsProtocolTag(stream.SslProtocol));
            return stream;
        }
        catch (Exception e)
        {
            if (stream is not null) await stream.DisposeAsync().ConfigureAwait(false);
            else await transport.DisposeAsync().ConfigureAwait(false);
            var failure = e as TlsHandshakeException ?? Classify(e, deadline.IsCancellationRequested);
            ServerMetrics.ActiveTlsHandshakes.Add(-1);
            RecordDuration(started, new KeyValuePair<string, object?>("error.type", ErrorType(failure.Kind)));
            throw failure;
        }
    }

    /// <summary>The <c>error.type</c> tag of a failed handshake.</summary>
    public static string ErrorType(TlsHandshakeError kind) => kind switch
    {
        TlsHandshakeError.Timeout => "timeout",
        TlsHandshakeError.PeerClosed => "peer_closed",
        TlsHandshakeError.PlainHttp => "plain_http",
        TlsHandshakeError.Refused => "refused",
        _ => "aborted",
    };

    // Peeks the first byte. Returns when it starts a TLS record; otherwise answers, lingers and throws PlainHttp.
    private static async Task RefusePlainHttpAsync(Socket socket, Stream transport, CancellationToken ct)
    {
        var first = new byte[1];
        var n = transport is EpollStream epoll
            ? await epoll.PeekAsync(first, ct).ConfigureAwait(false)
            : await socket.ReceiveAsync(first, SocketFlags.Peek, ct).ConfigureAwait(false);
        if (n == 0) throw new TlsHandshakeException(TlsHandshakeError.PeerClosed, "The client closed the connection before the handshake.");
        if (first[0] == HandshakeRecord) return;

        await transport.WriteAsync(s_plainHttpAnswer, ct).ConfigureAwait(false);
        socket.Shutdown(SocketShutdown.Send);
        var sink = new byte[4096];
        for (var drained = 0; drained < MaxLingerBytes;)
        {
            var read = await transport.ReadAsync(sink, ct).ConfigureAwait(false);
            if (read == 0) break;
            drained += read;
        }
        throw new TlsHandshakeException(TlsHandshakeError.PlainHttp, "The client sent plain HTTP to the TLS port; answered 400.");
    }

    private static TlsHandshakeException Classify(Exception e, bool timedOut)
    {
        if (timedOut && e is OperationCanceledException or IOException or SocketException)
            return new TlsHandshakeException(TlsHandshakeError.Timeout, "The TLS handshake did not finish in time.", e);
        return e switch
        {
            AuthenticationException => new TlsHandshakeException(TlsHandshakeError.Refused, "TLS refused the client: " + e.Message, e),
            ObjectDisposedException or OperationCanceledException or IOException { InnerException: ObjectDisposedException }
                or SocketException { SocketErrorCode: SocketError.OperationAborted }
                or IOException { InnerException: SocketException { SocketErrorCode: SocketError.OperationAborted } } =>
                new TlsHandshakeException(TlsHandshakeError.Aborted, "The server closed the connection during the handshake.", e),
            // SslStream reports a client's close mid-handshake as an IOException ("unexpected EOF"), a reset as one around a SocketException.
            IOException or SocketException => new TlsHandshakeException(TlsHandshakeError.PeerClosed, "The client closed the connection during the handshake: " + e.Message, e),
            _ => new TlsHandshakeException(TlsHandshakeError.Refused, "The TLS handshake failed: " + e.Message, e),
        };
    }

    private static void RecordDuration(long started, KeyValuePair<string, object?> tag)
    {
        if (ServerMetrics.TlsHandshakeDuration.Enabled)
            ServerMetrics.TlsHandshakeDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tag);
    }
}
