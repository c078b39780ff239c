namespace ActorHttp.Server;

/// <summary>
/// A request handler: Go's <c>http.HandlerFunc</c>. It answers <paramref name="request"/> through
/// <paramref name="response"/>; the exchange ends when the returned task completes.
/// </summary>
/// <remarks>
/// It is called in the connection actor's turn (on <c>handler-dispatcher</c>, the thread pool by default) and may
/// await freely: its continuations run on the thread pool.
/// A handler that throws before sending anything gets a 500; one that throws after the head went
/// out has its connection aborted, so the client sees a truncated response rather than a wrong one.
/// </remarks>
public delegate Task HandlerFunc(ResponseWriter response, ServerRequest request);
