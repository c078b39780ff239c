using System.Net;
using System.Net.Sockets;
using ActorHttp.Actors.Tests.Support.Peers;
using ActorHttp.Client;
using ActorHttp.Client.Connection;
using ActorHttp.Client.Transport;
using Akka.Actor;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Client.Loopback;

/// <summary>Exchange rules end to end: the actor way in, 100-continue, drain bounds, dial failures, keep-alives off, cancellation, shutdown.</summary>
public abstract class ExchangeLoopbackTests(ITestOutputHelper output, bool onLoops) : TransportTestBase(output, onLoops)
{
    [Fact]
    public async Task An_actor_tells_a_request_and_gets_the_response_as_a_message()
    {
        await using var peer = await KestrelPeer.StartAsync();
        var transport = NewTransport();
        transport.Actor.Tell(ClientRequest.Get(peer.Url("/plaintext")), TestActor);
        using var response = ExpectMsg<ClientResponse>(Deadline);
        Assert.Equal(KestrelPeerRoutes.PlaintextBody, await response.ReadAsStringAsync().WaitAsync(Deadline));

        transport.Actor.Tell(ClientRequest.Get(new Uri($"http://127.0.0.1:{ClosedPort()}/")), TestActor);
        var failure = ExpectMsg<Status.Failure>(Deadline);
        Assert.Equal(ClientErrorKind.Dial, Assert.IsType<HttpClientException>(failure.Cause).Kind);
    }

    [Fact]
    public async Task Expect_continue_sends_the_body_after_the_servers_100()
    {
        await using var peer = await KestrelPeer.StartAsync();
        var transport = NewTransport("actorhttp.client.expect-continue-timeout = 10s");
        var trace = new TraceRecorder();
        var body = PeerBytes.Pattern(20_000);
        var request = new ClientRequest("PUT", peer.Url("/echo"), RequestContent.FromStream(new MemoryStream(body)))
            .WithHeader("Expect", "100-continue") with { Trace = trace };
        using var response = await transport.RoundTripAsync(request, default).WaitAsync(Deadline);
        Assert.Equal(body, await response.ReadAsByteArrayAsync().WaitAsync(Deadline));
        Assert.Equal([100], response.Informational);
        Assert.Contains(trace.Events, e => e is Got1xxResponse { StatusCode: 100 });
    }

    [Fact]
    public async Task Expect_continue_sends_the_body_when_the_timeout_passes_without_a_100()
    {
        await using var server = new ScriptedServer(FaultScripts.Serve(r => RawResponse.Ok(r.BodyText)));
        var transport = NewTransport("actorhttp.client.expect-continue-timeout = 100ms");
        var request = new ClientRequest("PUT", server.Url("/"), RequestContent.FromStream(new MemoryStream("late body"u8.ToArray())))
            .WithHeader("Expect", "100-continue");
        using var response = await transport.RoundTripAsync(request, default).WaitAsync(Deadline);
        Assert.Equal("late body", await response.ReadAsStringAsync().WaitAsync(Deadline));
        Assert.Empty(response.Informational);
    }

    [Fact]
    public async Task A_body_abandoned_beyond_the_drain_bound_closes_the_connection()
    {
        await using var peer = await KestrelPeer.StartAsync();
        var transport = NewTransport("actorhttp.client.response-drain.max-bytes = 1k");
        var response = await transport.RoundTripAsync(ClientRequest.Get(peer.Url("/stream/1000000")), default).WaitAsync(Deadline);
        await response.Body.ReadAsync(new byte[10]).AsTask().WaitAsync(Deadline);
        await response.DisposeAsync();
        await AwaitAssertAsync(() => Assert.Empty(Connections(transport)), Deadline);
        await peer.Connections.WaitForClosedAsync(1).WaitAsync(Deadline);
    }

    [Fact]
    public async Task A_dial_that_hangs_fails_with_dial_timeout()
    {
        var transport = NewTransport("actorhttp.client.dial-timeout = 100ms", new TransportOptions { Dialer = new HangingDialer() });
        var error = await Assert.ThrowsAsync<HttpClientException>(() =>
            transport.RoundTripAsync(ClientRequest.Get("http://hangs.test/"), default).WaitAsync(Deadline));
        Assert.Equal(ClientErrorKind.DialTimeout, error.Kind);
        Assert.False(error.RequestWritten);
    }

    [Fact]
    public async Task With_keep_alives_disabled_every_request_gets_its_own_connection()
    {
        await using var peer = await KestrelPeer.StartAsync();
        var transport = NewTransport("actorhttp.client.disable-keep-alives = true");
        for (int i = 0; i < 2; i++)
        {
            using var response = await transport.RoundTripAsync(ClientRequest.Get(peer.Url("/conn")), default).WaitAsync(Deadline);
            await response.ReadAsStringAsync().WaitAsync(Deadline);
        }
        Assert.Equal(2, peer.Connections.Accepted);
        await peer.Connections.WaitForAllClosedAsync().WaitAsync(Deadline);
        await AwaitAssertAsync(() => Assert.Empty(Connections(transport)), Deadline);
    }

    [Fact]
    public async Task Cancelling_while_waiting_for_the_head_closes_the_connection()
    {
        var release = new TaskCompletionSource();
        await using var server = new ScriptedServer(FaultScripts.SlowHead(release.Task));
        var transport = NewTransport();
        using var cts = new CancellationTokenSource();
        var call = transport.RoundTripAsync(ClientRequest.Get(server.Url("/")), cts.Token);
        await server.Connections.WaitForAcceptedAsync(1).WaitAsync(Deadline);
        await AwaitAssertAsync(async () => Assert.Equal(1, (await StatsAsync(transport)).Busy), Deadline);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(Deadline));
        await AwaitAssertAsync(() => Assert.Empty(Connections(transport)), Deadline);
        // The script notices the close only once it writes its (late) answer.
        release.SetResult();
        await server.Connections.WaitForClosedAsync(1).WaitAsync(Deadline);
    }

    [Fact]
    public async Task Stopping_the_transport_fails_waiting_and_running_requests()
    {
        var release = new TaskCompletionSource();
        await using var server = new ScriptedServer(FaultScripts.SlowHead(release.Task));
        var transport = NewTransport("actorhttp.client.max-conns-per-host = 1");
        var running = transport.RoundTripAsync(ClientRequest.Get(server.Url("/a")), default);
        var waiting = transport.RoundTripAsync(ClientRequest.Get(server.Url("/b")), default);
        await AwaitAssertAsync(async () => Assert.Equal(new ActorHttp.Client.Pool.PoolStats(0, 1, 0, 1), await StatsAsync(transport)), Deadline);
        await transport.DisposeAsync();
        // The running one fails as its connection stops; the waiting one was never sent: the transport shut down. (Which
        // call is which is not known: both wait for the pool's first lookup, and go on in either order.)
        var errors = new List<HttpClientException>();
        foreach (var call in new[] { running, waiting }) errors.Add(await Assert.ThrowsAsync<HttpClientException>(() => call.WaitAsync(Deadline)));
        Assert.Equal([ClientErrorKind.ConnectionClosed, ClientErrorKind.Canceled], errors.Select(e => e.Kind).Order());
        Assert.False(errors.Single(e => e.Kind == ClientErrorKind.Canceled).RequestWritten);
        release.SetResult();
    }

    [Fact]
    public async Task Stopping_the_transport_fails_every_caller_at_once_and_takes_its_connections_off_the_meter()
    {
        // A deadline far beyond the test's own waits: a caller that is not failed at once makes the test fail.
        const string config = "actorhttp.client { max-conns-per-host = 2, request-timeout = 120s }";
        var release = new TaskCompletionSource();
        await using var server = new ScriptedServer(FaultScripts.SlowHead(release.Task));
        using var factory = new OwnMeterFactory();
        using var metrics = new ClientMetrics(factory);
        long open = 0, active = 0;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (factory.Meters.Contains(instrument.Meter)) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "http.client.open_connections") Interlocked.Add(ref open, value);
            if (instrument.Name == "http.client.active_requests") Interlocked.Add(ref active, value);
        });
        listener.Start();
        var transport = NewTransport(config, new TransportOptions { Metrics = metrics });
        var calls = Enumerable.Range(0, 3).Select(n => transport.RoundTripAsync(ClientRequest.Get(server.Url($"/{n}")), default)).ToArray();
        await AwaitAssertAsync(async () => Assert.Equal(new ActorHttp.Client.Pool.PoolStats(0, 2, 0, 1), await StatsAsync(transport)), Deadline);
        Assert.Equal(2, Interlocked.Read(ref open));

        await transport.DisposeAsync();
        var after = transport.RoundTripAsync(ClientRequest.Get(server.Url("/after")), default);
        foreach (var call in calls.Append(after))
        {
            var error = await Assert.ThrowsAsync<HttpClientException>(() => call.WaitAsync(Deadline));
            Assert.True(error.Kind is ClientErrorKind.ConnectionClosed or ClientErrorKind.Canceled, error.ToString());
        }
        Assert.Equal(ClientErrorKind.Canceled, (await Assert.ThrowsAsync<HttpClientException>(() => after)).Kind);
        await AwaitAssertAsync(() =>
        {
            Assert.Equal(0, Interlocked.Read(ref open));
            Assert.Equal(0, Interlocked.Read(ref active));
        }, Deadline);
        release.SetResult();
    }

    [Fact]
    public async Task A_transport_whose_actor_was_stopped_fails_new_calls_at_once()
    {
        await using var server = new ScriptedServer(FaultScripts.ServeOk());
        var transport = NewTransport("actorhttp.client.request-timeout = 120s");
        using (var response = await transport.RoundTripAsync(ClientRequest.Get(server.Url("/a")), default).WaitAsync(Deadline))
            await response.ReadAsStringAsync().WaitAsync(Deadline);
        // Stopped by someone else than DisposeAsync (its parent, the system): the pool it knew is gone too.
        Watch(transport.Actor);
        Sys.Stop(transport.Actor);
        ExpectTerminated(transport.Actor, Deadline);
        var error = await Assert.ThrowsAsync<HttpClientException>(() => transport.RoundTripAsync(ClientRequest.Get(server.Url("/b")), default).WaitAsync(Deadline));
        Assert.Equal(ClientErrorKind.Canceled, error.Kind);
        Assert.False(error.RequestWritten);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class HangingDialer : IDialer
    {
        public async Task<Stream> DialAsync(string host, int port, CancellationToken ct)
        {
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        }
    }

    /// <summary>Plain-HTTP connections on the event loops.</summary>
    public sealed class OnLoops(ITestOutputHelper output) : ExchangeLoopbackTests(output, onLoops: true);

    /// <summary>Every connection on a stream (epoll-event-loop off).</summary>
    public sealed class OnStreams(ITestOutputHelper output) : ExchangeLoopbackTests(output, onLoops: false);
}
