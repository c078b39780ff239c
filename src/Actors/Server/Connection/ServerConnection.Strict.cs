using ActorHttp.Protocol;
using ActorHttp.Streams;
using Akka.Actor;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace ActorHttp.Server.Connection;

// The strict routes (ActorHandler.StrictRoute, ShardedRoute) of the connection actor: the request crosses to a handler
// that may be on another node as one message, its body read first when it is small (actorhttp.cluster.max-inline-body)
// and streamed through an Akka.Streams stream ref when it is not. Kept apart from ServerConnection.cs, which holds the
// connection's states and the local handler paths.
internal sealed partial class ServerConnection
{
    // A strict route (ActorHandler.StrictRoute, ShardedRoute): the handler may be on another node, so it gets the
    // request as a message that crosses nodes, its body read to the end first. Null: the body is being read, and the
    // handler is told when it is (OnStrictBodyRead). The request's one deadline (request-timeout) counts from its
    // start, so a slow body counts too (Run arms it).
    private Task? StartStrict(Exchange exchange, Route route, IActorRef actor)
    {
        var request = exchange.Request;
        string? entityId = null;
        if (route.EntityId is { } entityIdOf)
        {
            entityId = entityIdOf(request);
            if (string.IsNullOrEmpty(entityId))
                return WriteStatus(exchange.Response, 400, $"the request has no entity id for {request.Pattern}", close: false, exchange);
        }

        var target = new StrictTarget(actor, entityId);
        int inline = Http.Get(Context.System).ClusterSettings.MaxInlineBody;
        if (request.ContentLength is { } length && length > inline) return StreamStrict(exchange, target, read: null);
        if (request.ContentLength == 0) return TellStrict(exchange, target, [], bodyRef: null);

        // A body already in the pipe is read in this turn; the answer to it is the same as in OnStrictBodyRead, but
        // returned to Run, which finishes the exchange (no StartNext from within StartNext).
        var reading = ReadStrictBodyAsync(request, inline);
        if (reading.IsCompleted)
        {
            var (body, read) = reading.IsCompletedSuccessfully ? reading.Result : (null, null);
            return Strict(exchange, target, body, reading.Exception?.GetBaseException(), read);
        }

        reading.ContinueWith(
            (t, state) =>
            {
                var (e, to) = ((Exchange, StrictTarget))state!;
                var (body, read) = t.IsCompletedSuccessfully ? t.Result : (null, null);
                return new StrictBodyRead(e, to, body, t.Exception?.GetBaseException(), read);
            },
            (exchange, target), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
            .PipeTo(Self);
        return null;
    }

    // The whole body; or, for a chunked one longer than inline bytes (its length shows only as it is read), the bytes
    // read so far, which the streamed body starts with.
    private static async Task<(byte[]? Body, byte[]? Read)> ReadStrictBodyAsync(ServerRequest request, int inline)
    {
        var body = request.Body;
        if (request.ContentLength is { } length)
        {
            var bytes = new byte[length];
            int filled = 0;
            while (filled < bytes.Length)
            {
                int n = await body.ReadAsync(bytes.AsMemory(filled)).ConfigureAwait(false);
                if (n == 0) throw new HttpProtocolException(ProtocolError.TruncatedBody);
                filled += n;
            }

            return (bytes, null);
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
        while (true)
        {
            int n = await body.ReadAsync(buffer.GetMemory(4096)).ConfigureAwait(false);
            if (n == 0) return (buffer.WrittenSpan.ToArray(), null);
            buffer.Advance(n);
            if (buffer.WrittenCount > inline) return (null, buffer.WrittenSpan.ToArray());
        }
    }

    private void OnStrictBodyRead(StrictBodyRead read)
    {
        if (!ReferenceEquals(read.Exchange, _current)) return;
        if (Strict(read.Exchange, read.Target, read.Body, read.Error, read.Read) is not { } task) return;
        Complete(read.Exchange, task);
        if (_current is null) StartNext();
    }

    // What a strict route does once its body is read: tell the handler (null: it answers by message), answer a failed
    // read at once (its status, as for any handler whose read failed), or stream a body that went above the inline limit.
    private Task? Strict(Exchange exchange, StrictTarget target, byte[]? body, Exception? error, byte[]? read)
    {
        if (error is not null) return Task.FromException(error);
        return body is null ? StreamStrict(exchange, target, read) : TellStrict(exchange, target, body, bodyRef: null);
    }

    // A body above the inline limit streams to the handler: the rest of it, after the bytes already read, runs from the
    // request's body into a stream ref on this connection's materializer (its stage is this actor's descendant and stops
    // with it). The handler is told once the ref exists (OnStrictBodyStreaming). Demand crosses the nodes: the socket is
    // read as the handler pulls, and the route's body limit still applies to what is read.
    private Task? StreamStrict(Exchange exchange, StrictTarget target, byte[]? read)
    {
        var body = exchange.Request.DataBytes().Select(static b => b.ToArray());
        if (read is not null) body = Source.Single(read).Concat(body);
        // byte[] elements: Akka binds them to its byte-array serializer; a ByteString would travel as JSON.
        body.RunWith(StreamRefs.SourceRef<byte[]>(), StreamMaterializer).ContinueWith(
                (t, state) =>
                {
                    var (e, to) = ((Exchange, StrictTarget))state!;
                    return new StrictBodyStreaming(e, to, t.IsCompletedSuccessfully ? t.Result : null, t.Exception?.GetBaseException());
                },
                (exchange, target), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
            .PipeTo(Self);
        return null;
    }

    private void OnStrictBodyStreaming(StrictBodyStreaming streaming)
    {
        if (!ReferenceEquals(streaming.Exchange, _current)) return;
        var task = streaming.Ref is { } bodyRef
            ? TellStrict(streaming.Exchange, streaming.Target, [], bodyRef)
            : Task.FromException(streaming.Error ?? new InvalidOperationException("No stream ref for the request body."));
        if (task is null) return;
        Complete(streaming.Exchange, task);
        if (_current is null) StartNext();
    }

    // Tells the strict route's actor the request, as the actor path does (Dispatch): watched once per connection, the
    // answer awaited by id (OnActorReply). A head HandleStrictRequest refuses fails the exchange.
    private Task? TellStrict(Exchange exchange, StrictTarget target, byte[] body, ISourceRef<byte[]>? bodyRef)
    {
        ActorHandler.HandleStrictRequest message;
        try
        {
            message = bodyRef is null
                ? ActorHandler.HandleStrictRequest.From(exchange.Request, body, exchange.Id, Self)
                : ActorHandler.HandleStrictRequest.Streaming(exchange.Request, bodyRef, exchange.Id, Self);
        }
        catch (ArgumentException e)
        {
            return Task.FromException(e);
        }

        exchange.AwaitedActor = target.Actor;
        Context.Watch(target.Actor);
        target.Actor.Tell(target.EntityId is { } entityId ? new ShardedHttpRequest(entityId, message) : message, Self);
        return null;
    }

    // A handler's streamed answer (ActorHandler.StreamedResponse): the head, then the stream ref's elements as they come,
    // each flushed (chunked, unless the handler declared a Content-Length), the next pulled only once the previous is on
    // its way. A ref that fails (its node gone) fails the task: the response has started, so the connection aborts it.
    private Task WriteStreamedAsync(ResponseWriter response, ActorHandler.StreamedResponse streamed)
    {
        response.StatusCode = streamed.StatusCode;
        if (streamed.Headers is { } headers)
            foreach (var (name, value) in headers) response.Headers.Add(name, value);
        return response.WriteSourceAsync(streamed.Body.Source.Select(ByteString.FromBytes), StreamMaterializer);
    }

    // A ServerResponse from a handler actor or a flow: its bytes, or its source (ServerResponse.Streamed) on this
    // connection's materializer, which only a streamed one makes. In the actor's turn.
    private Task WriteResponseAsync(ResponseWriter response, ServerResponse answer) =>
        answer.BodySource is null ? answer.WriteToAsync(response) : answer.WriteStreamedAsync(response, StreamMaterializer);

    private IMaterializer StreamMaterializer => _streamMaterializer ??= Context.Materializer(namePrefix: "streams");
}

