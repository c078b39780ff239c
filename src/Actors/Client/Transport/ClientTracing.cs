using Akka.Actor;
using Akka.Event;

namespace ActorHttp.Client.Transport;

/// <summary>Raises a trace event on the request's own <see cref="IClientTrace"/> and on the actor system's event stream.</summary>
public static class ClientTracing
{
    /// <summary>Raises <paramref name="traceEvent"/> for <paramref name="request"/>.</summary>
    public static void Raise(ActorSystem system, ClientRequest request, ClientTraceEvent traceEvent)
    {
        if (request.Trace is { } trace)
        {
            try
            {
                trace.OnEvent(traceEvent);
            }
            catch (Exception e)
            {
                // A trace hook is the caller's code: its failure must not take a connection down.
                system.Log.Warning("Client trace hook threw on {Event}: {Error}", traceEvent, e.Message);
            }
        }
        system.EventStream.Publish(traceEvent);
    }
}
