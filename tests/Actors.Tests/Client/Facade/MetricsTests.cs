using System.Diagnostics.Metrics;
using ActorHttp.Client;

namespace ActorHttp.Actors.Tests.Client.Facade;

public class MetricsTests
{
    [Fact]
    public void Instruments_carry_dotnets_names_and_tags()
    {
        var measurements = new List<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var metrics = new ClientMetrics();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ClientMetrics.MeterName) l.EnableMeasurementEvents(instrument);
        };
        listener.MeasurementsCompleted = (_, _) => { };
        void Record(Instrument i, double v, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
        {
            lock (measurements) measurements.Add((i.Name, v, new Dictionary<string, object?>(tags.ToArray())));
        }
        listener.SetMeasurementEventCallback<long>((i, v, t, s) => Record(i, v, t, s));
        listener.SetMeasurementEventCallback<double>((i, v, t, s) => Record(i, v, t, s));
        listener.Start();

        var endpoint = ClientEndpoint.Of(new Uri("https://a.test:8443/"));
        metrics.ConnectionOpened(endpoint, active: true);
        metrics.RequestStarted("GET", endpoint);
        metrics.RequestDequeued("GET", endpoint, TimeSpan.FromMilliseconds(5));
        metrics.RequestStopped("GET", endpoint, 200, null, TimeSpan.FromMilliseconds(20));
        metrics.ConnectionStateChanged(endpoint, nowIdle: true);
        metrics.RequestStarted("BREW", endpoint);
        metrics.RequestStopped("BREW", endpoint, null, ClientErrorKind.ConnectionReset, TimeSpan.FromSeconds(1));
        metrics.ConnectionClosed(endpoint, wasActive: false, TimeSpan.FromSeconds(3));

        var open = measurements.Where(m => m.Instrument == "http.client.open_connections").ToList();
        Assert.Equal([(1.0, "active"), (-1.0, "active"), (1.0, "idle"), (-1.0, "idle")],
            open.Select(m => (m.Value, (string)m.Tags["http.connection.state"]!)));
        Assert.All(open, m => Assert.Equal("a.test", m.Tags["server.address"]));
        Assert.All(open, m => Assert.Equal(8443, m.Tags["server.port"]));
        Assert.All(open, m => Assert.Equal("https", m.Tags["url.scheme"]));

        var durations = measurements.Where(m => m.Instrument == "http.client.request.duration").ToList();
        Assert.Equal(0.02, durations[0].Value, 6);
        Assert.Equal(200, durations[0].Tags["http.response.status_code"]);
        Assert.Equal("_OTHER", durations[1].Tags["http.request.method"]);
        Assert.Equal("connection_reset", durations[1].Tags["error.type"]);
        Assert.Equal(0, measurements.Where(m => m.Instrument == "http.client.active_requests").Sum(m => m.Value));
        Assert.Equal(0.005, measurements.Single(m => m.Instrument == "http.client.request.time_in_queue").Value, 6);
        Assert.Equal(3, measurements.Single(m => m.Instrument == "http.client.connection.duration").Value);
    }
}
