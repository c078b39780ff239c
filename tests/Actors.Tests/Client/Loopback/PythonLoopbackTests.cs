using ActorHttp.Actors.Tests.Support.Peers;
using ActorHttp.Client;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Client.Loopback;

/// <summary>The transport against Python's http.server: HTTP/1.0 bodies delimited by close, and keep-alive.</summary>
public abstract class PythonLoopbackTests(ITestOutputHelper output, bool onLoops) : TransportTestBase(output, onLoops)
{
    [PythonFact]
    public async Task A_close_delimited_body_is_read_to_the_end_and_the_connection_is_not_kept()
    {
        await using var python = await PythonHttpServer.StartAsync();
        var transport = NewTransport();
        for (int i = 0; i < 2; i++)
        {
            using var response = await transport.RoundTripAsync(ClientRequest.Get(python.Url("/close-delimited?bytes=5000")), default).WaitAsync(Deadline);
            Assert.Equal(PeerBytes.Pattern(5000), await response.ReadAsByteArrayAsync().WaitAsync(Deadline));
        }
        await AwaitAssertAsync(() => Assert.Empty(Connections(transport)), Deadline);
        // The peer reports on its stdout, which the test reads on its own task: wait for both
        // CLOSED lines (each follows its ACCEPTED) before counting, or the count races the pump.
        await python.Connections.WaitForClosedAsync(2).WaitAsync(Deadline);
        Assert.Equal(2, python.Connections.Accepted);
    }

    [PythonFact]
    public async Task Keep_alive_connections_are_reused()
    {
        await using var python = await PythonHttpServer.StartAsync();
        var transport = NewTransport();
        var ports = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            using var response = await transport.RoundTripAsync(ClientRequest.Get(python.Url("/conn")), default).WaitAsync(Deadline);
            ports.Add(await response.ReadAsStringAsync().WaitAsync(Deadline));
        }
        Assert.Single(ports.Distinct());
        transport.CloseIdleConnections();
        await python.Connections.WaitForClosedAsync(1).WaitAsync(Deadline);
    }

    /// <summary>Plain-HTTP connections on the event loops.</summary>
    public sealed class OnLoops(ITestOutputHelper output) : PythonLoopbackTests(output, onLoops: true);

    /// <summary>Every connection on a stream (epoll-event-loop off).</summary>
    public sealed class OnStreams(ITestOutputHelper output) : PythonLoopbackTests(output, onLoops: false);
}
