using System.Net.Sockets;
using System.Text;
using ActorHttp.Actors.Tests.Support.Peers;
using ActorHttp.Protocol;
using static ActorHttp.Actors.Tests.Peers.PeerTesting;

namespace ActorHttp.Actors.Tests.Peers;

public sealed class ScriptedServerTests
{
    /// <summary>A script that reads one request, hands it to the test and answers 200.</summary>
    private static Func<ScriptedConnection, Task> Capture(TaskCompletionSource<ScriptedRequest> seen, bool sendContinue = false) => async c =>
    {
        var request = await c.ReadRequestAsync(sendContinue: sendContinue) ?? throw new EndOfStreamException();
        seen.SetResult(request);
        await c.SendAsync(RawResponse.Ok(request.BodyText));
    };

    [Fact]
    public async Task Reads_a_content_length_request()
    {
        var seen = new TaskCompletionSource<ScriptedRequest>();
        await using var server = new ScriptedServer(Capture(seen));
        await using var raw = await RawClient.ConnectAsync(server.EndPoint);
        await raw.SendAsync("PUT /x?y=1 HTTP/1.1\r\nHost: s\r\nX-A: 1\r\nContent-Length: 5\r\n\r\nhello");

        var request = await seen.Task.WaitAsync(Deadline);
        var response = await raw.ReadResponseAsync().WaitAsync(Deadline);

        Assert.Equal("PUT", request.Method);
        Assert.Equal("/x?y=1", request.Target);
        Assert.Equal("1", request.Headers.GetValue("X-A"));
        Assert.Equal("hello", request.BodyText);
        Assert.Equal("hello", response.BodyText);
    }

    [Fact]
    public async Task Reads_a_chunked_request_with_trailers()
    {
        var seen = new TaskCompletionSource<ScriptedRequest>();
        await using var server = new ScriptedServer(Capture(seen));
        await using var raw = await RawClient.ConnectAsync(server.EndPoint);
        await raw.SendAsync("POST / HTTP/1.1\r\nHost: s\r\nTransfer-Encoding: chunked\r\n\r\n" +
                            RawResponse.Chunked(["ab", "cde"], [("X-T", "v")]));

        var request = await seen.Task.WaitAsync(Deadline);

        Assert.Equal("abcde", request.BodyText);
        Assert.Equal("v", request.Trailers.GetValue("X-T"));
    }

    [Fact]
    public async Task Expect_continue_gets_no_100_unless_the_script_asks()
    {
        var seen = new TaskCompletionSource<ScriptedRequest>();
        await using var server = new ScriptedServer(Capture(seen));
        await using var raw = await RawClient.ConnectAsync(server.EndPoint);
        // The client gives up waiting for 100 and sends the body, as a client's timeout would.
        await raw.SendAsync("POST / HTTP/1.1\r\nHost: s\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc");

        var response = await raw.ReadResponseAsync().WaitAsync(Deadline);

        Assert.True((await seen.Task).Head.ExpectsContinue);
        Assert.Empty(response.Informational);
        Assert.Equal("abc", response.BodyText);
    }

    [Fact]
    public async Task Expect_continue_gets_100_when_the_script_asks()
    {
        var seen = new TaskCompletionSource<ScriptedRequest>();
        await using var server = new ScriptedServer(Capture(seen, sendContinue: true));
        await using var raw = await RawClient.ConnectAsync(server.EndPoint);
        await raw.SendAsync("POST / HTTP/1.1\r\nHost: s\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");

        string interim = await raw.ReadUntilAsync("\r\n\r\n").WaitAsync(Deadline);
        await raw.SendAsync("abc");
        var response = await raw.ReadResponseAsync().WaitAsync(Deadline);

        Assert.Equal("HTTP/1.1 100 Continue\r\n\r\n", interim);
        Assert.Equal("abc", response.BodyText);
    }

    [Fact]
    public async Task Close_sends_fin_and_reset_sends_rst()
    {
        await using var closing = new ScriptedServer(async c =>
        {
            await c.SendAsync("bye");
            await c.CloseAsync();
        });
        await using var resetting = new ScriptedServer(async c =>
        {
            await c.ReadRawAsync();
            c.Reset();
        });
        await using var finClient = await RawClient.ConnectAsync(closing.EndPoint);
        await using var rstClient = await RawClient.ConnectAsync(resetting.EndPoint);
        await rstClient.SendAsync("x");

        string text = await finClient.ReadTextToEndAsync().WaitAsync(Deadline);
        var reset = await Assert.ThrowsAsync<SocketException>(() => rstClient.ReadToEndAsync().WaitAsync(Deadline));

        Assert.Equal("bye", text);
        Assert.Equal(SocketError.ConnectionReset, reset.SocketErrorCode);
    }

    [Fact]
    public async Task Read_raw_and_wait_for_peer_close_see_the_client()
    {
        var raw = new TaskCompletionSource<string>();
        var peerClosed = new TaskCompletionSource();
        await using var server = new ScriptedServer(async c =>
        {
            raw.SetResult(Encoding.ASCII.GetString(await c.ReadRawAsync()));
            await c.WaitForPeerCloseAsync();
            peerClosed.SetResult();
        });
        var client = await RawClient.ConnectAsync(server.EndPoint);
        await client.SendAsync("not even http");

        Assert.Equal("not even http", await raw.Task.WaitAsync(Deadline));
        Assert.False(peerClosed.Task.IsCompleted);
        await client.DisposeAsync();
        await peerClosed.Task.WaitAsync(Deadline);
        await server.Connections.WaitForClosedAsync(1).WaitAsync(Deadline);
    }

    [Fact]
    public async Task Counts_connections_and_hands_out_each_one()
    {
        await using var server = new ScriptedServer(FaultScripts.ServeOk());
        await using var first = await RawClient.ConnectAsync(server.EndPoint);
        await using var second = await RawClient.ConnectAsync(server.EndPoint);

        var two = await server.ConnectionAsync(2).WaitAsync(Deadline);
        await server.Connections.WaitForAcceptedAsync(2).WaitAsync(Deadline);
        await first.SendAsync("GET / HTTP/1.1\r\nHost: s\r\n\r\nGET / HTTP/1.1\r\nHost: s\r\n\r\n");
        await first.ReadResponseAsync().WaitAsync(Deadline);
        await first.ReadResponseAsync().WaitAsync(Deadline);
        first.ShutdownSend();
        await server.Connections.WaitForClosedAsync(1).WaitAsync(Deadline);

        Assert.Equal(2, two.Id);
        Assert.Equal(1, server.Connections.Open);
        Assert.Equal(2, (await server.ConnectionAsync(1)).RequestCount);
    }

    [Fact]
    public async Task A_failing_script_fails_disposal_loudly()
    {
        var server = new ScriptedServer(_ => throw new InvalidOperationException("scripted boom"));
        await using (var client = await RawClient.ConnectAsync(server.EndPoint))
        {
            await server.Connections.WaitForClosedAsync(1).WaitAsync(Deadline);
        }

        var failure = await Assert.ThrowsAsync<AggregateException>(() => server.DisposeAsync().AsTask().WaitAsync(Deadline));

        var script = Assert.IsType<ScriptFailedException>(Assert.Single(failure.InnerExceptions));
        Assert.Equal("scripted boom", script.InnerException?.Message);
    }

    [Fact]
    public async Task A_malformed_request_is_a_failure_with_the_protocol_reason()
    {
        var server = new ScriptedServer(async c => await c.ReadRequestAsync());
        await using (var client = await RawClient.ConnectAsync(server.EndPoint))
        {
            await client.SendAsync("GET / HTTP/1.1\r\nHost: s\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n");
            await server.Connections.WaitForClosedAsync(1).WaitAsync(Deadline);
        }

        var failure = Assert.Single(server.Failures);
        var protocol = Assert.IsType<ActorHttp.Protocol.HttpProtocolException>(failure.InnerException);
        Assert.Equal(ProtocolError.ConflictingContentLength, protocol.Kind);
        await Assert.ThrowsAsync<AggregateException>(() => server.DisposeAsync().AsTask());
    }

    [Fact]
    public async Task Disposal_aborts_scripts_still_waiting_without_failing()
    {
        var never = new TaskCompletionSource();
        var server = new ScriptedServer(FaultScripts.SlowHead(never.Task));
        var client = await RawClient.ConnectAsync(server.EndPoint);
        await client.SendAsync("GET / HTTP/1.1\r\nHost: s\r\n\r\n");
        await server.Connections.WaitForAcceptedAsync(1).WaitAsync(Deadline);

        await server.DisposeAsync().AsTask().WaitAsync(Deadline);

        Assert.Empty(server.Failures);
        Assert.Equal(0, server.Connections.Open);
        // Disposal aborts: the client sees the end as FIN or, with the script's read pending, RST.
        try
        {
            Assert.Empty(await client.ReadToEndAsync().WaitAsync(Deadline));
        }
        catch (System.Net.Sockets.SocketException e)
        {
            Assert.Equal(System.Net.Sockets.SocketError.ConnectionReset, e.SocketErrorCode);
        }
        await client.DisposeAsync();
    }
}
