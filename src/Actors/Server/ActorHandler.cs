using Akka.Actor;

namespace ActorHttp.Server;

/// <summary>
/// Requests answered by an actor, without <c>Ask</c>: for every request the connection actor tells the handler actor a
/// <see cref="HandleRequest"/> with itself as the sender, and the handler's answer goes straight back to it. No
/// temporary actor and no task stand in between.
/// </summary>
/// <remarks>
/// <para><b>Answering.</b> The handler (or any actor it hands the message to) answers in one of three ways, with
/// <see cref="HandleRequest.Respond"/>, <see cref="HandleRequest.Complete"/> or <see cref="HandleRequest.Fail"/>:
/// a whole <see cref="ServerResponse"/>; or "done" after writing the response itself through
/// <see cref="HandleRequest.Response"/> (streaming); or a failure (500 when nothing was sent yet, an aborted
/// connection otherwise). Those replies carry the request's id, so a reply that arrives after its request ended
/// is dropped, never written to a later request on the same connection. The Akka idiom
/// <c>Sender.Tell(response)</c> works too (a <see cref="ServerResponse"/>, <see cref="ResponseComplete"/> or
/// <see cref="Status.Failure"/> without an id): it answers the request the connection is waiting on.</para>
/// <para><b>Where it runs.</b> The handler actor runs on its own dispatcher (the default one unless its props say
/// otherwise), never on the connection's event loop: it may block without stalling other connections.</para>
/// <para><b>Order.</b> A connection waits for one request's answer before it gives the handler the next
/// (pipelined requests are answered in order, as for delegates).</para>
/// <para><b>When the handler crashes.</b> An exception thrown while handling a <see cref="HandleRequest"/> goes to the
/// actor's supervisor, as in any actor, and the message that failed is lost to the actor, but not to Akka: a restart
/// hands it to <c>PreRestart(reason, message)</c>. Derive from <see cref="HttpHandlerActor"/> (a
/// <see cref="ReceiveActor"/>), or call <see cref="FailRequest"/> from your own <c>PreRestart</c>, and the request that
/// crashed is answered 500 at once (one error line is logged, by the supervisor, as for any crash) while the actor restarts and
/// the connection serves its next request. That covers <c>ReceiveAsync</c> handlers too: their failure is the
/// message's.</para>
/// <para><b>The connection never waits for ever.</b> For handler actors that do not fail their requests (a plain actor
/// restarted, a supervisor that resumes, an answer that is simply lost), the connection stops waiting after
/// <c>actorhttp.server.request-timeout</c> (20s, Akka HTTP's <c>request-timeout</c>; it bounds delegates too): it answers 503, logs one
/// warning, and keeps serving; an answer that comes later is dropped and counted
/// (<c>actorhttp.server.dropped_handler_replies</c>), and a response the handler starts later fails to write. If the
/// handler actor stops while a request waits (a stopping supervisor, <c>PoisonPill</c>), the connection answers 503 at
/// once: it watches each handler actor it uses, once per connection (the cost of a request is a set lookup).
/// Untagged answers (<c>Sender.Tell</c>) carry no id: one that comes after its request's deadline could answer the
/// next request to the same actor. Prefer the <see cref="HandleRequest"/> methods.</para>
/// <para><b>On another node.</b> <see cref="HandleRequest"/> holds a streaming body and a response writer and stays on
/// its node. <see cref="HandleStrictRequest"/> is the request as a message that crosses nodes: the whole head and the
/// body in memory, the same id and reply-to, answered the same way (<see cref="Reply"/> with a
/// <see cref="ServerResponse"/> or a failure). Both it and the replies serialize as HTTP/1.1 wire bytes
/// (<see cref="Cluster.HttpWireSerializer"/>).</para>
/// <para><b>Routes to another node.</b> <see cref="StrictRoute"/> makes a route whose handler may be anywhere in the
/// cluster: a remote <see cref="IActorRef"/> or a cluster singleton proxy. The connection reads the whole body first
/// (up to <c>actorhttp.cluster.max-inline-body</c>, 80 KiB; a larger one streams through a stream ref, see
/// <see cref="HandleStrictRequest"/>), then tells the handler a <see cref="HandleStrictRequest"/> with itself as
/// reply-to. The handler's <see cref="Reply"/> (<see cref="HandleStrictRequest.Respond"/>,
/// <see cref="HandleStrictRequest.Fail"/>) comes straight back to the connection, across nodes if need be: no
/// <c>Ask</c>, no temporary actor. The deadline, the 503 when the handler stops, and the dropping of late answers are
/// those above. <see cref="ShardedRoute"/> does the same for a shard region: it tells the region a
/// <see cref="ShardedHttpRequest"/>, the request with an entity id taken from it (<see cref="EntityIdFromPathValue"/>,
/// <see cref="EntityIdFromHeader"/>, or any function), which the region's message extractor unwraps.</para>
/// <code>
/// var mux = new ServeMux()
///     .Handle("GET /report", ActorHandler.StrictRoute(singletonProxy))
///     .Handle("/kv/{key}", ActorHandler.ShardedRoute(region, ActorHandler.EntityIdFromPathValue("key")));
/// </code>
/// </remarks>
public static partial class ActorHandler
{
    /// <summary>
    /// Sent to the handler actor for each request, with the connection as the sender (and as <see cref="ReplyTo"/>).
    /// Answer with <see cref="Respond"/>, <see cref="Complete"/> or <see cref="Fail"/>.
    /// </summary>
    /// <param name="Request">The request; its body streams from the connection.</param>
    /// <param name="Response">The response writer, for handlers that stream their answer.</param>
    /// <param name="Id">The request's number on its connection, carried back by the replies.</param>
    /// <param name="ReplyTo">The connection actor.</param>
    public sealed record HandleRequest(ServerRequest Request, ResponseWriter Response, long Id, IActorRef ReplyTo)
    {
        /// <summary>Answers with a whole response.</summary>
        public void Respond(ServerResponse response) => ReplyTo.Tell(new Reply(Id, response), ActorRefs.NoSender);

        /// <summary>Says that the response was written through <see cref="Response"/> and is complete.</summary>
        public void Complete() => ReplyTo.Tell(new Reply(Id, ResponseComplete.Instance), ActorRefs.NoSender);

        /// <summary>Says that the handler failed: 500 when nothing was sent yet, an aborted connection otherwise.</summary>
        public void Fail(Exception cause) => ReplyTo.Tell(new Reply(Id, new Status.Failure(cause)), ActorRefs.NoSender);

        /// <inheritdoc />
        public override string ToString() => $"HandleRequest({Id}, {Request})";
    }

    /// <summary>
    /// A handler's answer to request <paramref name="Id"/>: a <see cref="ServerResponse"/>, a <see cref="StreamedResponse"/>,
    /// <see cref="ResponseComplete"/> or <see cref="Status.Failure"/>.
    /// </summary>
    public sealed record Reply(long Id, object Answer)
    {
        /// <inheritdoc />
        public override string ToString() => $"Reply({Id}, {Answer})";
    }

    /// <summary>The answer of a handler that wrote its response through the <see cref="ResponseWriter"/>.</summary>
    public sealed class ResponseComplete
    {
        /// <summary>The message.</summary>
        public static readonly ResponseComplete Instance = new();
        private ResponseComplete() { }
    }

    /// <summary>
    /// Fails <paramref name="message"/> with <paramref name="reason"/> when it is a <see cref="HandleRequest"/> or a
    /// <see cref="HandleStrictRequest"/> (the connection answers 500, or aborts a response already started), for a handler actor's
    /// <c>PreRestart(reason, message)</c>: the message that made the actor crash. Returns whether it did.
    /// </summary>
    /// <example><code>
    /// protected override void PreRestart(Exception reason, object message)
    /// {
    ///     ActorHandler.FailRequest(reason, message);
    ///     base.PreRestart(reason, message);
    /// }
    /// </code></example>
    public static bool FailRequest(Exception reason, object? message)
    {
        // Marked, so that the connection does not log the crash again: the supervisor has logged it, with the actor's path.
        switch (message)
        {
            case HandleRequest request: request.Fail(new HandlerActorCrashedException(reason)); return true;
            case HandleStrictRequest strict: strict.Fail(new HandlerActorCrashedException(reason)); return true;
            default: return false;
        }
    }

    /// <summary>The failure <see cref="FailRequest"/> sends: the handler actor crashed on the request (the cause within).</summary>
    internal sealed class HandlerActorCrashedException(Exception cause) : Exception("The handler actor crashed on the request.", cause);

    /// <summary>A route answered by <paramref name="actor"/>.</summary>
    public static Route Route(IActorRef actor, long? maxRequestBodySize = null) => new(actor, maxRequestBodySize);

    /// <summary>
    /// A route answered by <paramref name="actor"/>, which may live on another node (a remote <see cref="IActorRef"/>,
    /// a cluster singleton proxy): the connection reads the whole body, then tells it a
    /// <see cref="HandleStrictRequest"/> with itself as reply-to.
    /// </summary>
    /// <param name="actor">The handler actor, local or not.</param>
    /// <param name="maxRequestBodySize">This route's request body limit in bytes (0 = unlimited); null takes
    /// <c>request-body.max-size</c>. A body above <c>actorhttp.cluster.max-inline-body</c> streams to the handler
    /// (<see cref="HandleStrictRequest.BodyRef"/>).</param>
    public static Route StrictRoute(IActorRef actor, long? maxRequestBodySize = null) => new(actor, null, maxRequestBodySize);

    /// <summary>
    /// A route answered by an entity behind the shard region <paramref name="region"/>: as <see cref="StrictRoute"/>,
    /// with the request wrapped in a <see cref="ShardedHttpRequest"/> whose entity id is <paramref name="entityId"/>
    /// of the request (see <see cref="EntityIdFromPathValue"/>, <see cref="EntityIdFromHeader"/>).
    /// </summary>
    /// <param name="region">The shard region (or its proxy) on this node.</param>
    /// <param name="entityId">The entity id of a request; null or empty answers 400 without telling the region.</param>
    /// <param name="maxRequestBodySize">As for <see cref="StrictRoute"/>.</param>
    public static Route ShardedRoute(IActorRef region, Func<ServerRequest, string?> entityId, long? maxRequestBodySize = null)
    {
        ArgumentNullException.ThrowIfNull(entityId);
        return new(region, entityId, maxRequestBodySize);
    }

    /// <summary>The entity id as the value of the pattern's wildcard <paramref name="name"/>: <c>{key}</c> in <c>PUT /kv/{key}</c>.</summary>
    public static Func<ServerRequest, string?> EntityIdFromPathValue(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return request => request.PathValue(name);
    }

    /// <summary>The entity id as the value of the request's first header field <paramref name="name"/> (case-insensitive).</summary>
    public static Func<ServerRequest, string?> EntityIdFromHeader(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return request => request.Headers.TryGetValue(name, out var value) ? value : null;
    }
}

/// <summary>A whole response as a message, for handler actors and handler flows that answer in one go.</summary>
/// <param name="StatusCode">The status code.</param>
/// <param name="Body">The body; a computed Content-Length is sent.</param>
/// <param name="Headers">Header fields, in order; null for none.</param>
/// <remarks>
/// <see cref="Streamed"/> makes one whose body is a source instead, for a local handler actor or a handler flow (Akka
/// HTTP's chunked entity): the connection runs it on its own materializer, chunked unless <see cref="Headers"/> has a
/// Content-Length, pulling the next element only once the previous one is on its way, so a slow client holds the source
/// back. It stays on its node: across nodes a handler streams with <see cref="ActorHandler.HandleStrictRequest.RespondAsync"/>,
/// and the serializer refuses a streamed <see cref="ServerResponse"/>.
/// </remarks>
public sealed record ServerResponse(int StatusCode, ReadOnlyMemory<byte> Body, IReadOnlyList<KeyValuePair<string, string>>? Headers = null)
{
    /// <summary>A text response (UTF-8, <c>text/plain</c> unless the headers say otherwise).</summary>
    public static ServerResponse Text(int statusCode, string text) =>
        new(statusCode, System.Text.Encoding.UTF8.GetBytes(text), [new("Content-Type", "text/plain; charset=utf-8")]);

    /// <summary>A response whose body is <paramref name="body"/>'s elements, written as they come (see the remarks).</summary>
    /// <exception cref="Exception">A source that fails midway aborts the response: the client sees a truncated body, never a
    /// complete-looking wrong one.</exception>
    public static ServerResponse Streamed(int statusCode, Akka.Streams.Dsl.Source<Akka.IO.ByteString, Akka.NotUsed> body,
        IReadOnlyList<KeyValuePair<string, string>>? headers = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        return new ServerResponse(statusCode, ReadOnlyMemory<byte>.Empty, headers) { BodySource = body };
    }

    /// <summary>The body of a <see cref="Streamed"/> response; null for a whole one (then <see cref="Body"/> is it).</summary>
    public Akka.Streams.Dsl.Source<Akka.IO.ByteString, Akka.NotUsed>? BodySource { get; private init; }

    // The connection writes a whole response here, a streamed one with WriteStreamedAsync on its materializer.
    internal Task WriteToAsync(ResponseWriter response)
    {
        WriteHead(response);
        return response.WriteAsync(Body).AsTask();
    }

    internal Task WriteStreamedAsync(ResponseWriter response, Akka.Streams.IMaterializer materializer)
    {
        WriteHead(response);
        return Streams.ServerStreams.WriteSourceAsync(response, BodySource!, materializer);
    }

    private void WriteHead(ResponseWriter response)
    {
        response.StatusCode = StatusCode;
        if (Headers is not null)
            foreach (var (name, value) in Headers) response.Headers.Add(name, value);
    }

    /// <inheritdoc />
    public override string ToString() => BodySource is null ? $"ServerResponse({StatusCode}, {Body.Length} bytes)" : $"ServerResponse({StatusCode}, streamed body)";
}

/// <summary>
/// A handler actor (a <see cref="ReceiveActor"/>) whose crash answers the request it was handling: when it throws while
/// handling an <see cref="ActorHandler.HandleRequest"/> and its supervisor restarts it, that request gets a 500 at once
/// instead of waiting for <c>request-timeout</c> (see <see cref="ActorHandler"/>).
/// </summary>
/// <example><code>
/// sealed class Orders : HttpHandlerActor
/// {
///     public Orders() => Receive&lt;ActorHandler.HandleRequest&gt;(m =&gt; m.Respond(ServerResponse.Text(200, Lookup(m.Request.Path))));
/// }
/// </code></example>
public abstract class HttpHandlerActor : ReceiveActor
{
    /// <summary>Fails the request that crashed the actor (<see cref="ActorHandler.FailRequest"/>), then restarts as usual.</summary>
    protected override void PreRestart(Exception reason, object message)
    {
        ActorHandler.FailRequest(reason, message);
        base.PreRestart(reason, message);
    }
}
