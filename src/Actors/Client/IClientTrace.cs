namespace ActorHttp.Client;

/// <summary>
/// A sink for the trace events of one request (Go's <c>httptrace.ClientTrace</c>), carried by
/// <see cref="ClientRequest.Trace"/>. The transport raises the events in order from whichever
/// actor observes them: implementations must be cheap, thread-safe and must not throw (a
/// throwing sink is ignored, never fails the request). To hand events to an actor, tell it the event.
/// </summary>
public interface IClientTrace
{
    /// <summary>Called once per event, at the moment it happens.</summary>
    void OnEvent(ClientTraceEvent traceEvent);
}
