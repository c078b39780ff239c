using ActorHttp.Client;
using ActorHttp.Client.Transport;
using Akka;
using Akka.Streams.Dsl;
using Akka.Util;

namespace ActorHttp.Streams;

/// <summary>
/// An <see cref="ActorTransport"/>'s host pools as back-pressured flows of requests (Akka HTTP's
/// <c>cachedHostConnectionPool</c> and <c>superPool</c>): each request goes in with a context of the caller's, and comes
/// out, in completion order, as a <see cref="Result{T}"/> of its response with the same context.
/// </summary>
/// <remarks>
/// <para><b>Demand.</b> A flow pulls a request only when the request's host can take it: a host has
/// <c>max-conns-per-host</c> slots (<c>pool-flow-max-open-requests</c> when uncapped), and a request holds its slot until
/// its response no longer holds a connection (the body read, disposed, aborted, or expired by
/// <c>response-entity-subscription-timeout</c>). So a stream of any length runs at the pool's pace, never fails with an
/// overflow, and never needs <c>max-pending-requests</c>.</para>
/// <para><b>Results.</b> A failure (dial, reset, timeout...) is a failed result carrying the client's
/// <see cref="HttpClientException"/>; it does not fail the stream. Idempotent requests are retried as the pool always does.
/// A successful result's body must be read or disposed, as with <see cref="ActorTransport.RoundTripAsync"/>: until then it
/// holds a slot (bounded by the subscription timeout).</para>
/// <para>Cancelling the flow cancels the requests it has not yet answered, and aborts the responses it has not emitted.</para>
/// </remarks>
public static class PoolFlows
{
    /// <summary>
    /// A flow for the requests of one origin (<paramref name="origin"/>'s scheme, host and port). A request for another
    /// origin comes out as a failed result (<see cref="ClientErrorKind.InvalidRequest"/>).
    /// </summary>
    public static Flow<(ClientRequest, T), (Result<ClientResponse>, T), NotUsed> HostConnectionPool<T>(this ActorTransport transport, Uri origin)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(origin);
        if (!origin.IsAbsoluteUri) throw new ArgumentException("The origin must be an absolute URI.", nameof(origin));
        var host = OriginOf(origin);
        var slots = SlotsFor(transport, origin);
        var route = new PoolFlowStage<T>.Route(host, slots, null);
        return Flow.FromGraph(new PoolFlowStage<T>(transport, request => OriginOf(request.Uri) == host ? route
            : new PoolFlowStage<T>.Route(null, 0, new HttpClientException(ClientErrorKind.InvalidRequest,
                $"The request for {OriginOf(request.Uri)} was sent through the pool flow of {host}.", request)), slots));
    }

    /// <summary>A flow for requests to any origin, each routed to its host's pool (Akka HTTP's <c>superPool</c>).</summary>
    /// <remarks>A request for a host with no free slot is held until one frees, and the requests behind it wait too.</remarks>
    public static Flow<(ClientRequest, T), (Result<ClientResponse>, T), NotUsed> SuperPool<T>(this ActorTransport transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        return Flow.FromGraph(new PoolFlowStage<T>(transport,
            request => new PoolFlowStage<T>.Route(OriginOf(request.Uri), SlotsFor(transport, request.Uri), null), singleHostSlots: null));
    }

    private static string OriginOf(Uri uri) => $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}";

    private static int SlotsFor(ActorTransport transport, Uri uri)
    {
        var settings = transport.Settings.For(uri);
        return settings.MaxConnsPerHost > 0 ? settings.MaxConnsPerHost : settings.PoolFlowMaxOpenRequests;
    }
}
