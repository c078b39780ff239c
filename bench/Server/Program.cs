using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using ActorHttp.Kernel;
using ActorHttp.Server;

// The benchmark server, shaped like the peers in ../shared/bench/servers:
//   GET  /plaintext -> 200 text/plain "Hello, World!"
//   POST /echo      -> the request body
// Usage: dotnet ActorHttp.Server.Bench.dll --port N [--inline-completions]   (listens on 127.0.0.1:N, stops on SIGTERM)
//        dotnet ActorHttp.Server.Bench.dll --probe alloc|alloc-types|idle|idle-types [--count N]   (in-process measurement, then exits)

var port = 8080;
string? probe = null;
var count = 0;
for (var i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--port") port = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    if (args[i] == "--probe") { probe = args[i + 1]; port = 0; }
    if (args[i] == "--count") count = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
}

// --inline-completions: socket completions run on the runtime's epoll thread instead of being queued
// to the thread pool, and with ActorCompletion and the run-next hand-off a whole request (read,
// parse, route, handler, send) then runs there, nginx's event-loop shape. It is the runtime's own
// process-wide switch (the DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS environment variable, read
// when the first socket is used, hence before anything else here), and it is unsafe for handlers
// that block: a blocked handler stalls every connection of that epoll thread (Kestrel's
// UnsafePreferInlineScheduling has the same trade-off), as does any code that resumes after an
// awaited socket operation and then blocks. Off unless asked for: an experiment, not a supported
// mode. (The Actors tests pass under it since their last synchronous wait after socket I/O became
// an await.)
if (args.Contains("--inline-completions"))
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");

var hello = "Hello, World!"u8.ToArray();
var mux = new ServeMux()
    .HandleFunc("GET /plaintext", (w, _) =>
    {
        w.Headers.Set("Content-Type", "text/plain");
        return w.WriteAsync(hello).AsTask();
    })
    .HandleFunc("POST /echo", async (w, r) =>
    {
        if (r.ContentLength is { } length) w.Headers.Set("Content-Length", length.ToString(CultureInfo.InvariantCulture));
        w.Headers.Set("Content-Type", "application/octet-stream");
        await r.Body.CopyToAsync(w.Body);
    });

var system = ActorSystem.Create("bench");
var server = await HttpServer.StartAsync(system, mux, new IPEndPoint(IPAddress.Loopback, port));
Console.WriteLine($"listening on http://{server.LocalEndPoint}");

if (probe is not null)
{
    if (probe.StartsWith("alloc", StringComparison.Ordinal))
        ActorHttp.Server.Bench.Probes.AllocationsPerRequest(server.LocalEndPoint, count > 0 ? count : 100_000, types: probe == "alloc-types");
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
