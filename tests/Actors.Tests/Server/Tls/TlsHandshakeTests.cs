using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using ActorHttp.Server;
using ActorHttp.Server.Tls;

namespace ActorHttp.Actors.Tests.Server.Tls;

/// <summary>
/// Real handshakes with the store's options: an <see cref="SslStream"/> server on a loopback socket, against an
/// <see cref="SslStream"/> client and, where it is installed, <c>openssl s_client</c>. ALPN settles on http/1.1, SNI picks
/// the certificate, TLS 1.1 is refused, and the development certificate verifies against its own PEM.
/// </summary>
public sealed class TlsHandshakeTests : IAsyncLifetime
{
    private static readonly TimeSpan s_guard = TimeSpan.FromSeconds(30);
    private readonly TestCertificates _certs = new();
    private TestLeaf _fallback = null!, _exact = null!, _wildcard = null!;
    private CertificateStore _store = null!;
    private LoopbackTlsServer _server = null!;

    public Task InitializeAsync()
    {
        _fallback = _certs.Leaf(false, "default.test");
        _exact = _certs.Leaf(false, "a.example.com");
        _wildcard = _certs.Leaf(true, "*.example.com");
        // Files straight from CopyWithPrivateKey-style loading, no PKCS#12 round trip: checks that OpenSSL serves such keys.
        _store = CertificateStore.Load(ServerSettings.Load().Tls with
        {
            Enabled = true,
            Default = _certs.WritePem("default", _fallback),
            Hosts =
            [
                new SniCertificate("a.example.com", _certs.WritePem("exact", _exact, TestCertificates.KeyForm.Traditional)),
                new SniCertificate("*.example.com", _certs.WritePfx("wildcard", _wildcard, "pw")),
            ],
        });
        _server = new LoopbackTlsServer(_store);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _certs.Dispose();
    }

    [Theory]
    [InlineData("a.example.com", "exact")]
    [InlineData("b.example.com", "wildcard")]
    [InlineData("127.0.0.1", "default")] // a client that connects by address sends no SNI
    public async Task The_client_gets_http_1_1_by_alpn_and_the_certificate_sni_picks(string targetHost, string expected)
    {
        var leaf = expected switch { "exact" => _exact, "wildcard" => _wildcard, _ => _fallback };
        using var cts = new CancellationTokenSource(s_guard);

        await using var client = await ConnectAsync(targetHost, SslProtocols.None, cts.Token);
        var served = await _server.Handshakes.ReadAsync(cts.Token);

        Assert.Null(served.Error);
        Assert.Equal(SslApplicationProtocol.Http11, client.NegotiatedApplicationProtocol);
        Assert.Equal(SslApplicationProtocol.Http11, served.Alpn);
        Assert.Equal(leaf.Thumbprint, new X509Certificate2(client.RemoteCertificate!).Thumbprint);
        Assert.Contains(client.SslProtocol, new[] { SslProtocols.Tls12, SslProtocols.Tls13 });
        // The stream works past the handshake.
        await client.WriteAsync("ping"u8.ToArray(), cts.Token);
        var buffer = new byte[4];
        await client.ReadExactlyAsync(buffer, cts.Token);
        Assert.Equal("ping"u8.ToArray(), buffer);
    }

    [Fact]
    public async Task Tls_1_2_alone_is_served_too()
    {
        using var cts = new CancellationTokenSource(s_guard);

        await using var client = await ConnectAsync("a.example.com", SslProtocols.Tls12, cts.Token);

        Assert.Equal(SslProtocols.Tls12, client.SslProtocol);
        Assert.Equal(SslApplicationProtocol.Http11, client.NegotiatedApplicationProtocol);
    }

    [Fact]
    public async Task A_tls_1_1_client_is_refused()
    {
        using var cts = new CancellationTokenSource(s_guard);

#pragma warning disable SYSLIB0039 // TLS 1.1 on purpose: the server must refuse it.
        var e = await Record.ExceptionAsync(() => ConnectAsync("a.example.com", SslProtocols.Tls11, cts.Token));
#pragma warning restore SYSLIB0039
        var served = await _server.Handshakes.ReadAsync(cts.Token);

        Assert.True(e is AuthenticationException or IOException, $"expected a failed handshake, got {e}");
        Assert.NotNull(served.Error);
    }

    [Fact]
    public async Task A_required_client_certificate_that_is_missing_closes_the_handshake_and_one_the_hook_accepts_is_served()
    {
        using var cts = new CancellationTokenSource(s_guard);
        var clientLeaf = _certs.Leaf(true, "client.example.com");
        var seen = new List<string>();
        var store = CertificateStore.Load(_store.Settings with { ClientCertificate = ClientCertificateMode.Required },
            (certificate, _, _) =>
            {
                lock (seen) seen.Add(certificate.Thumbprint);
                return certificate.Issuer == _certs.Ca.Subject;
            });
        await using var server = new LoopbackTlsServer(store);

        // With TLS 1.3 the client's side of the handshake ends before the server checks its certificate: the refusal (an
        // alert, or a close) reaches the client at its first read.
        var missing = await Record.ExceptionAsync(async () =>
        {
            await using var refusedClient = await ConnectAsync(server.Port, "a.example.com", SslProtocols.None, cts.Token);
            if (await refusedClient.ReadAsync(new byte[1], cts.Token) == 0) throw new IOException("closed by the server");
        });
        var refused = await server.Handshakes.ReadAsync(cts.Token);
        await using var client = await ConnectAsync(server.Port, "a.example.com", SslProtocols.None, cts.Token, clientLeaf.Certificate);
        var accepted = await server.Handshakes.ReadAsync(cts.Token);

        Assert.NotNull(refused.Error);
        Assert.True(missing is AuthenticationException or IOException, $"expected a failed handshake, got {missing}");
        Assert.Null(accepted.Error);
        Assert.Equal([clientLeaf.Thumbprint], seen);
    }

    [OpensslFact]
    public async Task Openssl_s_client_negotiates_http_1_1_and_verifies_the_certificate_sni_picks()
    {
        foreach (var (name, subject) in new[] { ("a.example.com", "a.example.com"), ("b.example.com", "*.example.com") })
        {
            var (exit, output) = await Openssl.SClientAsync(_server.Port, "-servername", name, "-alpn", "http/1.1", "-CAfile", _certs.CaPemPath,
                "-verify_return_error", "-verify_hostname", name);

            Assert.True(exit == 0, output);
            Assert.Contains("ALPN protocol: http/1.1", output);
            Assert.Contains("Verify return code: 0 (ok)", output);
            Assert.Contains($"CN = {subject}", output.Split('\n').Single(l => l.StartsWith("subject=", StringComparison.Ordinal)));
        }
    }

    [OpensslFact]
    public async Task Openssl_s_client_offering_only_tls_1_1_gets_a_protocol_version_alert()
    {
        // SECLEVEL=0 lets this OpenSSL offer TLS 1.1 at all, so that the refusal is the server's.
        var (exit, output) = await Openssl.SClientAsync(_server.Port, "-servername", "a.example.com", "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");

        Assert.NotEqual(0, exit);
        Assert.Contains("protocol version", output);
    }

    [OpensslFact]
    public async Task The_development_certificate_verifies_against_its_own_pem_for_localhost_and_127_0_0_1()
    {
        var dev = DevelopmentCertificate.Create();
        var pem = _certs.PathOf("dev.pem");
        dev.ExportCertificate(pem);
        await using var server = new LoopbackTlsServer(CertificateStore.ForCertificate(dev.Certificate, ServerSettings.Load().Tls));

        var (exit, output) = await Openssl.SClientAsync(server.Port, "-servername", "localhost", "-alpn", "http/1.1", "-CAfile", pem,
            "-verify_return_error", "-verify_hostname", "localhost");
        var (ipExit, ipOutput) = await Openssl.SClientAsync(server.Port, "-CAfile", pem, "-verify_return_error", "-verify_ip", "127.0.0.1");

        Assert.True(exit == 0, output);
        Assert.Contains("Verify return code: 0 (ok)", output);
        Assert.True(ipExit == 0, ipOutput);
        Assert.Contains("Verify return code: 0 (ok)", ipOutput);
    }

    private Task<SslStream> ConnectAsync(string targetHost, SslProtocols protocols, CancellationToken ct) =>
        ConnectAsync(_server.Port, targetHost, protocols, ct);

    private async Task<SslStream> ConnectAsync(int port, string targetHost, SslProtocols protocols, CancellationToken ct, X509Certificate2? clientCertificate = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), ct);
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true));
        var trust = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        trust.CustomTrustStore.Add(_certs.Ca);
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = targetHost,
                // h2 first: the server must still choose http/1.1, the only protocol it offers.
                ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
                EnabledSslProtocols = protocols,
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                CertificateChainPolicy = trust,
                // The IP case has no name to check; every other case must verify fully.
                RemoteCertificateValidationCallback = (_, _, _, errors) =>
                    errors == SslPolicyErrors.None || (targetHost == "127.0.0.1" && errors == SslPolicyErrors.RemoteCertificateNameMismatch),
            }, ct);
        }
        catch
        {
            await ssl.DisposeAsync();
            throw;
        }
        return ssl;
    }

    /// <summary>What the server side of one handshake saw.</summary>
    public sealed record ServedHandshake(SslApplicationProtocol Alpn, Exception? Error);

    /// <summary>A loopback listener that authenticates each connection with a store's <see cref="CertificateStore.SelectionCallback"/>,
    /// reports each handshake, and echoes what the client sends.</summary>
    private sealed class LoopbackTlsServer : IAsyncDisposable
    {
        private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        private readonly CertificateStore _store;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _accepting;
        private readonly Channel<ServedHandshake> _handshakes = Channel.CreateUnbounded<ServedHandshake>();
        private readonly List<Task> _connections = [];

        public LoopbackTlsServer(CertificateStore store)
        {
            _store = store;
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _listener.Listen();
            Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
            _accepting = AcceptAsync();
        }

        public int Port { get; }

        public ChannelReader<ServedHandshake> Handshakes => _handshakes.Reader;

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket socket;
                try
                {
                    socket = await _listener.AcceptAsync(_stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }
                lock (_connections) _connections.Add(ServeAsync(socket));
            }
        }

        private async Task ServeAsync(Socket socket)
        {
            await using var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true));
            try
            {
                await ssl.AuthenticateAsServerAsync(_store.SelectionCallback, null, _stop.Token);
            }
            catch (Exception e)
            {
                _handshakes.Writer.TryWrite(new ServedHandshake(default, e));
                return;
            }
            _handshakes.Writer.TryWrite(new ServedHandshake(ssl.NegotiatedApplicationProtocol, null));
            var buffer = new byte[256];
            try
            {
                int n;
                while ((n = await ssl.ReadAsync(buffer, _stop.Token)) > 0) await ssl.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or AuthenticationException)
            {
            }
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            _listener.Dispose();
            await _accepting;
            Task[] connections;
            lock (_connections) connections = [.. _connections];
            await Task.WhenAll(connections);
            _stop.Dispose();
        }
    }
}

/// <summary>A fact that needs the openssl binary; skipped with the reason when it is missing (CI installs nothing for it yet).</summary>
public sealed class OpensslFactAttribute : FactAttribute
{
    public OpensslFactAttribute()
    {
        if (!Openssl.IsAvailable) Skip = "openssl is not on the PATH (CI does not install it yet)";
    }
}

/// <summary>Runs <c>openssl s_client</c> as a real TLS peer.</summary>
public static class Openssl
{
    public static bool IsAvailable { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Any(dir => File.Exists(Path.Combine(dir, "openssl")));

    /// <summary>Connects to 127.0.0.1:<paramref name="port"/>, completes the handshake, closes at once (stdin is empty);
    /// returns the exit code and stdout and stderr together.</summary>
    public static async Task<(int Exit, string Output)> SClientAsync(int port, params string[] args)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["s_client", "-connect", $"127.0.0.1:{port}", .. args]) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (process.ExitCode, await stdout + await stderr);
    }
}
