using System.Net;
using Akka;
using Akka.Actor;
using Akka.Streams.Dsl;

namespace ActorHttp.Server;

/// <summary>
/// A running HTTP server, started from code in a few lines:
/// <code>
/// var mux = new ServeMux().HandleFunc("GET /hello", (w, r) => w.WriteAsync("hello").AsTask());
/// await using var server = await HttpServer.StartAsync(system, mux);
/// Console.WriteLine(server.LocalEndPoint);
/// </code>
/// </summary>
/// <remarks>
/// A thin handle on a <see cref="HttpServerActor"/>: everything here is also a message to
/// <see cref="Actor"/>, for callers that are actors themselves. Disposing shuts down gracefully.
/// </remarks>
public sealed class HttpServer : IAsyncDisposable
{
    private readonly object _gate = new();
    private Task? _stopping;   // the first ShutdownAsync or CloseAsync; later calls share it

    private HttpServer(IActorRef actor, IPEndPoint localEndPoint, ServerSettings settings)
    {
        Actor = actor;
        LocalEndPoint = localEndPoint;
        Settings = settings;
    }

    /// <summary>The server actor.</summary>
    public IActorRef Actor { get; }

    /// <summary>Where the server listens (the real port when 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The settings in force.</summary>
    public ServerSettings Settings { get; }

    /// <summary>
    /// Starts a server with the routes of <paramref name="mux"/>, listening on <paramref name="endPoint"/>
    /// (default: <c>default-bind-address</c>:<c>default-port</c>). Completes once it listens.
    /// HTTPS: with <paramref name="certificates"/> when given (a <see cref="Tls.CertificateStore"/> made in code, for example
    /// for a <see cref="Tls.DevelopmentCertificate"/> or with a client-certificate validation delegate), otherwise when
    /// <c>actorhttp.server.tls.enabled</c>, with the certificates the settings name.
    /// </summary>
    public static async Task<HttpServer> StartAsync(ActorSystem system, ServeMux mux, IPEndPoint? endPoint = null,
        ServerSettings? settings = null, string? name = null, CancellationToken cancellationToken = default,
        Tls.CertificateStore? certificates = null)
    {
        settings ??= Http.Get(system).ServerSettings;
        endPoint ??= new IPEndPoint(IPAddress.Parse(settings.DefaultBindAddress), settings.DefaultPort);
        var actor = system.ActorOf(HttpServerActor.Props(settings, endPoint, mux.Table, certificates), name);
        try
        {
            var binding = await actor.Ask<HttpServerActor.Binding>(HttpServerActor.GetBinding.Instance, null, cancellationToken)
                .ConfigureAwait(false);
            return new HttpServer(actor, binding.LocalEndPoint, settings);
        }
        catch
        {
            system.Stop(actor);
            throw;
        }
    }

    /// <summary>
    /// Starts a server whose every request is answered by the stream <paramref name="flow"/> (Akka HTTP's
    /// <c>bindFlow</c>): a <see cref="ServeMux"/> with <paramref name="flow"/> on <c>/</c>, so the server still answers
    /// what it answers for any mux itself (<c>OPTIONS *</c>, the 301 for an unclean path). The flow must answer each
    /// request with exactly one response, in order; see <see cref="ServeMux.HandleFlow"/>.
    /// </summary>
    public static Task<HttpServer> BindFlowAsync(ActorSystem system, Flow<ServerRequest, ServerResponse, NotUsed> flow, IPEndPoint? endPoint = null,
        ServerSettings? settings = null, string? name = null, CancellationToken cancellationToken = default,
        Tls.CertificateStore? certificates = null) =>
        StartAsync(system, new ServeMux().HandleFlow("/", flow), endPoint, settings, name, cancellationToken, certificates);

    /// <summary>Registers a handler on the running server; in force once the task completes.</summary>
    public Task HandleFunc(string pattern, HandlerFunc handler, long? maxRequestBodySize = null) =>
        Actor.Ask<RouterActor.Handled>(new RouterActor.Handle(pattern, new Route(handler, maxRequestBodySize)));

    /// <summary>Registers a handler actor on the running server (see <see cref="ActorHandler"/>); in force once the task completes.</summary>
    public Task Handle(string pattern, IActorRef handler, long? maxRequestBodySize = null) =>
        Actor.Ask<RouterActor.Handled>(new RouterActor.Handle(pattern, new Route(handler, maxRequestBodySize)));

    /// <summary>
    /// Registers <paramref name="route"/> on the running server: a strict route to a handler on another node
    /// (<see cref="ActorHandler.StrictRoute"/>, <see cref="ActorHandler.ShardedRoute"/>) or any other; in force once
    /// the task completes.
    /// </summary>
    public Task Handle(string pattern, Route route) =>
        Actor.Ask<RouterActor.Handled>(new RouterActor.Handle(pattern, route));

    /// <summary>Registers a handler flow on the running server (see <see cref="ServeMux.HandleFlow"/>); in force once the task completes.</summary>
    public Task HandleFlow(string pattern, Flow<ServerRequest, ServerResponse, NotUsed> flow, long? maxRequestBodySize = null) =>
        Handle(pattern, new Route(flow, maxRequestBodySize));

    /// <summary>Removes a registration from the running server.</summary>
    public Task RemoveAsync(string pattern) => Actor.Ask<RouterActor.Removed>(new RouterActor.Remove(pattern));

    /// <summary>
    /// Graceful shutdown: stop accepting, let in-flight requests finish within <paramref name="deadline"/>
    /// (default <c>shutdown-timeout</c>), close idle connections; completes when all are closed.
    /// </summary>
    public Task ShutdownAsync(TimeSpan? deadline = null) => Stop(new HttpServerActor.Shutdown(deadline));

    /// <summary>Hard close: every connection is closed at once. After a shutdown has begun, closes what is left.</summary>
    public Task CloseAsync()
    {
        lock (_gate)
        {
            if (_stopping is null) return Stop(HttpServerActor.Close.Instance);
            Actor.Tell(HttpServerActor.Close.Instance, ActorRefs.NoSender);
            return _stopping;
        }
    }

    // The server actor answers Stopped once, to every asker; asking a stopped actor would never be
    // answered, so every caller after the first shares the first call's task.
    private Task Stop(object message)
    {
        lock (_gate)
            return _stopping ??= Actor.Ask<HttpServerActor.Stopped>(message, Timeout.InfiniteTimeSpan);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await ShutdownAsync().ConfigureAwait(false);
}
