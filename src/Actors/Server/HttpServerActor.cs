using System.Net;
using ActorHttp.Kernel;

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
    private readonly RouteTableHolder _routes = new();
    private readonly List<IActorRef> _stopWaiters = new();
    private IActorRef _router = ActorRefs.Nobody;
    private IActorRef _listener = ActorRefs.Nobody;

    /// <summary>Creates a server that will listen on <paramref name="endPoint"/>.</summary>
    public HttpServerActor(ServerSettings settings, IPEndPoint endPoint, Routing.RouteTable<Route>? routes = null)
    {
        _settings = settings;
        _endPoint = endPoint;
        if (routes is not null) _routes.Publish(routes);
        Binding_();
    }

    /// <inheritdoc />
    public IStash Stash { get; set; } = null!;

    /// <summary>The table connections route with; readable from anywhere.</summary>
    public RouteTableHolder Routes => _routes;

    /// <inheritdoc />
    protected override SupervisorStrategy SupervisorStrategy() => Kernel.SupervisorStrategy.StoppingStrategy;

    /// <inheritdoc />
    protected override void PreStart()
    {
        _router = Context.ActorOf(Props.Create(() => new RouterActor(_routes)), "router");
        _listener = Context.ActorOf(Props.Create(() => new ListenerActor(_settings, _endPoint, _routes)), "listener");
        Context.Watch(_listener);
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        foreach (var waiter in _stopWaiters) waiter.Tell(Stopped.Instance, ActorRefs.NoSender);
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
    }

    private void Failed(Exception error)
    {
        Receive<GetBinding>(_ => Sender.Tell(new Status.Failure(error), Self));
        Receive<Shutdown>(_ => { _stopWaiters.Add(Sender); Context.Stop(Self); });
        Receive<Close>(_ => { _stopWaiters.Add(Sender); Context.Stop(Self); });
        Receive<Terminated>(_ => { });
        ReceiveAny(_ => Sender.Tell(new Status.Failure(error), Self));
    }
}
