using ActorHttp.Protocol;
using Akka.Actor;

namespace ActorHttp.Server;

/// <summary>
/// Requests answered by an actor. For every request the actor receives a <see cref="HandleRequest"/>
/// and answers in one of two ways: it writes through <see cref="HandleRequest.Response"/> and replies
/// <see cref="ResponseComplete"/>, or it replies with a whole <see cref="ServerResponse"/>. A
/// <see cref="Status.Failure"/> reply is a failed handler (500 when nothing was sent).
/// </summary>
public static class ActorHandler
{
    /// <summary>Sent to the handler actor for each request; reply to the sender.</summary>
    public sealed record HandleRequest(ServerRequest Request, ResponseWriter Response)
    {
        /// <inheritdoc />
        public override string ToString() => $"HandleRequest({Request})";
    }

    /// <summary>The reply of an actor that wrote its response through the <see cref="ResponseWriter"/>.</summary>
    public sealed class ResponseComplete
    {
        /// <summary>The message.</summary>
        public static readonly ResponseComplete Instance = new();
        private ResponseComplete() { }
    }

    /// <summary>A route whose handler asks <paramref name="actor"/>; the request waits until the actor replies or the connection is lost.</summary>
    public static Route Route(IActorRef actor, long? maxRequestBodySize = null) =>
        new(async (response, request) =>
        {
            var reply = await actor.Ask<object>(new HandleRequest(request, response), Timeout.InfiniteTimeSpan, request.Aborted)
                .ConfigureAwait(false);
            if (reply is ServerResponse whole) await whole.WriteToAsync(response).ConfigureAwait(false);
        }, maxRequestBodySize);
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
