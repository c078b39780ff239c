using System.Net;
using ActorHttp;
using ActorHttp.Server;
using Akka.Actor;
using Akka.Event;
using static ActorHttp.Server.ActorHandler;

namespace ClusterKv;

/// <summary>
/// The application's own actor, parent of the HTTP server: what embedding ActorHttp in a cluster app looks like.
/// It builds the routes (the <c>/kv/{key}</c> routes go to the shard region with no <c>Ask</c>), starts the server
/// as its child, and supervises it: its strategy decides on the server's own failure, the strategy on the server's
/// props decides on each connection's, and its death watch sees the server stop.
/// </summary>
/// <remarks>
/// A connection that fails (a bug in a handler delegate, a socket error) is stopped and logged; the server and the
/// other connections carry on. If the server itself fails or stops (it could not bind its port), the node has no
/// reason to live: it runs <see cref="CoordinatedShutdown"/>, which leaves the cluster, and the process exits 1.
/// </remarks>
internal sealed class KvNode : ReceiveActor
{
    // The server, this actor's child: asked for its binding, watched.
    private readonly IActorRef _server;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public KvNode(IActorRef region, IPEndPoint endPoint, long maxValueSize)
    {
        var system = Context.System;
        var byKey = EntityIdFromPathValue("key");
        var mux = new ServeMux()
            .Handle("PUT /kv/{key}", ShardedRoute(region, byKey, maxValueSize))
            .Handle("GET /kv/{key}", ShardedRoute(region, byKey, maxValueSize))
            .Handle("DELETE /kv/{key}", ShardedRoute(region, byKey, maxValueSize))
            .HandleFunc("GET /cluster/members", ClusterRoutes.Members(system))
            .HandleFunc("GET /healthz", ClusterRoutes.Health(system));

        // Asked about every connection failure: log it, stop that connection (connections are never restarted).
        var connections = new OneForOneStrategy(cause =>
        {
            _log.Warning(cause, "A connection failed; it is stopped and the server serves on");
            return Directive.Stop;
        });
        _server = Context.ActorOf(Http.Get(system).ServerProps(mux, endPoint).WithSupervisorStrategy(connections), "http");
        Context.Watch(_server);
        _server.Tell(HttpServerActor.GetBinding.Instance);

        Receive<HttpServerActor.Binding>(b => _log.Info("HTTP on http://{0}", b.LocalEndPoint));
        Receive<HttpServerActor.GetBinding>(m => _server.Forward(m));
        Receive<Terminated>(t => t.ActorRef.Equals(_server), _ =>
        {
            if (CoordinatedShutdown.Get(system).ShutdownReason is not null) return;   // the shutdown stopped it
            _log.Error("The HTTP server stopped; leaving the cluster");
            CoordinatedShutdown.Get(system).Run(ServerStopped.Instance);
        });
    }

    public static Props Props(IActorRef region, IPEndPoint endPoint, long maxValueSize) =>
        Akka.Actor.Props.Create(() => new KvNode(region, endPoint, maxValueSize));

    // The server's own failure (at start: the port is taken): stop it, and the death watch above ends the node.
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(cause =>
    {
        _log.Error(cause, "The HTTP server failed");
        return Directive.Stop;
    });

    /// <summary>The reason the node shuts down when its server is gone (exit code 1).</summary>
    public sealed class ServerStopped : CoordinatedShutdown.Reason
    {
        public static readonly ServerStopped Instance = new();
        private ServerStopped() { }

        /// <inheritdoc />
        public override int ExitCode => 1;
    }
}
