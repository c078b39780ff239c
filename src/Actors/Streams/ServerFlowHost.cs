using System.Runtime.ExceptionServices;
using ActorHttp.Server;
using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace ActorHttp.Streams;

/// <summary>
/// One materialization of a handler flow (<see cref="Route.Flow"/>) for one connection: requests go in through a queue,
/// and their responses come out of another, one exchange at a time.
/// </summary>
/// <remarks>
/// <para><b>Where it lives.</b> The connection actor makes it on its first request for the route, with a materializer of
/// its own (<c>Context.Materializer()</c>): the stream's actors are the connection's descendants, so they stop with it
/// whatever the flow is doing, as Akka HTTP materializes a <c>bindFlow</c> handler once per connection. A shared
/// materialization across connections would need the flow to carry each request's connection through it and to stay
/// 1:1 and ordered per connection; one slow connection would then hold the others back, and a flow failing would fail
/// every connection at once.</para>
/// <para><b>One at a time.</b> The connection answers in request order, and a request's body is the byte stream between
/// its head and the next one, so it hands the flow its next request only once the previous response has been written;
/// pipelined requests wait in the connection (<c>max-pipelined-requests</c>, beyond which it stops reading the socket).
/// A slow flow therefore holds the connection's reading back, and the flow never holds more than one request of a
/// connection. This is Akka HTTP's default (<c>pipelining-limit = 1</c>).</para>
/// <para><b>Ends.</b> A flow that fails fails the exchange waiting on it (500, then the connection closes); one that
/// completes without answering leaves it without a response (503, then the connection closes). The connection does not
/// materialize it again: its later requests are not read.</para>
/// </remarks>
internal sealed class ServerFlowHost
{
    private readonly ISourceQueueWithComplete<ServerRequest> _requests;
    private readonly ISinkQueue<ServerResponse> _responses;
    private readonly UniqueKillSwitch _kill;
    // Completes when the flow's output completes, faults with its failure: what a request that finds the stream ended gets.
    private readonly Task _ended;

    /// <summary>Materializes <paramref name="flow"/> with <paramref name="materializer"/>.</summary>
    public ServerFlowHost(Flow<ServerRequest, ServerResponse, NotUsed> flow, IMaterializer materializer)
    {
        // One slot: a request is offered only once the previous one's response came out. The kill switch is the explicit
        // end when the connection closes; stopping the connection's materializer would end it anyway.
        var (((requests, kill), ended), responses) = Source.Queue<ServerRequest>(1, OverflowStrategy.Backpressure)
            .ViaMaterialized(KillSwitches.Single<ServerRequest>(), Keep.Both)
            .Via(flow)
            .WatchTermination(Keep.Both)
            .ToMaterialized(Sink.Queue<ServerResponse>(), Keep.Both)
            .Run(materializer);
        _requests = requests;
        _kill = kill;
        _ended = ended;
        _responses = responses;
    }

    /// <summary>
    /// The flow's response to <paramref name="request"/>; null when the flow has completed without one. Throws the flow's
    /// failure.
    /// </summary>
    public async Task<ServerResponse?> RespondAsync(ServerRequest request)
    {
        // The queues refuse (StreamDetachedException) or close once the stream has ended: the flow's own end says why.
        if (_ended.IsCompleted) return await EndedAsync().ConfigureAwait(false);
        IQueueOfferResult offered;
        try
        {
            offered = await _requests.OfferAsync(request).ConfigureAwait(false);
        }
        catch (StreamDetachedException)
        {
            return await EndedAsync().ConfigureAwait(false);
        }

        if (offered is QueueOfferResult.Failure failure) ExceptionDispatchInfo.Capture(failure.Cause).Throw();
        if (offered is not QueueOfferResult.Enqueued) return await EndedAsync().ConfigureAwait(false);
        Akka.Util.Option<ServerResponse> next;
        try
        {
            next = await _responses.PullAsync().ConfigureAwait(false);
        }
        catch (StreamDetachedException)
        {
            return await EndedAsync().ConfigureAwait(false);
        }

        return next.HasValue ? next.Value : await EndedAsync().ConfigureAwait(false);
    }

    // The stream has ended or is ending: null when the flow completed, its failure thrown when it failed.
    private async Task<ServerResponse?> EndedAsync()
    {
        await _ended.ConfigureAwait(false);
        return null;
    }

    /// <summary>Tears the stream down: the connection is closing.</summary>
    public void Abort() => _kill.Abort(new ConnectionClosedException());

    /// <summary>What a handler flow's stream fails with when its connection closes.</summary>
    public sealed class ConnectionClosedException() : Exception("The connection of this handler flow closed.");
}
