using System.Net;
using ActorHttp.Client.Transport;
using ActorHttp.Server;
using Akka.Actor;
using Akka.DependencyInjection;
using Akka.Hosting;

namespace ActorHttp.Hosting;

/// <summary>
/// ActorHttp in an Akka.Hosting application: extension methods on <see cref="AkkaConfigurationBuilder"/> that start
/// servers and client transports inside <c>services.AddAkka(...)</c> and register them in the <see cref="ActorRegistry"/>,
/// so that <c>IRequiredActor&lt;ActorHttpServer&gt;</c> and <c>IRequiredActor&lt;ActorHttpTransport&gt;</c> find them.
/// </summary>
/// <remarks>
/// <para><b>Routes on actors.</b> The routes callback runs once the actor system has started, in the builder's order, with
/// the registry: an actor registered earlier in the chain (<c>WithActors(...)</c>) can be a route's handler
/// (<c>mux.Handle("GET /x", registry.Get&lt;MyKey&gt;())</c>). The host has started only once every server listens; a
/// server that cannot bind fails the host's start.</para>
/// <para><b>Configuration.</b> Each method adds the <see cref="HttpExtensionProvider"/> to the system's extensions, so
/// ActorHttp's reference configuration is injected as a fallback when the system starts: the <c>actorhttp.*</c> keys
/// you add with <c>AddHocon(..., HoconAddMode.Prepend)</c> (or any mode) win over its defaults, and every server reads
/// them. One server's own settings are the system's with your changes (<c>settings: s =&gt; s with { ... }</c>).</para>
/// <para><b>Shutdown.</b> Servers stop with the system's <see cref="CoordinatedShutdown"/>, which Akka.Hosting runs when
/// the host stops: a server stops accepting in <c>service-unbind</c> and finishes in-flight requests in
/// <c>service-requests-done</c> (see <see cref="HttpServerActor"/>).</para>
/// </remarks>
public static class ActorHttpHostingExtensions
{
    /// <summary>
    /// Starts a server with the routes that <paramref name="routes"/> registers on a new <see cref="ServeMux"/>, listening on
    /// <paramref name="endPoint"/> (default: <c>default-bind-address</c>:<c>default-port</c>; port 0 picks a free port, which
    /// <see cref="GetLocalEndPointAsync{TKey}"/> tells), registered as <see cref="ActorHttpServer"/>.
    /// </summary>
    public static AkkaConfigurationBuilder WithActorHttpServer(this AkkaConfigurationBuilder builder,
        Action<ServeMux, IReadOnlyActorRegistry> routes, IPEndPoint? endPoint = null, Func<ServerSettings, ServerSettings>? settings = null) =>
        builder.WithActorHttpServer<ActorHttpServer>(routes, endPoint, settings, "actorhttp-server");

    /// <summary>
    /// Starts a server as <see cref="WithActorHttpServer(AkkaConfigurationBuilder, Action{ServeMux, IReadOnlyActorRegistry}, IPEndPoint?, Func{ServerSettings, ServerSettings}?)"/>
    /// does, with the dependency resolver too (the host's services: <c>resolver.GetService&lt;T&gt;()</c>).
    /// </summary>
    public static AkkaConfigurationBuilder WithActorHttpServer(this AkkaConfigurationBuilder builder,
        Action<ServeMux, IReadOnlyActorRegistry, IDependencyResolver> routes, IPEndPoint? endPoint = null,
        Func<ServerSettings, ServerSettings>? settings = null) =>
        builder.WithActorHttpServer<ActorHttpServer>(routes, endPoint, settings, "actorhttp-server");

    /// <summary>
    /// Starts a server registered under the key <typeparamref name="TKey"/> (for a second server: an admin port, say),
    /// as the actor <c>/user/<paramref name="name"/></c> (default: <c>actorhttp-server-</c> and the key's name).
    /// </summary>
    public static AkkaConfigurationBuilder WithActorHttpServer<TKey>(this AkkaConfigurationBuilder builder,
        Action<ServeMux, IReadOnlyActorRegistry> routes, IPEndPoint? endPoint = null, Func<ServerSettings, ServerSettings>? settings = null,
        string? name = null)
    {
        ArgumentNullException.ThrowIfNull(routes);
        return builder.WithActorHttpServer<TKey>((mux, registry, _) => routes(mux, registry), endPoint, settings, name);
    }

    /// <summary>
    /// Starts a server registered under the key <typeparamref name="TKey"/>, with the dependency resolver in the routes
    /// callback. HTTPS: <paramref name="settings"/> may turn on <c>tls</c> with certificate files (what
    /// <c>actorhttp.server.tls</c> takes), or <paramref name="certificates"/> makes a store in code, given the server's
    /// <c>tls</c> settings and the host's services (a certificate from a vault, a client-certificate validation delegate), as
    /// <see cref="HttpServer.StartAsync"/> takes one.
    /// </summary>
    public static AkkaConfigurationBuilder WithActorHttpServer<TKey>(this AkkaConfigurationBuilder builder,
        Action<ServeMux, IReadOnlyActorRegistry, IDependencyResolver> routes, IPEndPoint? endPoint = null,
        Func<ServerSettings, ServerSettings>? settings = null, string? name = null,
        Func<Server.Tls.TlsSettings, IDependencyResolver, Server.Tls.CertificateStore>? certificates = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(routes);
        name ??= "actorhttp-server-" + typeof(TKey).Name.ToLowerInvariant();
        return builder
            .WithExtensions(typeof(HttpExtensionProvider))
            .WithActors(new ActorStarterWithResolver(async (system, registry, resolver) =>
            {
                var http = Http.Get(system);
                var mux = new ServeMux();
                routes(mux, registry, resolver);
                var serverSettings = settings is null ? http.ServerSettings : settings(http.ServerSettings);
                // Awaiting the binding makes the host's start wait for it, and fail when the port is taken.
                var server = await http.StartServerAsync(mux, endPoint, serverSettings, name, certificates: certificates?.Invoke(serverSettings.Tls, resolver))
                    .ConfigureAwait(false);
                registry.Register<TKey>(server.Actor);
            }));
    }

    /// <summary>
    /// Registers the system's shared client transport (<see cref="Http.Client"/>, <c>/user/actorhttp-client</c>) as
    /// <see cref="ActorHttpTransport"/>; with <paramref name="options"/>, a transport of its own
    /// (<c>/user/actorhttp-transport</c>) instead. Client settings come from <c>actorhttp.client</c>.
    /// </summary>
    public static AkkaConfigurationBuilder WithActorHttpClient(this AkkaConfigurationBuilder builder, TransportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .WithExtensions(typeof(HttpExtensionProvider))
            .WithActors((system, registry) =>
            {
                var http = Http.Get(system);
                var transport = options is null ? http.Client : http.CreateTransport(options: options, name: "actorhttp-transport");
                registry.Register<ActorHttpTransport>(transport.Actor);
            });
    }

    /// <summary>
    /// Starts a client transport of its own registered under the key <typeparamref name="TKey"/>, as the actor
    /// <c>/user/<paramref name="name"/></c> (default: <c>actorhttp-transport-</c> and the key's name).
    /// </summary>
    public static AkkaConfigurationBuilder WithActorHttpClient<TKey>(this AkkaConfigurationBuilder builder, TransportOptions? options = null,
        string? name = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        name ??= "actorhttp-transport-" + typeof(TKey).Name.ToLowerInvariant();
        return builder
            .WithExtensions(typeof(HttpExtensionProvider))
            .WithActors((system, registry) => registry.Register<TKey>(Http.Get(system).CreateTransport(options: options, name: name).Actor));
    }

    /// <summary>
    /// Where the server registered under <typeparamref name="TKey"/> listens (the real port when 0 was asked for): asks its
    /// actor <see cref="HttpServerActor.GetBinding"/>. Waits for the registration as <see cref="IRequiredActor{TActor}.GetAsync"/> does.
    /// </summary>
    public static async Task<IPEndPoint> GetLocalEndPointAsync<TKey>(this IRequiredActor<TKey> server, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        var actor = await server.GetAsync(cancellationToken).ConfigureAwait(false);
        var binding = await actor.Ask<HttpServerActor.Binding>(HttpServerActor.GetBinding.Instance, null, cancellationToken).ConfigureAwait(false);
        return binding.LocalEndPoint;
    }
}
