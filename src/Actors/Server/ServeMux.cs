using ActorHttp.Server.Routing;
using Akka;
using Akka.Actor;
using Akka.Streams.Dsl;

namespace ActorHttp.Server;

/// <summary>
/// The routes a server starts with: Go's <c>http.ServeMux</c> as a builder. Register handlers, then
/// pass it to <see cref="HttpServer.StartAsync"/>; once running, the <see cref="RouterActor"/> owns
/// the table and takes further registrations as messages.
/// </summary>
/// <remarks>
/// <para><b>Patterns</b> (Go 1.22): <c>[METHOD ][HOST]/[PATH]</c>. <c>/items/{id}</c> matches one
/// segment, <c>/files/{path...}</c> the rest of the path, <c>/{$}</c> only <c>/</c>; a trailing slash
/// makes a subtree (<c>/static/</c> matches everything under it).</para>
/// <para><b>Precedence</b>: the most specific pattern wins, whatever the order of registration; a pattern
/// with a host beats one without. Two patterns that overlap with neither more specific conflict:
/// the second registration throws <see cref="RouteConflictException"/> naming both.</para>
/// <para><b>Method</b>: <c>GET</c> also matches <c>HEAD</c>. When only the method fails the answer is
/// 405 with <c>Allow</c>; otherwise 404. Unclean paths and a subtree asked for without its slash get
/// a 301.</para>
/// </remarks>
public sealed class ServeMux
{
    /// <summary>The table built so far.</summary>
    public RouteTable<Route> Table { get; private set; } = RouteTable<Route>.Empty;

    /// <summary>Registers <paramref name="handler"/> for <paramref name="pattern"/>.</summary>
    /// <exception cref="RoutePatternException">The pattern is malformed.</exception>
    /// <exception cref="RouteConflictException">It conflicts with a registered pattern.</exception>
    public ServeMux HandleFunc(string pattern, HandlerFunc handler, long? maxRequestBodySize = null) =>
        Handle(pattern, new Route(handler, maxRequestBodySize));

    /// <summary>Registers an actor that answers <paramref name="pattern"/> (see <see cref="ActorHandler"/>).</summary>
    public ServeMux Handle(string pattern, IActorRef handlerActor, long? maxRequestBodySize = null) =>
        Handle(pattern, ActorHandler.Route(handlerActor, maxRequestBodySize));

    /// <summary>
    /// Registers the stream <paramref name="flow"/> for <paramref name="pattern"/> (Akka HTTP's <c>bindFlow</c> for one
    /// route): it must answer each request with exactly one response, in order. Each connection materializes it once, on
    /// its first request for this pattern, hands it one request at a time and tears it down when it closes; a flow that
    /// fails answers 500, one that completes early 503, and the connection closes. See the README's "Akka.Streams".
    /// </summary>
    public ServeMux HandleFlow(string pattern, Flow<ServerRequest, ServerResponse, NotUsed> flow, long? maxRequestBodySize = null) =>
        Handle(pattern, new Route(flow, maxRequestBodySize));

    /// <summary>Registers <paramref name="route"/> for <paramref name="pattern"/>.</summary>
    public ServeMux Handle(string pattern, Route route)
    {
        Table = Table.Add(pattern, route);
        return this;
    }
}
