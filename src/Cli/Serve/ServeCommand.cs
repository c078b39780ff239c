using System.CommandLine;
using System.Net;
using System.Runtime.InteropServices;
using ActorHttp.Server;
using ActorHttp.Server.Handlers;
using Akka.Actor;
using Serilog;

namespace ActorHttp.Cli.Serve;

/// <summary>
/// <c>actorhttp serve</c>: a file and echo server that shows the server runtime working.
/// Routes: <c>/healthz</c>, <c>/anything</c> and everything under it (JSON description of the
/// request), and the files under <c>--root</c> for everything else; <c>--anything</c> answers every
/// path with the JSON description.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var port = new Option<int?>("--port", "Port to listen on (default: actorhttp.server.default-port; 0 picks a free one).");
        var bind = new Option<string?>("--bind", "Address to bind (default: actorhttp.server.default-bind-address).");
        var root = new Option<DirectoryInfo?>("--root", "Directory whose files are served (default: the current directory).");
        var anything = new Option<bool>("--anything", "Answer every path with a JSON description of the request.");
        var config = new Option<FileInfo?>("--config", "A HOCON file with settings that override the defaults.");
        var tlsCert = new Option<string?>("--tls-cert", "Serve HTTPS with this PEM certificate chain (leaf first; with --tls-key, or the key in the same file).");
        var tlsKey = new Option<string?>("--tls-key", "The PEM private key of --tls-cert.");
        var tlsPfx = new Option<string?>("--tls-pfx", "Serve HTTPS with this PKCS#12 (.pfx/.p12) file.");
        var tlsPassword = new Option<string?>("--tls-password", "The password of --tls-pfx (or of an encrypted --tls-key).");
        var tlsSelfSigned = new Option<bool>("--tls-self-signed", "Serve HTTPS with a development certificate for localhost, made at start; prints its SHA-256 fingerprint.");
        var tlsExport = new Option<string?>("--tls-export", "With --tls-self-signed: write the certificate's PEM to this file (for curl --cacert).");
        var command = new Command("serve", "Serve files and echo requests over HTTP/1.1 (HTTPS with the --tls options or actorhttp.server.tls).")
        {
            port, bind, root, anything, config, tlsCert, tlsKey, tlsPfx, tlsPassword, tlsSelfSigned, tlsExport,
        };
        command.SetHandler(async context =>
        {
            var r = context.ParseResult;
            var tls = new ServeTls(r.GetValueForOption(tlsCert), r.GetValueForOption(tlsKey), r.GetValueForOption(tlsPfx),
                r.GetValueForOption(tlsPassword), r.GetValueForOption(tlsSelfSigned), r.GetValueForOption(tlsExport));
            if (tls.Check() is { } wrong)
            {
                await Console.Error.WriteLineAsync($"actorhttp serve: {wrong}").ConfigureAwait(false);
                context.ExitCode = 2;
                return;
            }
            context.ExitCode = await RunAsync(r.GetValueForOption(port), r.GetValueForOption(bind), r.GetValueForOption(root),
                r.GetValueForOption(anything), r.GetValueForOption(config), tls).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(int? port, string? bind, DirectoryInfo? root, bool anything, FileInfo? configFile, ServeTls tls)
    {
        var config = CliConfig.Load(configFile);
        Log.Logger = CliConfig.CreateLogger(config);
        var system = ActorSystem.Create("actorhttp", CliConfig.ForActorSystem(config));
        try
        {
            var settings = Http.Get(system).ServerSettings;
            var address = IPAddress.Parse(bind ?? settings.DefaultBindAddress);
            var endPoint = new IPEndPoint(address, port ?? settings.DefaultPort);

            var mux = new ServeMux();
            mux.HandleFunc("/healthz", (w, _) => w.WriteAsync("ok\n").AsTask());
            if (anything)
            {
                mux.HandleFunc("/", AnythingHandler.HandleAsync);
            }
            else
            {
                mux.HandleFunc("/anything", AnythingHandler.HandleAsync);
                mux.HandleFunc("/anything/", AnythingHandler.HandleAsync);
                mux.HandleFunc("/", FileServer.Create((root ?? new DirectoryInfo(Environment.CurrentDirectory)).FullName));
            }

            Server.Tls.CertificateStore? certificates;
            try
            {
                certificates = tls.Load(settings, Console.WriteLine);
            }
            catch (Exception e) when (e is Server.Tls.CertificateLoadException or ArgumentException)
            {
                Log.Error("Cannot serve HTTPS: {Message}", e.Message);
                return 1;
            }

            HttpServer server;
            try
            {
                server = await HttpServer.StartAsync(system, mux, endPoint, settings, "server", certificates: certificates).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                Log.Error("Could not listen on {EndPoint}: {Message}", endPoint, e.Message);
                return 1;
            }

            Console.WriteLine($"listening on {(certificates is null ? "http" : "https")}://{server.LocalEndPoint}");
            await WaitForStopSignalAsync().ConfigureAwait(false);
            // The system's CoordinatedShutdown stops the server: unbind (service-unbind), finish in-flight
            // requests (service-requests-done), then the actor system.
            Log.Information("Shutting down (up to {Deadline})", settings.ShutdownTimeout);
            await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance).ConfigureAwait(false);
            return 0;
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
            await Log.CloseAndFlushAsync().ConfigureAwait(false);
        }
    }

    // Ctrl+C and SIGTERM both mean "stop gracefully".
    private static Task WaitForStopSignalAsync()
    {
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.TrySetResult();
        };
        var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.TrySetResult();
        });
        return stop.Task.ContinueWith(_ => sigterm.Dispose(), TaskScheduler.Default);
    }
}
