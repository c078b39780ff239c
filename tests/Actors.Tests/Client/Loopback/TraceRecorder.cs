using ActorHttp.Client;

namespace ActorHttp.Actors.Tests.Client.Loopback;

/// <summary>An <see cref="IClientTrace"/> that keeps every event; the transport may raise them from several threads.</summary>
internal sealed class TraceRecorder : IClientTrace
{
    private readonly List<ClientTraceEvent> _events = new();

    public IReadOnlyList<ClientTraceEvent> Events
    {
        get
        {
            lock (_events) return _events.ToArray();
        }
    }

    public void OnEvent(ClientTraceEvent traceEvent)
    {
        lock (_events) _events.Add(traceEvent);
    }
}
