using System.Net;
using ActorHttp.Client;
using ActorHttp.Cluster;
using ActorHttp.Client.Transport;
using ActorHttp.Configuration;
using ActorHttp.Dispatch;
using ActorHttp.Server;
using Akka.Actor;

namespace ActorHttp;

/// <summary>
/// ActorHttp inside one actor system, an Akka.NET extension reached with <c>Http.Get(system)</c> (as
/// <c>Cluster.Get(system)</c>): the settings read from the system's configuration, servers started on a
/// <see cref="ServeMux"/>, and client transports.
/// </summary>
/// <remarks>
/// <para><b>Configuration.</b> Making the extension adds ActorHttp's reference configuration
/// (<see cref="ReferenceConfig"/>, the files of <c>hocon/</c>) as a fallback of the system's, as Akka's own
/// modules do, so <c>actorhttp.*</c> keys set in the system's configuration win over the defaults. The
/// settings are read once, here.</para>
/// <para><b>Where actors live.</b> <see cref="StartServerAsync"/> and <see cref="Client"/> put their actors under
/// the system's user guardian. To have your own actor supervise and watch them, make them its children from
/// <see cref="ServerProps"/> and <see cref="TransportProps"/>: their failures then reach your supervisor
/// strategy, and their termination your death watch.</para>
/// </remarks>
public sealed class Http : IExtension
{
    private readonly ExtendedActorSystem _system;
    private readonly Lazy<ActorTransport> _client;

    /// <summary>The extension of <paramref name="system"/>, made on first use.</summary>
    public static Http Get(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        return system.WithExtension<Http, HttpExtensionProvider>();
    }

    internal Http(ExtendedActorSystem system)
    {
        _system = system;
        ReferenceConfig.InjectInto(system);
        var config = system.Settings.Config;
        ServerSettings = ServerSettings.FromConfig(config);
        ClientSettings = ClientSettings.FromConfig(config);
        ClusterSettings = ClusterSettings.FromConfig(config);
        Loops = EventLoopDispatchers.IsSupported ? EventLoopDispatchers.Register(system) : null;
        _client = new Lazy<ActorTransport>(() => ActorTransport.Create(_system, ClientSettings, name: "actorhttp-client"));
    }

    /// <summary>The event-loop dispatchers of this system (one per loop), or null where loops do not run (see <see cref="EventLoopDispatchers.IsSupported"/>).</summary>
    public EventLoopDispatchers? Loops { get; }

    /// <summary>The server settings of this system's configuration (<c>actorhttp.server</c>, <c>actorhttp.http.parsing</c>).</summary>
    public ServerSettings ServerSettings { get; }

    /// <summary>The client settings of this system's configuration (<c>actorhttp.client</c>).</summary>
    public ClientSettings ClientSettings { get; }

    /// <summary>The settings of messages that cross nodes (<c>actorhttp.cluster</c>): the inline body limit (see <see cref="HttpWireSerializer.CheckInline"/>).</summary>
    public ClusterSettings ClusterSettings { get; }

    /// <summary>
    /// The system's shared client transport (Go's <c>DefaultTransport</c>), made on first use under the user guardian
    /// as <c>/user/actorhttp-client</c>. Tell its <see cref="ActorTransport.Actor"/> requests from actors, or wrap it:
    /// <c>new ActorHttpClient(transport, options)</c>, <c>new HttpClient(new ActorHttpHandler(transport, options))</c>.
    /// </summary>
    public ActorTransport Client => _client.Value;

    /// <summary>
    /// An <see cref="ActorHttpClient"/> (Go's <c>http.Client</c>: redirects, cookies, deadline, decompression) over the
    /// shared <see cref="Client"/> transport, with <paramref name="options"/> or, when null, the defaults of
    /// <c>actorhttp.client</c> (max-redirects, disable-compression, user-agent, request-timeout).
    /// </summary>
    public ActorHttpClient CreateClient(ClientOptions? options = null)
    {
        var d = ClientSettings.Defaults;
        return new ActorHttpClient(Client, options ?? new ClientOptions(d.MaxRedirects, d.DisableCompression, d.UserAgent, d.RequestTimeout));
    }

    /// <summary>A <see cref="System.Net.Http.HttpClient"/> that runs on ActorHttp (<see cref="ActorHttpHandler"/> over <see cref="CreateClient"/>).</summary>
    public System.Net.Http.HttpClient CreateHttpClient(ClientOptions? options = null) => new(new ActorHttpHandler(CreateClient(options)));

    /// <summary>
    /// Starts a server with the routes of <paramref name="mux"/> under the user guardian, listening on
    /// <paramref name="endPoint"/> (default: <c>default-bind-address</c>:<c>default-port</c>); completes once it listens.
    /// It stops with the system: <see cref="CoordinatedShutdown"/> unbinds it and lets in-flight requests finish.
    /// HTTPS with <paramref name="certificates"/> when given (made in code: <see cref="Server.Tls.CertificateStore"/>), else
    /// when <c>tls.enabled</c>, with the certificates the settings name.
    /// </summary>
    public Task<HttpServer> StartServerAsync(ServeMux mux, IPEndPoint? endPoint = null, ServerSettings? settings = null,
        string? name = null, CancellationToken cancellationToken = default, Server.Tls.CertificateStore? certificates = null) =>
        HttpServer.StartAsync(_system, mux, endPoint, settings ?? ServerSettings, name, cancellationToken, certificates);

    /// <summary>
    /// Props of a server actor (<see cref="HttpServerActor"/>) with the routes of <paramref name="mux"/>, for a server that
    /// is the child of your own actor. Ask it <see cref="HttpServerActor.GetBinding"/> for its address. A strategy set with
    /// <see cref="Props.WithSupervisorStrategy"/> decides for its connections (never restarted: Restart and Resume stop them).
    /// </summary>
    public Props ServerProps(ServeMux mux, IPEndPoint? endPoint = null, ServerSettings? settings = null, Server.Tls.CertificateStore? certificates = null)
    {
        ArgumentNullException.ThrowIfNull(mux);
        var s = settings ?? ServerSettings;
        return HttpServerActor.Props(s, endPoint ?? new IPEndPoint(IPAddress.Parse(s.DefaultBindAddress), s.DefaultPort), mux.Table, certificates);
    }

    /// <summary>Starts a client transport under the user guardian (with these settings and options; null = the system's).</summary>
    public ActorTransport CreateTransport(ClientSettings? settings = null, TransportOptions? options = null, string? name = null) =>
        ActorTransport.Create(_system, settings ?? ClientSettings, options, name);

    /// <summary>
    /// Props of a client transport actor (<see cref="TransportActor"/>), for a transport that is the child of your own actor:
    /// tell it <see cref="ClientRequest"/>s, get <see cref="ClientResponse"/>s or <see cref="Status.Failure"/>s back.
    /// </summary>
    public Props TransportProps(ClientSettings? settings = null, TransportOptions? options = null) =>
        TransportActor.Props(settings ?? ClientSettings, options);
}
