using System.Net;
using Akka.Actor;

namespace ActorHttp.Server;

/// <summary>The states a server connection goes through (Go's <c>http.ConnState</c>).</summary>
public enum ConnectionState
{
    /// <summary>Just accepted; no request yet.</summary>
    New,
    /// <summary>A request is being handled.</summary>
    Active,
    /// <summary>Between requests, waiting for the next one (keep-alive).</summary>
    Idle,
    /// <summary>Closed; the connection actor has stopped.</summary>
    Closed,
}

/// <summary>Published on the event stream whenever a server connection changes state (Go's <c>Server.ConnState</c> hook), when <c>actorhttp.server.publish-connection-states</c> is on.</summary>
public sealed record ConnectionStateChanged(IActorRef Connection, EndPoint? RemoteEndPoint, ConnectionState State);

/// <summary>
/// Published on the event stream when a graceful shutdown has begun: the listening socket is closed
/// and each of the <paramref name="OpenConnections"/> open connections has been told to finish.
/// </summary>
public sealed record ServerDraining(IActorRef Listener, int OpenConnections, TimeSpan Deadline);
