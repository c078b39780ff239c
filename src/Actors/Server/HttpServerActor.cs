using System.Net;
using Akka.Actor;

namespace ActorHttp.Server;

/// <summary>
/// The server (Go's <c>http.Server</c>): parent of the <see cref="RouterActor"/> and the
/// <see cref="ListenerActor"/>, owner of the settings and of shutdown.
/// </summary>
/// <remarks>
/// <para>Messages: <see cref="GetBinding"/> (answered with the bound address once listening, or a
/// failure), <see cref="RouterActor.Handle"/> and <see cref="RouterActor.Remove"/> (forwarded to the
/// router), <see cref="Shutdown"/> (graceful: stop accepting, let in-flight requests finish within the
/// deadline, close idle connections, answer queued requests with 503) and <see cref="Close"/> (hard).</para>
/// <para>The server stops itself once its listener has stopped, that is, once every connection is closed.</para>
/// <para><b>Supervision.</b> Connections are never restarted (a half-read byte stream cannot be resumed): a connection
/// that fails is stopped, and its peer sees the connection close. A strategy given with
/// <see cref="Akka.Actor.Props.WithSupervisorStrategy"/> is asked about every connection failure too: Restart and Resume
/// stop the connection as well, and Escalate takes the failure up to this actor's parent.</para>
/// <para><b>CoordinatedShutdown.</b> Every server takes part in its system's: in <c>service-unbind</c> it stops
/// accepting (<see cref="Unbind"/>), in <c>service-requests-done</c> it finishes in-flight requests and closes
/// (<see cref="Shutdown"/>, within <c>shutdown-timeout</c> and the phase's own timeout).</para>
/// </remarks>
public sealed class HttpServerActor : ReceiveActor, IWithUnboundedStash
{
    /// <summary>Asks for the bound address; the reply is a <see cref="Binding"/> or a <see cref="Status.Failure"/>.</summary>
    public sealed class GetBinding
    {
        /// <summary>The message.</summary>
        public static readonly GetBinding Instance = new();
        private GetBinding() { }
    }

    /// <summary>Where the server listens.</summary>
    public sealed record Binding(IPEndPoint LocalEndPoint);

    /// <summary>Stop accepting connections; the open ones keep serving. Replied to with <see cref="Unbound"/>.</summary>
    public sealed class Unbind
    {
        /// <summary>The message.</summary>
        public static readonly Unbind Instance = new();
        private Unbind() { }
    }

    /// <summary>The listening socket is closed: no new connection will be accepted.</summary>
    public sealed class Unbound
    {
        /// <summary>The message.</summary>
        public static readonly Unbound Instance = new();
        private Unbound() { }
    }

    /// <summary>Graceful shutdown within <paramref name="Deadline"/> (null: <c>shutdown-timeout</c>); replied to with <see cref="Stopped"/>.</summary>
    public sealed record Shutdown(TimeSpan? Deadline = null);

    /// <summary>Hard close: every connection is closed at once; replied to with <see cref="Stopped"/>.</summary>
    public sealed class Close
    {
        /// <summary>The message.</summary>
        public static readonly Close Instance = new();
        private Close() { }
    }

    /// <summary>The server has stopped: nothing listens and no connection is open.</summary>
    public sealed class Stopped
    {
        /// <summary>The message.</summary>
        public static readonly Stopped Instance = new();
        private Stopped() { }
    }

    private readonly ServerSettings _settings;
    private readonly IPEndPoint _endPoint;
    private readonly Tls.CertificateStore? _certificates;
    private readonly ServerLifetime _lifetime = new();
    private readonly RouteTableHolder _routes = new();
    private readonly List<IActorRef> _stopWaiters = new();
    private IActorRef _router = ActorRefs.Nobody;
    private IActorRef _listener = ActorRefs.Nobody;

    /// <summary>Creates a server that will listen on <paramref name="endPoint"/>.</summary>
    /// <param name="settings">The settings.</param>
    /// <param name="endPoint">Where to listen.</param>
    /// <param name="routes">The routes to start with.</param>
    /// <param name="certificates">Serve HTTPS with these certificates (made in code, or with a client-certificate validation
    /// delegate: see <see cref="Tls.CertificateStore"/>); null: HTTPS when <c>tls.enabled</c>, with the certificates it names.</param>
    public HttpServerActor(ServerSettings settings, IPEndPoint endPoint, Routing.RouteTable<Route>? routes = null, Tls.CertificateStore? certificates = null)
    {
        _settings = settings;
        _endPoint = endPoint;
        _certificates = certificates;
        if (routes is not null) _routes.Publish(routes);
        Binding_();
    }

    /// <summary>Props of a server listening on <paramref name="endPoint"/> with <paramref name="routes"/>, serving HTTPS with
    /// <paramref name="certificates"/> when given (see the constructor).</summary>
    public static Props Props(ServerSettings settings, IPEndPoint endPoint, Routing.RouteTable<Route>? routes = null, Tls.CertificateStore? certificates = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(endPoint);
        return StateProps.Create(static s => new HttpServerActor(s.settings, s.endPoint, s.routes, s.certificates), (settings, endPoint, routes, certificates));
    }

    /// <inheritdoc />
    public IStash Stash { get; set; } = null!;

    /// <summary>The table connections route with; readable from anywhere.</summary>
    public RouteTableHolder Routes => _routes;

    /// <inheritdoc />
    protected override SupervisorStrategy SupervisorStrategy() => ConnectionSupervision.For(Context.Props.SupervisorStrategy);

    /// <inheritdoc />
    protected override void PreStart()
    {
        var connections = ConnectionSupervision.For(Context.Props.SupervisorStrategy);
        _router = Context.ActorOf(StateProps.Create(static routes => new RouterActor(routes), _routes), "router");
        _listener = Context.ActorOf(
            StateProps.Create(static s => new ListenerActor(s.Item1, s.Item2, s.Item3, s.connections, s.Item5), (_settings, _endPoint, _routes, connections, _certificates)), "listener");
        // Watched, not left to the reporting strategy's ChildTerminated: a strategy on this actor's own props (a user's
        // actor that makes the server its child) replaces SupervisorStrategy() for this actor's children, and then no
        // report comes; the server would never stop after its listener, and a graceful shutdown would wait out its phase.
        Context.Watch(_listener);
        ServerShutdownTasks.Register(Context.System, Self, _lifetime, _settings);
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        foreach (var waiter in _stopWaiters) waiter.Tell(Stopped.Instance, ActorRefs.NoSender);
        _lifetime.Stopped();
    }

    // STATES

    // Waiting for the listener to bind.
    private void Binding_()
    {
        Receive<ListenerActor.Bound>(bound =>
        {
            Become(() => Listening(new Binding(bound.LocalEndPoint)));
            Stash.UnstashAll();
        });
        Receive<ListenerActor.BindFailed>(failed =>
        {
            Become(() => Failed(failed.Error));
            Stash.UnstashAll();
        });
        Receive<RouterActor.Handle>(m => _router.Forward(m));
        Receive<RouterActor.Remove>(m => _router.Forward(m));
        ReceiveAny(_ => Stash.Stash());
    }

    private void Listening(Binding binding)
    {
        Receive<GetBinding>(_ => Sender.Tell(binding, Self));
        Receive<Unbind>(_ => _listener.Forward(ListenerActor.Unbind.Instance));
        Receive<RouterActor.Handle>(m => _router.Forward(m));
        Receive<RouterActor.Remove>(m => _router.Forward(m));
        Receive<Shutdown>(m =>
        {
            _stopWaiters.Add(Sender);
            _listener.Tell(new ListenerActor.Drain(m.Deadline ?? _settings.ShutdownTimeout), Self);
        });
        Receive<Close>(_ =>
        {
            _stopWaiters.Add(Sender);
            Context.Stop(_listener);
        });
        Receive<Terminated>(t =>
        {
            if (t.ActorRef.Equals(_listener)) Context.Stop(Self);
        });
        Receive<ConnectionSupervision.ChildTerminated>(_ => { });   // the listener is watched (Terminated, above)
    }

    private void Failed(Exception error)
    {
        Receive<GetBinding>(_ => Sender.Tell(new Status.Failure(error), Self));
        Receive<Shutdown>(_ => { _stopWaiters.Add(Sender); Context.Stop(Self); });
        Receive<Close>(_ => { _stopWaiters.Add(Sender); Context.Stop(Self); });
        Receive<Unbind>(_ => Sender.Tell(Unbound.Instance, Self));
        Receive<ConnectionSupervision.ChildTerminated>(_ => { });
        Receive<Terminated>(_ => { });
        ReceiveAny(_ => Sender.Tell(new Status.Failure(error), Self));
    }
}
