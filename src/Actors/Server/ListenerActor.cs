using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ActorHttp.Dispatch;
using ActorHttp.Net;
using ActorHttp.Net.Epoll;
using ActorHttp.Server.Connection;
using ActorHttp.Server.Tls;
using Akka.Actor;
using Akka.Event;

namespace ActorHttp.Server;

/// <summary>
/// The listener (Go's <c>net.Listen</c> + the <c>Accept</c> loop of <c>Server.Serve</c>): binds,
/// accepts asynchronously, and starts one <see cref="ServerConnection"/> per socket, in one of its
/// <see cref="ConnectionGroup"/> children.
/// </summary>
/// <remarks>
/// Connections live under a stopping strategy: a failed connection is never restarted, it stops, and only it.
/// Their parents are groups of at most <see cref="ConnectionGroup.Capacity"/> (which keeps Akka's children
/// containers small; see there). The listener hears of each connection's end from its group
/// (<see cref="ConnectionGroup.ConnectionClosed"/>) to count them for <c>max-connections</c> and to know when a
/// graceful shutdown is complete.
/// <para>Its heartbeat checks its connections' idle and header-read deadlines (<see cref="ConnectionDeadlines"/>),
/// as Kestrel's does, instead of a scheduler timer in every connection. It beats only while a connection is open.</para>
/// </remarks>
internal sealed class ListenerActor : ReceiveActor, IWithTimers
{
    /// <summary>Reported to the parent once the socket listens.</summary>
    public sealed record Bound(IPEndPoint LocalEndPoint);

    /// <summary>Reported to the parent when binding failed; the listener stops.</summary>
    public sealed record BindFailed(Exception Error);

    /// <summary>Stop accepting; open connections keep serving. Replied to with <see cref="HttpServerActor.Unbound"/>.</summary>
    public sealed class Unbind
    {
        public static readonly Unbind Instance = new();
        private Unbind() { }
    }

    /// <summary>Stop accepting, let connections finish within <paramref name="Deadline"/>, then stop.</summary>
    public sealed record Drain(TimeSpan Deadline);

    private sealed class AcceptCompleted : IDeadLetterSuppression
    {
        public static readonly AcceptCompleted Instance = new();
        private AcceptCompleted() { }
    }

    private sealed class DrainDeadline
    {
        public static readonly DrainDeadline Instance = new();
        private DrainDeadline() { }
    }

    // A tick may already be on its way when the listener stops (its timer is cancelled then): no dead-letter line for it.
    private sealed class Heartbeat : IDeadLetterSuppression
    {
        public static readonly Heartbeat Instance = new();
        private Heartbeat() { }
    }

    private readonly ServerSettings _settings;
    private readonly IPEndPoint _endPoint;
    private readonly RouteTableHolder _routes;
    private readonly SupervisorStrategy _connectionStrategy;
    private readonly EventLoopDispatchers? _loops;   // null: connections on the runtime's socket engine
    private readonly ILoggingAdapter _log;
    private readonly ConnectionDeadlines _deadlines;
    private CertificateStore? _certificates;   // TLS: given, or loaded from the settings at start; null for plain HTTP

    // Owned by this actor.
    private Socket? _socket;
    private SocketAccepter? _accepter;
    private int _connections;           // open, in every group
    private long _nextId;
    private readonly List<Group> _groups = new();   // by index (ConnectionGroup's); a stopped group's place is reused
    private int _fillingGroup;          // where the next connection goes while it has room
    private long _nextGroupId;          // group names are never reused: a stopping group's name stays taken until it is gone
    private int _shutdownsUntold;       // draining: groups that have not yet told all their connections
    private ServerDraining? _draining;  // draining: published once every connection has been told

    // A group child and how many open connections it has (as far as this actor has heard).
    private sealed class Group(IActorRef? actor)
    {
        public IActorRef? Actor { get; set; } = actor;   // null once it stopped
        public int Connections { get; set; }
        public bool Told { get; set; }                   // draining: it answered ShutdownTold
    }

    // certificates: serve TLS with these; null: TLS when tls.enabled, with the certificates the settings name.
    public ListenerActor(ServerSettings settings, IPEndPoint endPoint, RouteTableHolder routes, SupervisorStrategy connectionStrategy,
        CertificateStore? certificates = null)
    {
        _certificates = certificates;
        _settings = settings;
        _endPoint = endPoint;
        _routes = routes;
        _connectionStrategy = connectionStrategy;
        _loops = settings.UsesEpollEventLoop ? Http.Get(Context.System).Loops : null;
        _log = Context.GetLogger();
        _deadlines = new ConnectionDeadlines(settings);
        Accepting();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override SupervisorStrategy SupervisorStrategy() => _connectionStrategy;

    protected override void PreStart()
    {
        try
        {
            // Loaded before binding: a bad certificate file fails the start, naming the file.
            if (_certificates is null && _settings.Tls.Enabled) _certificates = CertificateStore.Load(_settings.Tls, log: _log);
            _socket = new Socket(_endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _socket.Bind(_endPoint);
            _socket.Listen(_settings.ListenBacklog);
        }
        catch (Exception e) when (e is SocketException or CertificateLoadException or ArgumentException)
        {
            _socket?.Dispose();
            _socket = null;
            Context.Parent.Tell(new BindFailed(e), Self);
            Context.Stop(Self);
            return;
        }

        _accepter = new SocketAccepter(Self, AcceptCompleted.Instance);
        if (_settings.UnsafePreferInlineScheduling)
        {
            // Said once per server: the setting changes what a blocking handler does to every other connection,
            // and does nothing where no loop runs.
            if (_loops is not null)
                _log.Info("unsafe-prefer-inline-scheduling: handlers run on the event loops; a handler that blocks stalls other connections");
            else
                _log.Warning("unsafe-prefer-inline-scheduling is on, but no event loop runs here (epoll-event-loop is off, or not Linux x64/arm64): handlers run on {Dispatcher}", _settings.HandlerDispatcher);
        }

        Context.Parent.Tell(new Bound((IPEndPoint)_socket.LocalEndPoint!), Self);
        AcceptLoop();
    }

    protected override void PostStop()
    {
        _socket?.Dispose();
        _accepter?.Dispose();
    }

    // STATES

    private void Accepting()
    {
        Receive<AcceptCompleted>(_ =>
        {
            TakeAccepted();
            AcceptLoop();
        });
        Receive<ConnectionGroup.ConnectionClosed>(closed =>
        {
            OnConnectionClosed(closed.Group);
            StopIfEmpty(closed.Group);
        });
        Receive<ConnectionSupervision.ChildTerminated>(terminated => OnGroupStopped(terminated.Child));
        Receive<Heartbeat>(_ => _deadlines.Sweep(Stopwatch.GetTimestamp()));
        Receive<Unbind>(_ =>
        {
            CloseListeningSocket();
            Sender.Tell(HttpServerActor.Unbound.Instance, Self);
        });
        Receive<Drain>(OnDrain);
    }

    // No new connections; waiting for the open ones to finish.
    private void Draining()
    {
        Receive<AcceptCompleted>(_ => TakeAccepted());
        Receive<ConnectionGroup.ConnectionClosed>(closed =>
        {
            OnConnectionClosed(closed.Group);
            StopWhenDrained();
        });
        Receive<ConnectionSupervision.ChildTerminated>(terminated =>
        {
            // Its answer comes before its end if it came at all (a child's messages precede the news of its end).
            if (OnGroupStopped(terminated.Child) is { Told: false }) ShutdownTold();
            StopWhenDrained();
        });
        Receive<ConnectionGroup.ShutdownTold>(told =>
        {
            _groups[told.Group].Told = true;
            ShutdownTold();
        });
        Receive<Heartbeat>(_ => _deadlines.Sweep(Stopwatch.GetTimestamp()));
        Receive<DrainDeadline>(_ =>
        {
            _log.Warning("Shutdown deadline passed with {Count} connections open; closing them", _connections);
            Context.Stop(Self);
        });
        Receive<Drain>(_ => { });
        Receive<Unbind>(_ => Sender.Tell(HttpServerActor.Unbound.Instance, Self));
    }

    private void AcceptLoop()
    {
        while (_socket is not null && _accepter!.Accept(_socket))
            if (!TakeAccepted()) return;
    }

    // Starts a connection for the accepted socket. False when the listening socket is gone.
    private bool TakeAccepted()
    {
        var error = _accepter!.SocketError;
        var socket = _accepter.TakeSocket();
        if (socket is null)
        {
            if (error is SocketError.OperationAborted or SocketError.Interrupted || _socket is null) return false;
            // ECONNABORTED and friends: the peer gave up before we accepted; keep accepting.
            _log.Debug("Accept failed: {Error}", error);
            return true;
        }

        if (_socket is null || (_settings.MaxConnections > 0 && _connections >= _settings.MaxConnections))
        {
            ServerMetrics.RejectedConnections.Add(1);
            socket.Dispose();
            return _socket is not null;
        }

        // On a loop, the socket joins the loop's epoll set before any actor reads it (data already there is
        // reported as the first edge), and the connection's reader and writer run on that loop's thread. The
        // connection itself runs handlers, so it stays on the handler dispatcher unless the user said handlers
        // never block.
        EpollSocket? epoll = null;
        var children = _settings.HandlerDispatcher;
        var own = _settings.HandlerDispatcher;
        // A TLS connection joins a loop too: its SslStream reads and writes the socket through an EpollStream, and the
        // handshake, the decryption and the reader's turn run on that loop's thread, as a plain connection's reads do. The
        // socket is made non-blocking here, as the epoll set needs, because the connection leaves a TLS socket as it finds it.
        if (_loops is not null)
        {
            var loop = _loops.Next();
            if (_certificates is not null) socket.Blocking = false;
            epoll = _loops.Register(socket, loop);
            children = _loops.DispatcherId(loop);
            if (_settings.UnsafePreferInlineScheduling) own = children;
        }

        // A static factory of the socket and this listener: a closure would stay in every connection's props.
        var deadlines = _deadlines.Add();
        var props = StateProps.Create(static s => new ServerConnection(s.socket, s.Item2._settings, s.Item2._routes, s.epoll, s.children, s.deadlines, s.Item2._certificates),
            (socket, this, epoll, children, deadlines), own, CompactMailbox.Id);
        var group = GroupWithRoom();
        group.Actor!.Tell(new ConnectionGroup.StartConnection(props, "c" + _nextId++, deadlines), Self);
        group.Connections++;
        if (_connections++ == 0) HeartbeatWhileOpen();
        return true;
    }

    // The heartbeat runs only while a connection is open: an idle server has nothing to sweep and should not take a
    // turn every heartbeat-interval for it. With none open, one last sweep drops the entries of the connections that
    // closed since the previous one.
    private void HeartbeatWhileOpen()
    {
        if (_deadlines.HeartbeatInterval is not { } interval) return;
        var beating = Timers.IsTimerActive(Heartbeat.Instance);
        if (_connections > 0 && !beating)
            Timers.StartPeriodicTimer(Heartbeat.Instance, Heartbeat.Instance, interval);
        else if (_connections == 0 && beating)
        {
            Timers.Cancel(Heartbeat.Instance);
            _deadlines.Sweep(Stopwatch.GetTimestamp());
        }
    }

    // The group filling up, or the first with room (connections closed there), or a new one in the first free place.
    private Group GroupWithRoom()
    {
        if (_fillingGroup < _groups.Count && _groups[_fillingGroup] is { Actor: not null, Connections: < ConnectionGroup.Capacity } filling)
            return filling;
        var free = -1;
        for (var i = 0; i < _groups.Count; i++)
        {
            if (_groups[i].Actor is null)
            {
                if (free < 0) free = i;
                continue;
            }

            if (_groups[i].Connections >= ConnectionGroup.Capacity) continue;
            _fillingGroup = i;
            return _groups[i];
        }

        if (free < 0)
        {
            free = _groups.Count;
            _groups.Add(new Group(null));
        }

        _fillingGroup = free;
        var group = _groups[free];
        group.Actor = Context.ActorOf(StateProps.Create(static s => new ConnectionGroup(s.strategy, s.index), (strategy: _connectionStrategy, index: free)),
            "g" + _nextGroupId++);
        group.Connections = 0;
        group.Told = false;
        return group;
    }

    // A group whose last connection closed is stopped (an idle server keeps one), so that a burst of connections
    // leaves nothing behind. It has no connection starting either: every start is counted before it is told.
    private void StopIfEmpty(int index)
    {
        var group = _groups[index];
        if (group.Connections > 0 || index == _fillingGroup || group.Actor is null) return;
        Context.Stop(group.Actor);
        group.Actor = null;
    }

    private void OnConnectionClosed(int group)
    {
        _groups[group].Connections--;
        if (--_connections == 0) HeartbeatWhileOpen();
    }

    // A group this actor did not stop stopped with its connections (it failed, escalating what a connection's decider
    // escalated): none of them will be reported closed any more. Null when it was stopped here (it had none).
    private Group? OnGroupStopped(IActorRef child)
    {
        var group = _groups.Find(g => child.Equals(g.Actor));
        if (group is null) return null;
        _connections -= group.Connections;
        group.Connections = 0;
        group.Actor = null;
        HeartbeatWhileOpen();
        return group;
    }

    // Closing the listening socket aborts the pending accept; nothing new comes in.
    private void CloseListeningSocket()
    {
        _socket?.Dispose();
        _socket = null;
    }

    private void OnDrain(Drain drain)
    {
        CloseListeningSocket();
        Become(Draining);
        _draining = new ServerDraining(Self, _connections, drain.Deadline);
        // With no connection open there is no one to tell: a group told now would be stopped with this actor
        // before it read the message (a dead letter).
        if (StopWhenDrained()) return;
        foreach (var group in _groups)
        {
            if (group.Actor is null) continue;
            group.Actor.Tell(ConnectionGroup.Shutdown.Instance, Self);
            _shutdownsUntold++;
        }

        if (_shutdownsUntold == 0) PublishDraining();
        Timers.StartSingleTimer(DrainDeadline.Instance, DrainDeadline.Instance, drain.Deadline);
    }

    private void ShutdownTold()
    {
        if (--_shutdownsUntold == 0) PublishDraining();
    }

    // Published after every connection was told (each group answered ShutdownTold after telling its own), so that
    // whoever sees it knows they all will finish their current request and close.
    private void PublishDraining()
    {
        if (_draining is null) return;
        Context.System.EventStream.Publish(_draining);
        _draining = null;
    }

    // Draining: done once no connection is open. Published first if some group had not answered yet: with no
    // connection left, every one has been told.
    private bool StopWhenDrained()
    {
        if (_connections > 0) return false;
        PublishDraining();
        Context.Stop(Self);
        return true;
    }
}
