using System.CommandLine;
using System.Diagnostics;
using System.Net.Security;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ActorHttp.Cli.Get;

namespace ActorHttp.Cli.Tests;

/// <summary>
/// The TLS options of the tool as a user runs them: <c>serve --tls-self-signed --tls-export</c> (fingerprint printed, PEM
/// written) checked by <c>get --cacert</c>, <c>get -k</c> and a <c>get</c> that trusts nothing extra; <c>serve --tls-cert
/// --tls-key</c> and <c>--tls-pfx --tls-password</c> with files made here; options that do not go together.
/// </summary>
public sealed class TlsCommandTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly string _dir = Directory.CreateTempSubdirectory("actorhttp-cli-tls-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Serve_self_signed_prints_the_fingerprint_of_the_pem_it_exports_and_get_trusts_it_with_cacert_or_k_only()
    {
        var pem = Path.Combine(_dir, "dev.pem");
        var lines = new List<string>();
        using var process = Start("serve", "--port", "0", "--bind", "127.0.0.1", "--anything", "--tls-self-signed", "--tls-export", pem);
        try
        {
            var address = await ReadListeningAddressAsync(process, lines);
            Assert.StartsWith("https://127.0.0.1:", address);

            using var exported = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(pem));
            var fingerprint = string.Join(':', exported.GetCertHash(HashAlgorithmName.SHA256).Select(b => b.ToString("X2")));
            Assert.Contains(lines, l => l.Contains($"SHA-256 fingerprint {fingerprint}", StringComparison.Ordinal));

            var trusted = await GetAsync("--cacert", pem, address + "/healthz");
            Assert.True(trusted.ExitCode == 0, trusted.Error);
            Assert.Equal("ok\n", trusted.Out);

            var insecure = await GetAsync("-k", address + "/healthz");
            Assert.True(insecure.ExitCode == 0, insecure.Error);
            Assert.Equal("ok\n", insecure.Out);

            // Without either, the development certificate is not trusted.
            var refused = await GetAsync(address + "/healthz");
            Assert.Equal(1, refused.ExitCode);
            Assert.Equal("", refused.Out);

            Assert.Equal(0, kill(process.Id, 15));   // SIGTERM
            await process.WaitForExitAsync().WaitAsync(Deadline);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Serve_with_pem_files_or_a_pfx_serves_that_certificate(bool pfx)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        string[] tls;
        if (pfx)
        {
            var file = Path.Combine(_dir, "server.pfx");
            await File.WriteAllBytesAsync(file, certificate.Export(X509ContentType.Pkcs12, "secret"));
            tls = ["--tls-pfx", file, "--tls-password", "secret"];
        }
        else
        {
            var cert = Path.Combine(_dir, "server.crt");
            var keyFile = Path.Combine(_dir, "server.key");
            await File.WriteAllTextAsync(cert, certificate.ExportCertificatePem());
            await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem());
            tls = ["--tls-cert", cert, "--tls-key", keyFile];
        }

        using var process = Start(["serve", "--port", "0", "--bind", "127.0.0.1", "--anything", .. tls]);
        try
        {
            var address = await ReadListeningAddressAsync(process, []);
            string? served = null;
            using var handler = new SocketsHttpHandler();
            handler.SslOptions.RemoteCertificateValidationCallback = (_, c, _, _) =>
            {
                served = c?.GetCertHashString();
                return true;
            };
            using var client = new HttpClient(handler) { BaseAddress = new Uri(address), Timeout = Deadline };
            Assert.Equal("ok\n", await client.GetStringAsync("/healthz"));
            Assert.Equal(certificate.GetCertHashString(), served);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().WaitAsync(Deadline);
        }
    }

    [Theory]
    [InlineData("--tls-self-signed", "--tls-pfx", "x.pfx")]
    [InlineData("--tls-key", "x.key")]
    [InlineData("--tls-export", "x.pem")]
    public async Task Serve_refuses_tls_options_that_do_not_go_together(params string[] tls)
    {
        using var process = Start(["serve", "--port", "0", .. tls]);
        await process.WaitForExitAsync().WaitAsync(Deadline);
        Assert.Equal(2, process.ExitCode);
    }

    [Fact]
    public async Task Get_refuses_a_cacert_file_without_a_certificate()
    {
        var empty = Path.Combine(_dir, "empty.pem");
        await File.WriteAllTextAsync(empty, "not a certificate\n");
        var outcome = await GetAsync("--cacert", empty, "https://127.0.0.1:1/");
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("no PEM certificate", outcome.Error);
    }

    // The get command with the tool's own transport, so that --cacert and -k reach it.
    private static async Task<CommandRunner.Outcome> GetAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var console = new CliConsole(stdout, stderr, null, false);
        var code = await GetCommand.Create(null, () => console).InvokeAsync(args);
        return new CommandRunner.Outcome(code, stdout.ToString(), stderr.ToString());
    }

    private static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ActorHttp.Cli.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<string> ReadListeningAddressAsync(Process process, List<string> lines)
    {
        using var cts = new CancellationTokenSource(Deadline);
        while (true)
        {
            var line = await process.StandardOutput.ReadLineAsync(cts.Token)
                       ?? throw new InvalidOperationException("serve exited before it listened: " + string.Join(" | ", lines));
            lines.Add(line);
            const string prefix = "listening on ";
            if (line.StartsWith(prefix, StringComparison.Ordinal)) return line[prefix.Length..];
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
