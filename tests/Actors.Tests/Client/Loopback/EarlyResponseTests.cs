using System.IO.Pipelines;
using ActorHttp.Actors.Tests.Support.Peers;
using ActorHttp.Client;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Client.Loopback;

/// <summary>
/// A server that answers a request as soon as it has the head, and reads the body only afterwards: the response
/// ends while the client is still writing the body, and the connection's reuse depends on how that write ends.
/// </summary>
public abstract class EarlyResponseTests(ITestOutputHelper output, bool onLoops) : TransportTestBase(output, onLoops)
{
    private const int BodyLength = 5;

    [Fact]
    public async Task A_response_that_ends_before_the_body_is_written_keeps_the_connection_once_the_body_is_sent()
    {
        await using var server = new ScriptedServer(AnswersBeforeReadingBody);
        var transport = NewTransport();
        var body = new Pipe();
        var trace = new Trace();
        var post = new ClientRequest("POST", server.Url("/upload"), RequestContent.FromPipe(body.Reader, BodyLength)) { Trace = trace };
        var sent = transport.RoundTripAsync(post, default);
        // The response has reached the connection while no byte of the body could have been written.
        await trace.FirstResponseByte.Task.WaitAsync(Deadline);
        await body.Writer.WriteAsync("hello"u8.ToArray());
        await body.Writer.CompleteAsync();
        using (var response = await sent.WaitAsync(Deadline)) Assert.Equal("ok", await response.ReadAsStringAsync().WaitAsync(Deadline));

        var next = new Trace();
        using (var second = await transport.RoundTripAsync(ClientRequest.Get(server.Url("/next")) with { Trace = next }, default).WaitAsync(Deadline))
            Assert.Equal("ok", await second.ReadAsStringAsync().WaitAsync(Deadline));
        Assert.True(Assert.Single(next.Got).Reused);
        Assert.Equal(1, server.Connections.Accepted);
        server.ThrowIfFailed();
    }

    [Theory]
    [InlineData("200ms")]
    [InlineData("0s")]
    public async Task A_body_that_is_not_written_after_the_response_costs_only_the_connection(string bound)
    {
        await using var server = new ScriptedServer(AnswersBeforeReadingBody);
        var transport = NewTransport($"actorhttp.client.response-drain.timeout = {bound}");
        var body = new Pipe();
        var post = new ClientRequest("POST", server.Url("/upload"), RequestContent.FromPipe(body.Reader, BodyLength));
        // The body never comes: the response still does (after the bound), and the connection is closed, not pooled.
        using (var response = await transport.RoundTripAsync(post, default).WaitAsync(Deadline))
            Assert.Equal("ok", await response.ReadAsStringAsync().WaitAsync(Deadline));
        await AwaitAssertAsync(() => Assert.Empty(Connections(transport)), Deadline);
        await body.Writer.CompleteAsync();

        var next = new Trace();
        using (var second = await transport.RoundTripAsync(ClientRequest.Get(server.Url("/next")) with { Trace = next }, default).WaitAsync(Deadline))
            Assert.Equal("ok", await second.ReadAsStringAsync().WaitAsync(Deadline));
        Assert.False(Assert.Single(next.Got).Reused);
        Assert.Equal(2, server.Connections.Accepted);
    }

    // Answers each request once its head is in, then reads its body; a client that never sends the body ends the script.
    private static async Task AnswersBeforeReadingBody(ScriptedConnection c)
    {
        while (await c.ReadRequestAsync(readBody: false) is { } request)
        {
            await c.SendAsync(RawResponse.Ok());
            if (!request.Head.Framing.HasBody) continue;
            try
            {
                await c.ReadBodyAsync(request.Head);
            }
            catch (Exception e) when (e is ActorHttp.Protocol.HttpProtocolException or IOException or System.Net.Sockets.SocketException)
            {
                return;
            }
        }
    }

    private sealed class Trace : IClientTrace
    {
        public TaskCompletionSource FirstResponseByte { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<GotConn> Got { get; } = new();

        public void OnEvent(ClientTraceEvent traceEvent)
        {
            switch (traceEvent)
            {
                case GotFirstResponseByte:
                    FirstResponseByte.TrySetResult();
                    break;
                case GotConn got:
                    lock (Got) Got.Add(got);
                    break;
            }
        }
    }

    /// <summary>Plain-HTTP connections on the event loops.</summary>
    public sealed class OnLoops(ITestOutputHelper output) : EarlyResponseTests(output, onLoops: true);

    /// <summary>Every connection on a stream (epoll-event-loop off).</summary>
    public sealed class OnStreams(ITestOutputHelper output) : EarlyResponseTests(output, onLoops: false);
}
