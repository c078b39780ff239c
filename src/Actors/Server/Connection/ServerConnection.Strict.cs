using ActorHttp.Protocol;
using Akka.Actor;

namespace ActorHttp.Server.Connection;

// The strict routes (ActorHandler.StrictRoute, ShardedRoute) of the connection actor: the request crosses to a handler
// that may be on another node as one message, its body read first. Kept apart from ServerConnection.cs, which holds
// the connection's states and the local handler paths.
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
        if (request.ContentLength is { } length && length > inline)
            return WriteStatus(exchange.Response, 413, BodyAboveInline(length, inline), close: true, exchange);
        if (request.ContentLength == 0) return TellStrict(exchange, target, []);

        // A body already in the pipe is read in this turn; the answer to it is the same as in OnStrictBodyRead, but
        // returned to Run, which finishes the exchange (no StartNext from within StartNext).
        var read = ReadStrictBodyAsync(request, inline);
        if (read.IsCompleted) return Strict(exchange, target, read.IsCompletedSuccessfully ? read.Result : null, read.Exception?.GetBaseException());

        read.ContinueWith(
            (t, state) =>
            {
                var (e, to) = ((Exchange, StrictTarget))state!;
                return new StrictBodyRead(e, to, t.IsCompletedSuccessfully ? t.Result : null, t.Exception?.GetBaseException());
            },
            (exchange, target), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
            .PipeTo(Self);
        return null;
    }

    // The whole body, or null when it is longer than inline bytes (a chunked one: its length shows only as it is read).
    private static async Task<byte[]?> ReadStrictBodyAsync(ServerRequest request, int inline)
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

            return bytes;
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
        while (true)
        {
            int n = await body.ReadAsync(buffer.GetMemory(4096)).ConfigureAwait(false);
            if (n == 0) return buffer.WrittenSpan.ToArray();
            buffer.Advance(n);
            if (buffer.WrittenCount > inline) return null;
        }
    }

    private static string BodyAboveInline(long? length, int inline) =>
        $"the request body{(length is { } n ? $" of {n} bytes" : "")} is above actorhttp.cluster.max-inline-body ({inline} bytes), the most a handler on another node can be sent";

    private void OnStrictBodyRead(StrictBodyRead read)
    {
        if (!ReferenceEquals(read.Exchange, _current)) return;
        if (Strict(read.Exchange, read.Target, read.Body, read.Error) is not { } task) return;
        Complete(read.Exchange, task);
        if (_current is null) StartNext();
    }

    // What a strict route does once its body is read: tell the handler (null: it answers by message), or answer a
    // failed read (its status, as for any handler whose read failed) or a body above the inline limit (413) at once.
    private Task? Strict(Exchange exchange, StrictTarget target, byte[]? body, Exception? error)
    {
        if (error is not null) return Task.FromException(error);
        if (body is null)
            return WriteStatus(exchange.Response, 413, BodyAboveInline(null, Http.Get(Context.System).ClusterSettings.MaxInlineBody), close: true, exchange);
        return TellStrict(exchange, target, body);
    }

    // Tells the strict route's actor the request, as the actor path does (Dispatch): watched once per connection, the
    // answer awaited by id (OnActorReply). A head HandleStrictRequest refuses fails the exchange.
    private Task? TellStrict(Exchange exchange, StrictTarget target, byte[] body)
    {
        ActorHandler.HandleStrictRequest message;
        try
        {
            message = ActorHandler.HandleStrictRequest.From(exchange.Request, body, exchange.Id, Self);
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
}
