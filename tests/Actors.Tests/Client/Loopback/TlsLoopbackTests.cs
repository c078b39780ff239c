using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ActorHttp.Actors.Tests.Support;
using ActorHttp.Client;
using ActorHttp.Client.Transport;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Client.Loopback;

/// <summary>The transport over TLS against an SslStream server with a self-signed certificate: SNI, ALPN, validation hook, reuse.</summary>
public sealed class TlsLoopbackTests(ITestOutputHelper output) : TransportTestBase(output)
{
    [Fact]
    public async Task Https_runs_over_tls_with_sni_and_alpn_and_reuses_the_connection()
    {
        await using var server = await TlsServer.StartAsync();
        var transport = NewTransport(options: new TransportOptions { ServerCertificateValidation = (_, _, _, _) => true });
        for (int i = 0; i < 3; i++)
        {
            using var response = await transport.RoundTripAsync(ClientRequest.Get(server.Url), default).WaitAsync(Deadline);
            Assert.Equal("ok", await response.ReadAsStringAsync().WaitAsync(Deadline));
        }
        Assert.Equal(1, server.Accepted);
        Assert.Equal("localhost", server.LastServerName);
        Assert.Equal(SslApplicationProtocol.Http11, server.LastProtocol);
    }

    [Fact]
    public async Task An_untrusted_certificate_fails_the_handshake()
    {
        await using var server = await TlsServer.StartAsync();
        var transport = NewTransport();
        var error = await Assert.ThrowsAsync<HttpClientException>(() => transport.RoundTripAsync(ClientRequest.Get(server.Url), default).WaitAsync(Deadline));
        Assert.Equal(ClientErrorKind.TlsHandshake, error.Kind);
        Assert.True(error.IsConnectionFailure);
        Assert.False(error.RequestWritten);
    }

    [Fact]
    public async Task A_server_that_never_answers_the_handshake_times_out()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var transport = NewTransport("actorhttp.client.tls-handshake-timeout = 200ms");
        var error = await Assert.ThrowsAsync<HttpClientException>(() =>
            transport.RoundTripAsync(ClientRequest.Get($"https://localhost:{port}/"), default).WaitAsync(Deadline));
        Assert.Equal(ClientErrorKind.TlsHandshakeTimeout, error.Kind);
        Assert.True(error.IsTimeout);
    }

    // A minimal HTTPS server: answers every request with "ok", keeping the connection.
    private sealed class TlsServer : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly X509Certificate2 _certificate;
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Task> _connections = new();
        private readonly Task _accepting;
        private int _accepted;

        private TlsServer(TcpListener listener, X509Certificate2 certificate)
        {
            _listener = listener;
            _certificate = certificate;
            _accepting = AcceptAsync();
        }

        public Uri Url => new($"https://localhost:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

        public int Accepted => Volatile.Read(ref _accepted);

        public string? LastServerName { get; private set; }

        public SslApplicationProtocol LastProtocol { get; private set; }

        public static Task<TlsServer> StartAsync()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return Task.FromResult(new TlsServer(listener, SelfSignedCertificate.ForLocalhost()));
        }

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    Interlocked.Increment(ref _accepted);
                    lock (_connections) _connections.Add(ServeAsync(client));
                }
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                // Stopping: the accept ends with a cancellation or, once the listener is stopped, a socket error.
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            using var _ = client;
            await using var ssl = new SslStream(client.GetStream());
            try
            {
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificate = _certificate,
                    ApplicationProtocols = [SslApplicationProtocol.Http11],
                }, _stop.Token);
                LastServerName = ssl.TargetHostName;
                LastProtocol = ssl.NegotiatedApplicationProtocol;
                var buffer = new byte[4096];
                var pending = new StringBuilder();
                while (true)
                {
                    var n = await ssl.ReadAsync(buffer, _stop.Token);
                    if (n == 0) return;
                    pending.Append(Encoding.Latin1.GetString(buffer, 0, n));
                    int end;
                    while ((end = pending.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal)) >= 0)
                    {
                        pending.Remove(0, end + 4);
                        await ssl.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"u8.ToArray(), _stop.Token);
                    }
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or AuthenticationException)
            {
                // The client went away, failed the handshake on purpose, or the server stops.
            }
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            _listener.Stop();
            await _accepting;
            Task[] connections;
            lock (_connections) connections = _connections.ToArray();
            await Task.WhenAll(connections).WaitAsync(TimeSpan.FromSeconds(10));
            _certificate.Dispose();
        }
    }
}
