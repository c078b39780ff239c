using System.Diagnostics.Metrics;

namespace ActorHttp.Faults;

/// <summary>
/// The runtime's own counts of open sockets, read from its meters as a dashboard would: the server's
/// <c>kestrel.active_connections</c> and <c>kestrel.rejected_connections</c> (meter <c>ActorHttp.Server</c>) and the
/// client's <c>http.client.open_connections</c> (meter <c>ActorHttp.Client</c>, on transports given a
/// <c>ClientMetrics</c>). One listener for the process: the server's instruments are static, so the figures are
/// process-wide and the faults, which run one at a time, read them as differences or wait for them to settle.
/// </summary>
public static class Meters
{
    private static long _serverConnections, _serverRejected, _serverActiveRequests, _clientLeftAtDispose;
    // Per instrument: every transport's ClientMetrics has a meter of its own; a disposed one stops counting.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Instrument, long> ClientOpen = new();
    private static readonly MeterListener Listener = Start();

    /// <summary>Server connections open now (<c>kestrel.active_connections</c>).</summary>
    public static long ServerConnections => Interlocked.Read(ref _serverConnections);

    /// <summary>Connections the server closed at accept since the process started (<c>kestrel.rejected_connections</c>).</summary>
    public static long ServerRejected => Interlocked.Read(ref _serverRejected);

    /// <summary>Client connections open now, idle or active (<c>http.client.open_connections</c>), over the client meters not yet disposed.</summary>
    public static long ClientConnections => ClientOpen.Values.Sum();

    /// <summary>Client connections a transport's meter still counted as open when it was disposed (after its transport stopped).</summary>
    public static long ClientConnectionsLeftAtDispose => Interlocked.Read(ref _clientLeftAtDispose);

    /// <summary>Requests in the server now (<c>http.server.active_requests</c>).</summary>
    public static long ServerActiveRequests => Interlocked.Read(ref _serverActiveRequests);

    /// <summary>Makes sure the listener runs (instruments publish before anything is measured).</summary>
    public static void EnsureStarted() => GC.KeepAlive(Listener);

    private static MeterListener Start()
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if ((instrument.Meter.Name, instrument.Name) is ("ActorHttp.Server", "kestrel.active_connections")
                    or ("ActorHttp.Server", "kestrel.rejected_connections")
                    or ("ActorHttp.Server", "http.server.active_requests")
                    or ("ActorHttp.Client", "http.client.open_connections"))
                    l.EnableMeasurementEvents(instrument);
            },
            MeasurementsCompleted = (instrument, _) =>
            {
                if (ClientOpen.TryRemove(instrument, out var left)) Interlocked.Add(ref _clientLeftAtDispose, left);
            },
        };
        listener.SetMeasurementEventCallback<long>(static (instrument, value, _, _) =>
        {
            switch (instrument.Name)
            {
                case "kestrel.active_connections": Interlocked.Add(ref _serverConnections, value); break;
                case "kestrel.rejected_connections": Interlocked.Add(ref _serverRejected, value); break;
                case "http.server.active_requests": Interlocked.Add(ref _serverActiveRequests, value); break;
                case "http.client.open_connections": ClientOpen.AddOrUpdate(instrument, value, (_, v) => v + value); break;
            }
        });
        listener.Start();
        return listener;
    }
}
