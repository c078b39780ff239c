using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using ActorHttp;
using ActorHttp.Server;
using ActorHttp.Server.Tls;
using Akka.Actor;

// The benchmark server, shaped like the peers in ../shared/bench/servers:
//   GET  /plaintext -> 200 text/plain "Hello, World!"
//   POST /echo      -> the request body
//   GET  /debug/memory -> managed heap after a full GC and RSS, in bytes
// Usage: dotnet ActorHttp.Server.Bench.dll --port N [--inline] [--runtime-engine]   (listens on 127.0.0.1:N, stops on SIGTERM)
//        ... --tls-cert FILE [--tls-key FILE] | --tls-pfx FILE [--tls-password P] | --tls-self-signed   (HTTPS, as `actorhttp serve`;
//            ../shared/bench --tls runs it as "dotnet <dll> --port {port} --tls-cert {cert} --tls-key {key}")
//        ... --hocon "<config>"   (more configuration, over the reference: e.g. a handler dispatcher of its own)
//        dotnet ActorHttp.Server.Bench.dll [--tls-...] --probe alloc|alloc-types|idle|idle-types|idle-allocated|closed-allocated|timeout-allocated|slow-byte-allocated [--count N]   (in-process measurement, then exits)

var port = 8080;
string? probe = null;
var count = 0;
var extra = "";
string? tlsCert = null, tlsKey = null, tlsPfx = null, tlsPassword = null;
for (var i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--tls-cert") tlsCert = args[i + 1];
    if (args[i] == "--tls-key") tlsKey = args[i + 1];
    if (args[i] == "--tls-pfx") tlsPfx = args[i + 1];
    if (args[i] == "--tls-password") tlsPassword = args[i + 1];
    if (args[i] == "--port") port = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    if (args[i] == "--probe") { probe = args[i + 1]; port = 0; }
    if (args[i] == "--count") count = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    if (args[i] == "--hocon") extra = args[i + 1];
}

// --inline: the event-loop shape, nginx's: the server's unsafe-prefer-inline-scheduling, so that a
// whole request (read, parse, route, handler, send) runs on the event loop that saw the bytes arrive.
// Safe here because these two handlers never block; see hocon/server.conf for what it costs when
// one does. --runtime-engine: the runtime's socket engine instead of ActorHttp's event loops
// (epoll-event-loop = off; --inline then does nothing).
var inline = args.Contains("--inline");
var runtimeEngine = args.Contains("--runtime-engine");

var hello = "Hello, World!"u8.ToArray();
var mux = new ServeMux()
    .HandleFunc("GET /plaintext", (w, _) =>
    {
        w.Headers.Set("Content-Type", "text/plain");
        return w.WriteAsync(hello).AsTask();
    })
    // Where an idle connection's memory is (managed heap after a full collection, and the process's RSS): for
    // comparing a TLS connection's SslStream and OpenSSL state with a plain one (issue 13).
    .HandleFunc("GET /debug/memory", (w, _) =>
    {
        var managed = GC.GetTotalMemory(forceFullCollection: true);
        return w.WriteAsync(FormattableString.Invariant($"managed={managed} rss={System.Diagnostics.Process.GetCurrentProcess().WorkingSet64}\n")).AsTask();
    })
    .HandleFunc("POST /echo", async (w, r) =>
    {
        if (r.ContentLength is { } length) w.Headers.Set("Content-Length", length.ToString(CultureInfo.InvariantCulture));
        w.Headers.Set("Content-Type", "application/octet-stream");
        await r.Body.CopyToAsync(w.Body);
    });

var system = ActorSystem.Create("bench", Akka.Configuration.ConfigurationFactory.ParseString(
    $"actorhttp.server.unsafe-prefer-inline-scheduling = {(inline ? "on" : "off")}\n" +
    $"actorhttp.server.epoll-event-loop = {(runtimeEngine ? "off" : "on")}\n" + extra));
// HTTPS: the certificate files (reloaded when they change, as the settings say), or a development certificate.
CertificateStore? certificates = null;
var tlsSettings = Http.Get(system).ServerSettings.Tls;
if (args.Contains("--tls-self-signed"))
{
    var development = DevelopmentCertificate.Create();
    Console.WriteLine($"tls: SHA-256 fingerprint {development.FormatFingerprint()}");
    certificates = CertificateStore.ForCertificate(development.Certificate, tlsSettings);
}
else if (tlsCert is not null || tlsPfx is not null)
{
    certificates = CertificateStore.Load(tlsSettings with { Enabled = true, Default = new CertificateSource(tlsCert ?? tlsPfx!, tlsKey ?? "", tlsPassword ?? "") });
}

var server = await HttpServer.StartAsync(system, mux, new IPEndPoint(IPAddress.Loopback, port), certificates: certificates);
Console.WriteLine($"listening on {(certificates is null ? "http" : "https")}://{server.LocalEndPoint}");

if (probe is not null)
{
    if (probe.StartsWith("alloc", StringComparison.Ordinal) && certificates is not null)
        ActorHttp.Server.Bench.Probes.AllocationsPerTlsRequest(server.LocalEndPoint, count > 0 ? count : 100_000, types: probe == "alloc-types");
    else if (probe.StartsWith("alloc", StringComparison.Ordinal))
        ActorHttp.Server.Bench.Probes.AllocationsPerRequest(server.LocalEndPoint, count > 0 ? count : 100_000, types: probe == "alloc-types");
    else if (probe == "idle-allocated") ActorHttp.Server.Bench.Probes.AllocatedPerConnection(server.LocalEndPoint, count > 0 ? count : 1000);
    else if (probe == "slow-byte-allocated") ActorHttp.Server.Bench.Probes.AllocatedPerSlowByte(server.LocalEndPoint, count > 0 ? count : 1000);
    else if (probe == "timeout-allocated") ActorHttp.Server.Bench.Probes.AllocatedPerHeaderTimeout(server.LocalEndPoint, count > 0 ? count : 1000);
    else if (probe == "closed-allocated") ActorHttp.Server.Bench.Probes.AllocatedPerConnection(server.LocalEndPoint, count > 0 ? count : 1000, close: true);
    else ActorHttp.Server.Bench.Probes.IdleConnectionMemory(server.LocalEndPoint, count > 0 ? count : 2000, types: probe == "idle-types");
    await server.CloseAsync();
    await system.Terminate();
    return;
}

var stop = new TaskCompletionSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.TrySetResult(); };
await stop.Task;
await server.CloseAsync();
await system.Terminate();
