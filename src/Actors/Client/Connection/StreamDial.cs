using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using ActorHttp.Client.Proxy;
using ActorHttp.Client.Settings;
using ActorHttp.Client.Transport;
using ActorHttp.Protocol;

namespace ActorHttp.Client.Connection;

/// <summary>
/// The dial of a <see cref="StreamTransport"/>: the dialer's stream (TCP by default), the CONNECT tunnel through a proxy for an
/// https:// target, then TLS for https. Runs off the connection actor; the connection gets its outcome as a message.
/// </summary>
internal static class StreamDial
{
    /// <summary>What a dial came to: a transport, or why not.</summary>
    public readonly record struct Outcome(StreamTransport? Transport, HttpClientException? Error);

    /// <summary>Dials <paramref name="key"/>, raising Go's dial and TLS trace events through <paramref name="raise"/>.</summary>
    /// <param name="key">The server (and proxy).</param>
    /// <param name="settings">The host's settings: dial and handshake timeouts.</param>
    /// <param name="options">The dialer and the certificate check.</param>
    /// <param name="limits">For the proxy's answer to CONNECT.</param>
    /// <param name="raise">Raises a trace event.</param>
    /// <param name="lifetime">Cancelled when the connection stops.</param>
    public static async Task<Outcome> DialAsync(ConnectionKey key, HostSettings settings, TransportOptions options, HttpParserLimits limits,
        Action<ClientTraceEvent> raise, CancellationToken lifetime)
    {
        // Through a proxy the first hop is the proxy (Go's connectMethod.addr), and for an https:// target the dial
        // includes the CONNECT exchange: dial-timeout bounds both, and DialDone reports the tunnel's failure.
        var address = key.DialHostPort;
        raise(new DialStart(address));
        Stream? stream = null;
        using (var dialTimeout = CancellationTokenSource.CreateLinkedTokenSource(lifetime))
        {
            if (settings.DialTimeout > TimeSpan.Zero) dialTimeout.CancelAfter(settings.DialTimeout);
            try
            {
                stream = await options.Dialer.DialAsync(key.Proxy?.Host ?? key.Host, key.Proxy?.Port ?? key.Port, dialTimeout.Token).ConfigureAwait(false);
                if (key.TunnelProxy is { } proxy) await ProxyTunnel.EstablishAsync(stream, proxy, key.HostPort, limits, dialTimeout.Token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                if (stream is not null) await stream.DisposeAsync().ConfigureAwait(false);
                var timedOut = e is OperationCanceledException && !lifetime.IsCancellationRequested;
                var error = e is HttpClientException tunnel ? tunnel : new HttpClientException(timedOut ? ClientErrorKind.DialTimeout : ClientErrorKind.Dial,
                    timedOut ? $"Connecting to {key.DialHostPort} took longer than {settings.DialTimeout}." : $"Connecting to {key.DialHostPort} failed: {e.Message}",
                    innerException: e);
                raise(new DialDone(address, null, error));
                return new Outcome(null, error);
            }
        }
        raise(new DialDone(address, (stream as NetworkStream)?.Socket.RemoteEndPoint?.ToString(), null));
        if (!key.IsTls) return new Outcome(new StreamTransport(stream), null);

        raise(TlsHandshakeStart.Instance);
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        using var handshakeTimeout = CancellationTokenSource.CreateLinkedTokenSource(lifetime);
        if (settings.TlsHandshakeTimeout > TimeSpan.Zero) handshakeTimeout.CancelAfter(settings.TlsHandshakeTimeout);
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = key.Host,
                ApplicationProtocols = [SslApplicationProtocol.Http11],
                RemoteCertificateValidationCallback = options.ServerCertificateValidation,
            }, handshakeTimeout.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            var timedOut = e is OperationCanceledException && !lifetime.IsCancellationRequested;
            var error = new HttpClientException(timedOut ? ClientErrorKind.TlsHandshakeTimeout : ClientErrorKind.TlsHandshake,
                timedOut ? $"The TLS handshake with {key.HostPort} took longer than {settings.TlsHandshakeTimeout}." : $"The TLS handshake with {key.HostPort} failed: {e.Message}",
                innerException: e);
            raise(new TlsHandshakeDone(SslProtocols.None, null, error));
            return new Outcome(null, error);
        }
        raise(new TlsHandshakeDone(ssl.SslProtocol, ssl.NegotiatedApplicationProtocol.ToString(), null));
        return new Outcome(new StreamTransport(ssl), null);
    }
}
