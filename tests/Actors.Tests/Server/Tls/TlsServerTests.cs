using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ActorHttp.Actors.Tests.Support;
using ActorHttp.Server;
using ActorHttp.Server.Tls;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Server.Tls;

/// <summary>
/// The server over TLS, end to end on 127.0.0.1: HttpClient trusting a test CA, curl --cacert, openssl s_client (ALPN, SNI,
/// TLS 1.1 refused), keep-alive and pipelining, 100 MiB each way, plain HTTP to the TLS port, a required client
/// certificate that is missing, certificate reload, the handshake metrics, and no connection left after 1,000 handshakes.
/// </summary>
public sealed class TlsServerTests : ServerTestBase
{
    private static readonly TimeSpan s_guard = TimeSpan.FromSeconds(60);
    private readonly TestCertificates _certs = new();
    private readonly TestLeaf _leaf;
    private readonly TestLeaf _exact;

    public TlsServerTests(ITestOutputHelper output) : base(output, TestConfig.Server)
    {
        _leaf = _certs.Leaf(ecdsa: true, "localhost");
        _exact = _certs.Leaf(ecdsa: false, "a.example.com");
    }

    private ServerSettings TlsSettings(Func<TlsSettings, TlsSettings>? change = null)
    {
        var tls = Settings.Tls with
        {
            Enabled = true,
            Default = _certs.WritePem("server", _leaf),
            Hosts = [new SniCertificate("a.example.com", _certs.WritePem("exact", _exact))],
        };
        return Settings with { Tls = change is null ? tls : change(tls) };
    }

    private static ServeMux Mux() => new ServeMux()
        .HandleFunc("GET /hello", (w, _) => w.WriteAsync("hello").AsTask())
        .HandleFunc("GET /tls", (w, r) => w.WriteAsync(r.Tls is { } tls
            ? $"https={r.IsHttps} {tls.Protocol} sni={tls.HostName ?? "-"} alpn={tls.ApplicationProtocol ?? "-"} client-cert={tls.ClientCertificate is not null}"
            : $"https={r.IsHttps}").AsTask())
        .HandleFunc("GET /port", (w, r) => w.WriteAsync(((IPEndPoint)r.RemoteEndPoint!).Port.ToString(CultureInfo.InvariantCulture)).AsTask())
        .HandleFunc("GET /echo/{text}", (w, r) => w.WriteAsync(r.PathValue("text")!).AsTask())
        .HandleFunc("GET /download/{mib}", async (w, r) =>
        {
            var chunk = Pattern(64 * 1024);
            var count = long.Parse(r.PathValue("mib")!, CultureInfo.InvariantCulture) * 16;
            w.Headers.Set("Content-Length", (count * chunk.Length).ToString(CultureInfo.InvariantCulture));
            for (var i = 0; i < count; i++) await w.WriteAsync(chunk);
        })
        .HandleFunc("POST /upload", async (w, r) =>
        {
            var buffer = new byte[64 * 1024];
            long total = 0;
            var wrong = 0L;
            int n;
            while ((n = await r.Body.ReadAsync(buffer)) > 0)
            {
                for (var i = 0; i < n; i++)
                    if (buffer[i] != (byte)((total + i) % 251)) wrong++;
                total += n;
            }
            await w.WriteAsync($"{total} {wrong}");
        }, maxRequestBodySize: 200L << 20);

    // Bytes 0, 1, ... 250, 0, 1, ...: a body whose every byte says where it belongs.
    private static byte[] Pattern(int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++) bytes[i] = (byte)(i % 251);
        return bytes;
    }

    private HttpClient HttpsClient(HttpServer server, Action<X509Certificate2>? seen = null, int maxConnections = int.MaxValue,
        X509Certificate2? clientCertificate = null)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1), MaxConnectionsPerServer = maxConnections };
        if (clientCertificate is not null) handler.SslOptions.ClientCertificates = [clientCertificate];
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
        {
            // Trust the test CA alone, as curl --cacert does: build the chain with it as the only root.
            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.Add(_certs.Ca);
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            var leaf = new X509Certificate2(certificate!);
            seen?.Invoke(leaf);
            return (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None && custom.Build(leaf);
        };
        return new HttpClient(handler)
        {
            BaseAddress = new Uri($"https://localhost:{server.LocalEndPoint.Port}"),
            Timeout = s_guard,
        };
    }

    // HttpClient resolves localhost to ::1 first and falls back to 127.0.0.1; the server listens on 127.0.0.1 only.
    private async Task<SslStream> TlsConnectAsync(HttpServer server, string host = "localhost", SslProtocols protocols = SslProtocols.None)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server.LocalEndPoint);
        var stream = new SslStream(new NetworkStream(socket, ownsSocket: true));
        using var cts = new CancellationTokenSource(s_guard);
        await stream.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = host,
            EnabledSslProtocols = protocols,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        }, cts.Token);
        return stream;
    }

    private static async Task<string> ReadToCloseAsync(Stream stream)
    {
        using var cts = new CancellationTokenSource(s_guard);
        var all = new MemoryStream();
        await stream.CopyToAsync(all, cts.Token);
        return Encoding.Latin1.GetString(all.ToArray());
    }

    [Fact]
    public async Task A_handler_sees_what_the_handshake_agreed_and_a_plain_request_sees_none()
    {
        var server = await StartAsync(Mux(), TlsSettings());
        await using (var tls13 = await TlsConnectAsync(server, "a.example.com", SslProtocols.Tls13))
        {
            await tls13.WriteAsync("GET /tls HTTP/1.1\r\nHost: a.example.com\r\nConnection: close\r\n\r\n"u8.ToArray());
            Assert.EndsWith("\r\n\r\nhttps=True Tls13 sni=a.example.com alpn=http/1.1 client-cert=False", await ReadToCloseAsync(tls13));
        }

        await using (var tls12 = await TlsConnectAsync(server, "localhost", SslProtocols.Tls12))
        {
            await tls12.WriteAsync("GET /tls HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"u8.ToArray());
            Assert.EndsWith("\r\n\r\nhttps=True Tls12 sni=localhost alpn=http/1.1 client-cert=False", await ReadToCloseAsync(tls12));
        }

        var plain = await StartAsync(Mux());
        using var client = ClientFor(plain);
        Assert.Equal("https=False", await client.GetStringAsync("/tls"));
    }

    [Fact]
    public async Task HttpClient_trusting_the_test_ca_is_served_over_https_and_keeps_the_connection_alive()
    {
        var server = await StartAsync(Mux(), TlsSettings());
        using var client = HttpsClient(server, maxConnections: 1);

        Assert.Equal("hello", await client.GetStringAsync("/hello"));
        var first = await client.GetStringAsync("/port");
        for (var i = 0; i < 5; i++) Assert.Equal(first, await client.GetStringAsync("/port"));
    }

    [Fact]
    public async Task Curl_with_cacert_is_served()
    {
        if (!Curl.IsAvailable) return;   // .ci/run installs curl; a bare dev box may lack it
        var server = await StartAsync(Mux(), TlsSettings());
        var port = server.LocalEndPoint.Port;
        var body = await Curl.RunAsync("-sS", "--cacert", _certs.CaPemPath, "--resolve", $"localhost:{port}:127.0.0.1",
            $"https://localhost:{port}/hello", $"https://localhost:{port}/echo/again");
        Assert.Equal("helloagain", body);
    }

    [OpensslFact]
    public async Task Openssl_s_client_gets_http_1_1_by_alpn_the_certificate_sni_picks_and_no_tls_1_1()
    {
        var server = await StartAsync(Mux(), TlsSettings());
        var port = server.LocalEndPoint.Port;

        var (exit, output) = await Openssl.SClientAsync(port, "-alpn", "h2,http/1.1", "-servername", "localhost", "-CAfile", _certs.CaPemPath, "-verify_return_error");
        Assert.True(exit == 0, output);
        Assert.Contains("ALPN protocol: http/1.1", output);
        Assert.Contains("CN = localhost", output);
        Assert.Contains("Verify return code: 0 (ok)", output);

        (exit, output) = await Openssl.SClientAsync(port, "-servername", "a.example.com", "-CAfile", _certs.CaPemPath, "-verify_return_error");
        Assert.True(exit == 0, output);
        Assert.Contains("CN = a.example.com", output);

        // SECLEVEL=0 lets this OpenSSL offer TLS 1.1 at all, so that the refusal is the server's.
        (exit, output) = await Openssl.SClientAsync(port, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0", "-servername", "localhost");
        Assert.NotEqual(0, exit);
        Assert.Contains("protocol version", output);

        // Refused handshakes leave the server serving.
        using var client = HttpsClient(server);
        Assert.Equal("hello", await client.GetStringAsync("/hello"));
    }

    [Support.Peers.PythonFact]
    // suppress_ragged_eofs=False: a close without TLS's close_notify alert fails the read (SSLEOFError), so the response read to
    // the close (Connection: close) shows that the server sends one.
    public async Task Python_ssl_with_the_test_ca_negotiates_http_1_1_is_served_and_sees_close_notify()
    {
        var server = await StartAsync(Mux(), TlsSettings());
        const string script = """
            import socket, ssl, sys
            context = ssl.create_default_context(cafile=sys.argv[2])
            context.set_alpn_protocols(["http/1.1"])
            with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20) as raw:
                with context.wrap_socket(raw, server_hostname="localhost", suppress_ragged_eofs=False) as tls:
                    alpn, version = tls.selected_alpn_protocol(), tls.version()
                    tls.sendall(b"GET /echo/python HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    data = b""
                    while True:
                        chunk = tls.recv(65536)
                        if not chunk:
                            break
                        data += chunk
                    print(alpn, version, data.split(b"\r\n")[0].decode(), data.split(b"\r\n\r\n", 1)[1].decode())
            """;
        var start = new System.Diagnostics.ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["-c", script, server.LocalEndPoint.Port.ToString(CultureInfo.InvariantCulture), _certs.CaPemPath]) start.ArgumentList.Add(a);
        using var python = System.Diagnostics.Process.Start(start)!;
        var stdout = python.StandardOutput.ReadToEndAsync();
        var stderr = python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync().WaitAsync(s_guard);
        Assert.True(python.ExitCode == 0, await stderr);
        Assert.Equal("http/1.1 TLSv1.3 HTTP/1.1 200 OK python", (await stdout).Trim());
    }

    [Fact]
    public async Task Pipelined_requests_in_one_tls_write_get_their_responses_in_order()
    {
        var server = await StartAsync(Mux(), TlsSettings());
        await using var tls = await TlsConnectAsync(server);
        Assert.Equal(SslApplicationProtocol.Http11, tls.NegotiatedApplicationProtocol);
        var requests = new StringBuilder();
        for (var i = 0; i < 10; i++) requests.Append("GET /echo/r").Append(i).Append(" HTTP/1.1\r\nHost: localhost\r\n\r\n");
        requests.Append("GET /echo/last HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        await tls.WriteAsync(Encoding.ASCII.GetBytes(requests.ToString()));

        var all = await ReadToCloseAsync(tls);
        var at = 0;
        foreach (var body in Enumerable.Range(0, 10).Select(i => "r" + i).Append("last"))
        {
            var status = all.IndexOf("HTTP/1.1 200 OK\r\n", at, StringComparison.Ordinal);
            Assert.True(status >= 0, $"no response for {body} in: {all}");
            var end = all.IndexOf("\r\n\r\n", status, StringComparison.Ordinal) + 4;
            Assert.Equal(body, all.Substring(end, body.Length));
            at = end + body.Length;
        }
        Assert.Equal(all.Length, at);
    }

    [Fact]
    public async Task A_100_MiB_download_and_a_100_MiB_upload_arrive_whole()
    {
        var server = await StartAsync(Mux(), TlsSettings());
        using var client = HttpsClient(server);

        using (var response = await client.GetAsync("/download/100", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[64 * 1024];
            long total = 0, wrong = 0;
            int n;
            while ((n = await body.ReadAsync(buffer)) > 0)
            {
                // The pattern restarts with each 64 KiB chunk the handler wrote.
                for (var i = 0; i < n; i++)
                    if (buffer[i] != (byte)((total + i) % (64 * 1024) % 251)) wrong++;
                total += n;
            }
            Assert.Equal(100L << 20, total);
            Assert.Equal(0, wrong);
        }

        var upload = new StreamContent(new PatternStream(100L << 20));
        upload.Headers.ContentLength = 100L << 20;
        var answer = await (await client.PostAsync("/upload", upload)).Content.ReadAsStringAsync();
        Assert.Equal($"{100L << 20} 0", answer);
    }

    [Fact]
    public async Task Plain_http_to_the_tls_port_gets_go_s_400_in_clear_text_and_a_close_and_is_counted()
    {
        using var metrics = new ServerMeasurements();
        var server = await StartAsync(Mux(), TlsSettings());
        await using var plain = await ConnectAsync(server);
        await plain.SendAsync("GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n");
        plain.ShutdownSend();
        Assert.Equal("HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n", await plain.ReadToCloseAsync());
        await metrics.WaitForAsync("kestrel.tls_handshake.duration", "error.type", "plain_http");

        using var client = HttpsClient(server);
        Assert.Equal("hello", await client.GetStringAsync("/hello"));
        await metrics.WaitForAsync("kestrel.tls_handshake.duration", "tls.protocol.version", "1.3");
        Assert.Contains(1.0, metrics.Values("kestrel.active_tls_handshakes"));
        Assert.Contains(-1.0, metrics.Values("kestrel.active_tls_handshakes"));
    }

    [Fact]
    public async Task A_required_client_certificate_that_is_missing_fails_the_handshake()
    {
        var server = await StartAsync(Mux(), TlsSettings(t => t with { ClientCertificate = ClientCertificateMode.Required }));
        using var client = HttpsClient(server);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.GetStringAsync("/hello"));
        Assert.Empty(Connections(server));
    }

    [Fact]
    public async Task A_store_given_in_code_with_a_validation_delegate_serves_the_client_certificate_it_accepts()
    {
        var clientLeaf = _certs.Leaf(ecdsa: true, "client.test");
        var settings = TlsSettings(t => t with { ClientCertificate = ClientCertificateMode.Required });
        var store = CertificateStore.Load(settings.Tls, (certificate, _, _) => certificate.Thumbprint == clientLeaf.Thumbprint);
        // TLS comes from the store alone: the settings given to the server say nothing of it.
        var server = await HttpServer.StartAsync(Sys, Mux(), new IPEndPoint(IPAddress.Loopback, 0), Settings, certificates: store);
        try
        {
            using var accepted = HttpsClient(server, clientCertificate: clientLeaf.Certificate);
            Assert.Equal("hello", await accepted.GetStringAsync("/hello"));

            var stranger = _certs.Leaf(ecdsa: true, "stranger.test");
            using var refused = HttpsClient(server, clientCertificate: stranger.Certificate);
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => refused.GetStringAsync("/hello"));
        }
        finally
        {
            await server.ShutdownAsync(TimeSpan.FromSeconds(5)).WaitAsync(TimeSpan.FromSeconds(15));
            await AwaitAssertAsync(() => Assert.Empty(LiveActorsUnder(server.Actor)), TimeSpan.FromSeconds(5));
        }
    }

    [Fact]
    public async Task Request_metrics_say_https()
    {
        using var metrics = new ServerMeasurements();
        var server = await StartAsync(Mux(), TlsSettings());
        using var client = HttpsClient(server);
        Assert.Equal("again", await client.GetStringAsync("/echo/again"));
        await metrics.WaitForAsync("http.server.request.duration", "http.route", "GET /echo/{text}", "url.scheme", "https");
    }

    [Fact]
    public async Task After_the_files_change_new_connections_get_the_new_certificate_and_an_open_one_keeps_working()
    {
        var server = await StartAsync(Mux(), TlsSettings());
        X509Certificate2? before = null, after = null;
        using var old = HttpsClient(server, c => before ??= c, maxConnections: 1);
        var oldPort = await old.GetStringAsync("/port");
        Assert.Equal(_leaf.Thumbprint, before!.Thumbprint);

        var renewed = _certs.Leaf(ecdsa: true, "localhost");
        var written = DateTime.UtcNow;
        var source = _certs.WritePem("server", renewed);
        TestCertificates.Touch(source.Certificate, written);
        TestCertificates.Touch(source.Key, written);

        using var fresh = HttpsClient(server, c => after ??= c);
        Assert.Equal("hello", await fresh.GetStringAsync("/hello"));
        Assert.Equal(renewed.Thumbprint, after!.Thumbprint);

        // The connection made before the change is the same one, and still served.
        Assert.Equal(oldPort, await old.GetStringAsync("/port"));
    }

    [Fact]
    public async Task A_thousand_tls_connections_opened_and_closed_leave_no_connection_or_socket()
    {
        // The subject is what is left behind, not the handshake timeout: a handshake delayed on a loaded machine must not fail it.
        var server = await StartAsync(Mux(), TlsSettings(t => t with { HandshakeTimeout = TimeSpan.FromSeconds(60) }));
        var request = Encoding.ASCII.GetBytes("GET /hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        await Parallel.ForAsync(0, 1000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, _) =>
        {
            await using var tls = await TlsConnectAsync(server);
            await tls.WriteAsync(request);
            Assert.EndsWith("\r\n\r\nhello", await ReadToCloseAsync(tls));
        });

        await AwaitAssertAsync(() =>
        {
            Assert.Empty(Connections(server));
            Assert.Empty(ServerSockets(server.LocalEndPoint.Port));
        }, TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_client_that_sends_nothing_or_stalls_mid_handshake_is_closed_at_the_handshake_timeout_and_others_are_served(bool stallMidway)
    {
        using var metrics = new ServerMeasurements();
        // Long enough that the other client's own handshake never hits it on a loaded machine.
        var timeout = TimeSpan.FromSeconds(3);
        var server = await StartAsync(Mux(), TlsSettings(t => t with { HandshakeTimeout = timeout }));
        await using var stalled = await ConnectAsync(server);
        var opened = System.Diagnostics.Stopwatch.StartNew();
        // A handshake record's header and the start of a ClientHello, and then nothing.
        if (stallMidway) await stalled.SendAsync([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03]);

        using (var client = HttpsClient(server))
            Assert.Equal("hello", await client.GetStringAsync("/hello"));

        Assert.True(await ClosedByPeerAsync(stalled, TimeSpan.FromSeconds(10)), "the stalled connection was not closed");
        Assert.True(opened.Elapsed >= timeout - TimeSpan.FromMilliseconds(100), $"closed after {opened.Elapsed}, before the timeout");
        await metrics.WaitForAsync("kestrel.tls_handshake.duration", "error.type", "timeout");
        await AwaitAssertAsync(() => Assert.Empty(Connections(server)), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_graceful_shutdown_closes_a_connection_still_in_its_handshake_at_once()
    {
        var server = await StartAsync(Mux(), TlsSettings(t => t with { HandshakeTimeout = TimeSpan.FromSeconds(60) }));
        await using var stalled = await ConnectAsync(server);
        await stalled.SendAsync([0x16, 0x03, 0x01]);
        await AwaitAssertAsync(() => Assert.NotEmpty(Connections(server)), TimeSpan.FromSeconds(5));

        // Nothing to finish on it: the shutdown does not wait for its handshake (60 s) or its own deadline (30 s).
        await server.ShutdownAsync(TimeSpan.FromSeconds(30)).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(await ClosedByPeerAsync(stalled, TimeSpan.FromSeconds(5)), "the connection in its handshake was not closed");
    }

    [Fact]
    public async Task A_client_that_resets_mid_handshake_leaves_nothing_behind()
    {
        using var metrics = new ServerMeasurements();
        var server = await StartAsync(Mux(), TlsSettings());
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server.LocalEndPoint);
        await socket.SendAsync(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03 }, SocketFlags.None);
        socket.LingerState = new LingerOption(true, 0);   // close with a reset
        socket.Dispose();

        await metrics.WaitForAsync("kestrel.tls_handshake.duration", "error.type", "peer_closed");
        await AwaitAssertAsync(() =>
        {
            Assert.Empty(Connections(server));
            Assert.Empty(ServerSockets(server.LocalEndPoint.Port));
        }, TimeSpan.FromSeconds(5));
        using var client = HttpsClient(server);
        Assert.Equal("hello", await client.GetStringAsync("/hello"));
    }

    // A close by the server: the end of the stream, or a reset (a close with unread bytes).
    private static async Task<bool> ClosedByPeerAsync(RawConnection connection, TimeSpan timeout)
    {
        try
        {
            return await connection.IsClosedByPeerAsync(timeout);
        }
        catch (SocketException)
        {
            return true;
        }
    }

    // The live connection actors (c<N>, in the listener's groups) and their children.
    private IReadOnlyList<string> Connections(HttpServer server) =>
        LiveActorsUnder(server.Actor).Where(p => p.Contains("/listener/g", StringComparison.Ordinal) && p.Split('/').Length > 5).ToArray();

    // Sockets this process holds on the server's port, other than the listening one: /proc/net/tcp rows whose local port is
    // it, with an inode (a TIME_WAIT row has none: no descriptor holds it) and not in LISTEN (0A).
    internal static IReadOnlyList<string> ServerSockets(int port)
    {
        var hex = ":" + port.ToString("X4", CultureInfo.InvariantCulture);
        return File.ReadLines("/proc/net/tcp").Skip(1)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f[1].EndsWith(hex, StringComparison.Ordinal) && f[3] != "0A" && f[9] != "0")
            .Select(f => string.Join(' ', f[1], f[2], f[3], f[9])).ToArray();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _certs.Dispose();
    }

    /// <summary>A read-only stream of <paramref name="length"/> bytes of the 0..250 pattern, made as it is read.</summary>
    private sealed class PatternStream(long length) : Stream
    {
        private long _position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            for (var i = 0; i < n; i++) buffer[offset + i] = (byte)((_position + i) % 251);
            _position += n;
            return n;
        }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
