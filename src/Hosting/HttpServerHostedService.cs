using System.Net;
using ActorHttp.Server;
using Akka.Actor;
using Microsoft.Extensions.Hosting;

namespace ActorHttp.Hosting;

/// <summary>
/// Runs an ActorHttp server inside a Microsoft.Extensions.Hosting application: started with the
/// host, shut down gracefully within the host's shutdown token when it stops.
/// </summary>
/// <remarks>
/// Register with <c>services.AddHostedService(sp =&gt; new HttpServerHostedService(system, mux))</c>.
/// The actor system is the caller's: the service starts and stops only the server. For an application whose
/// actor system is built by Akka.Hosting (<c>services.AddAkka(...)</c>), <c>WithActorHttpServer</c>
/// (<see cref="ActorHttpHostingExtensions"/>) is the way: it also registers the server in the <c>ActorRegistry</c>.
/// </remarks>
public sealed class HttpServerHostedService : IHostedService, IAsyncDisposable
{
    private readonly ActorSystem _system;
    private readonly ServeMux _mux;
    private readonly IPEndPoint? _endPoint;
    private readonly ServerSettings? _settings;
    private HttpServer? _server;

    /// <summary>Creates the service; nothing listens until the host starts it.</summary>
    public HttpServerHostedService(ActorSystem system, ServeMux mux, IPEndPoint? endPoint = null, ServerSettings? settings = null)
    {
        _system = system;
        _mux = mux;
        _endPoint = endPoint;
        _settings = settings;
    }

    /// <summary>The running server; null before start and after stop.</summary>
    public HttpServer? Server => _server;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _server = await HttpServer.StartAsync(_system, _mux, _endPoint, _settings, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var server = Interlocked.Exchange(ref _server, null);
        if (server is null) return;
        // The host's token fires when its own shutdown timeout passes: then close hard.
        var graceful = server.ShutdownAsync();
        var hostGaveUp = Task.Delay(Timeout.Infinite, cancellationToken);
        if (await Task.WhenAny(graceful, hostGaveUp).ConfigureAwait(false) != graceful)
            await server.CloseAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);
}
