using ActorHttp.Streams;
using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace ActorHttp.Server.Connection;

// The flow routes (Route.Flow, ServeMux.HandleFlow, HttpServer.BindFlowAsync) of the connection actor: each route's flow
// is materialized once per connection, on the connection's first request for it, and torn down when the connection
// stops (ServerFlowHost says why per connection). Kept apart from ServerConnection.cs, which holds the connection's states.
internal sealed partial class ServerConnection
{
    // Owned by this actor: the flows materialized on this connection, one per flow route it has served (usually one). They
    // run on the connection's StreamMaterializer, whose actors are this actor's children, so they stop with it.
    private List<(Flow<ServerRequest, ServerResponse, NotUsed> Flow, ServerFlowHost Host)>? _flows;

    // A flow route's exchange: the request goes into the connection's materialization of the flow, and the response
    // that comes out is written. The task completes once it is written (or fails with the flow).
    private Task RunFlow(Exchange exchange, Flow<ServerRequest, ServerResponse, NotUsed> flow) =>
        RespondFromFlowAsync(exchange, FlowHostFor(flow), StreamMaterializer);

    private ServerFlowHost FlowHostFor(Flow<ServerRequest, ServerResponse, NotUsed> flow)
    {
        _flows ??= new List<(Flow<ServerRequest, ServerResponse, NotUsed>, ServerFlowHost)>(1);
        foreach (var (f, host) in _flows)
            if (ReferenceEquals(f, flow)) return host;
        var made = new ServerFlowHost(flow, StreamMaterializer);
        _flows.Add((flow, made));
        return made;
    }

    // A flow that failed or completed has ended for this connection: the exchange gets 500 (the failure, through Finish)
    // or 503, and the connection closes, so no later request waits on a flow that will never answer. A client that goes
    // away while the flow holds its request (ServerRequest.Aborted) fails the exchange too: the connection then closes
    // and the stream with it, rather than waiting on a flow that may never answer a request nobody wants.
    // A streamed answer (ServerResponse.Streamed) is written whole before the task completes, so the flow gets the next
    // request only after it: responses stay in request order.
    private static async Task RespondFromFlowAsync(Exchange exchange, ServerFlowHost host, IMaterializer materializer)
    {
        ServerResponse? answer;
        try
        {
            answer = await host.RespondAsync(exchange.Request).WaitAsync(exchange.Request.Aborted).ConfigureAwait(false);
        }
        catch
        {
            exchange.MustClose = true;
            throw;
        }

        if (answer is null)
        {
            exchange.MustClose = true;
            exchange.Response.Headers.Set("Connection", "close");
            await exchange.Response.ErrorAsync(503, "the handler flow completed").ConfigureAwait(false);
            return;
        }

        if (answer.BodySource is null) await answer.WriteToAsync(exchange.Response).ConfigureAwait(false);
        else await answer.WriteStreamedAsync(exchange.Response, materializer).ConfigureAwait(false);
    }

    // PostStop: the flows' streams end with an error their stages see (their actors stop with this one in any case).
    private void StopFlows()
    {
        if (_flows is null) return;
        foreach (var (_, host) in _flows) host.Abort();
        _flows = null;
    }
}
