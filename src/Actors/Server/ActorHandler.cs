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
/// </remarks>
public static class ActorHandler
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

    /// <summary>A handler's answer to request <paramref name="Id"/>: a <see cref="ServerResponse"/>, <see cref="ResponseComplete"/> or <see cref="Status.Failure"/>.</summary>
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

    /// <summary>A route answered by <paramref name="actor"/>.</summary>
    public static Route Route(IActorRef actor, long? maxRequestBodySize = null) => new(actor, maxRequestBodySize);
}

/// <summary>A whole response as a message, for handler actors that answer in one go.</summary>
/// <param name="StatusCode">The status code.</param>
/// <param name="Body">The body; a computed Content-Length is sent.</param>
/// <param name="Headers">Header fields, in order; null for none.</param>
public sealed record ServerResponse(int StatusCode, ReadOnlyMemory<byte> Body, IReadOnlyList<KeyValuePair<string, string>>? Headers = null)
{
    /// <summary>A text response (UTF-8, <c>text/plain</c> unless the headers say otherwise).</summary>
    public static ServerResponse Text(int statusCode, string text) =>
        new(statusCode, System.Text.Encoding.UTF8.GetBytes(text), [new("Content-Type", "text/plain; charset=utf-8")]);

    internal async Task WriteToAsync(ResponseWriter response)
    {
        response.StatusCode = StatusCode;
        if (Headers is not null)
            foreach (var (name, value) in Headers) response.Headers.Add(name, value);
        await response.WriteAsync(Body).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override string ToString() => $"ServerResponse({StatusCode}, {Body.Length} bytes)";
}
