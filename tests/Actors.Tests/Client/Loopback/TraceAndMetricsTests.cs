using System.Diagnostics.Metrics;
using ActorHttp.Actors.Tests.Support.Peers;
using ActorHttp.Client;
using ActorHttp.Client.Transport;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Client.Loopback;

/// <summary>The trace events of an exchange, in Go's httptrace order, and the metrics the transport records.</summary>
public abstract class TraceAndMetricsTests(ITestOutputHelper output, bool onLoops) : TransportTestBase(output, onLoops)
{
    [Fact]
    public async Task A_fresh_and_a_reused_exchange_raise_the_trace_events_in_order()
    {
        await using var peer = await KestrelPeer.StartAsync();
        var transport = NewTransport();
        var first = new TraceRecorder();
        using (var response = await transport.RoundTripAsync(ClientRequest.Get(peer.Url("/plaintext")) with { Trace = first }, default).WaitAsync(Deadline))
            await response.ReadAsStringAsync().WaitAsync(Deadline);
        await AwaitAssertAsync(() => Assert.Contains(first.Events, e => e is PutIdleConn), Deadline);
        Assert.Equal(
            ["GetConn", "DialStart", "DialDone", "GotConn", "WroteHeaders", "WroteRequest", "GotFirstResponseByte", "PutIdleConn"],
            first.Events.Select(e => e.GetType().Name));
        Assert.False(first.Events.OfType<GotConn>().Single().Reused);
        Assert.Null(first.Events.OfType<DialDone>().Single().Error);

        var second = new TraceRecorder();
        using (var response = await transport.RoundTripAsync(ClientRequest.Get(peer.Url("/plaintext")) with { Trace = second }, default).WaitAsync(Deadline))
            await response.ReadAsStringAsync().WaitAsync(Deadline);
        var got = second.Events.OfType<GotConn>().Single();
        Assert.True(got.Reused);
        Assert.True(got.WasIdle);
        Assert.DoesNotContain(second.Events, e => e is DialStart);
    }

    [Fact]
    public async Task Requests_and_connections_are_measured()
    {
        await using var peer = await KestrelPeer.StartAsync();
        // A meter of this test's own: other tests record on meters of the same name in parallel.
        using var factory = new OwnMeterFactory();
        using var metrics = new ClientMetrics(factory);
        var measured = new Dictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (factory.Meters.Contains(instrument.Meter)) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Add(instrument.Name, value));
        listener.SetMeasurementEventCallback<double>((instrument, _, _, _) => Add(instrument.Name, 1));
        listener.Start();
        var transport = NewTransport(options: new TransportOptions { Metrics = metrics });
        for (int i = 0; i < 3; i++)
        {
            using var response = await transport.RoundTripAsync(ClientRequest.Get(peer.Url("/plaintext")), default).WaitAsync(Deadline);
            await response.ReadAsStringAsync().WaitAsync(Deadline);
        }
        transport.CloseIdleConnections();
        await AwaitAssertAsync(() =>
        {
            lock (measured)
            {
                Assert.Equal(3, measured.GetValueOrDefault("http.client.request.duration"));
                Assert.Equal(3, measured.GetValueOrDefault("http.client.request.time_in_queue"));
                Assert.Equal(0, measured.GetValueOrDefault("http.client.active_requests"));
                Assert.Equal(0, measured.GetValueOrDefault("http.client.open_connections"));
                Assert.Equal(1, measured.GetValueOrDefault("http.client.connection.duration"));
            }
        }, Deadline);

        void Add(string name, double value)
        {
            lock (measured) measured[name] = measured.GetValueOrDefault(name) + value;
        }
    }

    /// <summary>Plain-HTTP connections on the event loops.</summary>
    public sealed class OnLoops(ITestOutputHelper output) : TraceAndMetricsTests(output, onLoops: true);

    /// <summary>Every connection on a stream (epoll-event-loop off).</summary>
    public sealed class OnStreams(ITestOutputHelper output) : TraceAndMetricsTests(output, onLoops: false);
}
