using ActorHttp.Server;
using Akka;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace ActorHttp.Streams;

/// <summary>
/// The Akka.Streams view of a server exchange, for handlers: the request body as a <see cref="Source{TOut,TMat}"/>
/// (<see cref="DataBytes"/>) and a source written as the response body (<see cref="WriteSourceAsync{TMat}"/>), beside the
/// request's <see cref="ServerRequest.Body"/> stream and the <see cref="ResponseWriter"/>'s writes.
/// </summary>
public static class ServerStreams
{
    /// <summary>
    /// The request body as a source of byte strings, read on demand: while nothing pulls, the connection stops reading once
    /// its body buffer is full. Run it once, within the handler. Cancelled before the end, the rest stays unread, and the
    /// connection deals with it after the handler as with any unread body (drained within its bounds, or closed).
    /// </summary>
    public static Source<ByteString, NotUsed> DataBytes(this ServerRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Source.FromGraph(new BodySource(request.Body, onEnd: null, onAbort: null));
    }

    /// <summary>
    /// Writes every element of <paramref name="source"/> as the response body, each sent as it comes (chunked, unless the
    /// handler set a Content-Length), pulling the next only once the previous is on its way: a slow client holds the source
    /// back. Completes when the last element is written.
    /// </summary>
    /// <exception cref="Exception">The source failed: let it propagate from the handler, and the connection is aborted
    /// (the client sees a truncated response, never a complete-looking wrong one).</exception>
    public static async Task WriteSourceAsync<TMat>(this ResponseWriter response, Source<ByteString, TMat> source, IMaterializer materializer,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(materializer);
        var body = response.Body;
        var (kill, done) = source
            .ViaMaterialized(KillSwitches.Single<ByteString>(), Keep.Right)
            .ToMaterialized(Sink.ForEachAsync<ByteString>(1, async bytes =>
            {
                // WriteToAsync writes the byte string's own segments, without a copy; the flush sends them as one chunk.
                await bytes.WriteToAsync(body).ConfigureAwait(false);
                await response.FlushAsync(ct).ConfigureAwait(false);
            }), Keep.Both)
            .Run(materializer);
        await using (ct.Register(static k => ((UniqueKillSwitch)k!).Abort(new OperationCanceledException("The response body's write was cancelled.")), kill))
            await done.ConfigureAwait(false);
    }
}
