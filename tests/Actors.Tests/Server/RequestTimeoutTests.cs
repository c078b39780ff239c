using System.Diagnostics;
using System.Diagnostics.Metrics;
using ActorHttp.Actors.Tests.Support;
using ActorHttp.Server;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Server;

/// <summary>
/// <c>request-timeout</c> on delegate handlers (the actor handlers' side is in <see cref="ActorHandlerTests"/> and
/// <see cref="StrictRouteTests"/>): a delegate that never answers gets 503 at the deadline, its token is cancelled,
/// its late writes fail and its late completion is counted, and the connection serves its next request; a started
/// response that stalls closes the connection; one that keeps streaming past the deadline is left alone.
/// </summary>
public sealed class RequestTimeoutTests(ITestOutputHelper output) : ServerTestBase(output, TestConfig.Server)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(400);

    [Fact]
    public async Task A_delegate_that_never_answers_gets_503_at_the_deadline_its_token_cancelled_and_the_connection_serves_the_next()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lateWrite = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var dropped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "actorhttp.server.dropped_handler_replies") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, _, _, _) => dropped.TrySetResult());
        var mux = new ServeMux()
            .HandleFunc("GET /hang", async (w, r) =>
            {
                try
                {
                    await Task.Delay(System.Threading.Timeout.Infinite, r.Aborted);
                }
                catch (OperationCanceledException)
                {
                    cancelled.TrySetResult();
                }

                await release.Task;
                try
                {
                    await w.WriteAsync("too late");
                    lateWrite.TrySetResult(null);
                }
                catch (Exception e)
                {
                    lateWrite.TrySetResult(e);
                    throw;
                }
            })
            .HandleFunc("GET /next", (w, r) => w.WriteAsync($"next, token cancelled: {r.Aborted.IsCancellationRequested}").AsTask());
        var server = await StartAsync(mux, Settings with { RequestTimeout = Timeout });
        await using var raw = await ConnectAsync(server);

        var sent = Stopwatch.StartNew();
        RawResponse timedOut = null!;
        await EventFilter.Warning(contains: "request-timeout").ExpectOneAsync(async () =>
        {
            await raw.SendAsync("GET /hang HTTP/1.1\r\nHost: x\r\n\r\n");
            timedOut = await raw.ReadResponseAsync(timeout: TimeSpan.FromSeconds(10));
        });
        var waited = sent.Elapsed;
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await raw.SendAsync("GET /next HTTP/1.1\r\nHost: x\r\n\r\n");
        var next = await raw.ReadResponseAsync();

        Assert.Equal(503, timedOut.Status);
        Assert.Null(timedOut.Header("Connection"));
        Assert.True(waited >= Timeout, $"answered after {waited}, before the {Timeout} deadline");
        // The next request on the same connection has a token of its own, not the cancelled one.
        Assert.Equal((200, "next, token cancelled: False"), (next.Status, next.Text));

        // Released, the first handler's write fails and its completion is dropped and counted, not written to the wire.
        listener.Start();
        release.SetResult();
        Assert.IsType<InvalidOperationException>(await lateWrite.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        await dropped.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await raw.SendAsync("GET /next HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("next, token cancelled: False", (await raw.ReadResponseAsync()).Text);
    }

    [Fact]
    public async Task A_delegate_whose_streamed_response_stalls_past_the_deadline_has_its_connection_closed()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = await StartAsync(new ServeMux().HandleFunc("GET /stall", async (w, r) =>
        {
            await w.WriteAsync("part one;");
            await w.FlushAsync();
            try
            {
                await Task.Delay(System.Threading.Timeout.Infinite, r.Aborted);
            }
            catch (OperationCanceledException)
            {
                cancelled.TrySetResult();
                throw;
            }
        }), Settings with { RequestTimeout = Timeout });
        await using var raw = await ConnectAsync(server);

        var sent = Stopwatch.StartNew();
        await raw.SendAsync("GET /stall HTTP/1.1\r\nHost: x\r\n\r\n");
        var received = await raw.ReadToCloseAsync(timeout: TimeSpan.FromSeconds(10));
        var waited = sent.Elapsed;
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.StartsWith("HTTP/1.1 200 OK", received);
        Assert.Contains("part one;", received);
        // Cut, not ended: no last chunk.
        Assert.DoesNotContain("\r\n0\r\n\r\n", received);
        Assert.True(waited >= Timeout, $"closed after {waited}, before the {Timeout} deadline");
    }

    [Fact]
    public async Task A_delegate_that_keeps_streaming_past_the_deadline_is_left_to_finish()
    {
        // A chunk every tenth of the deadline for three deadlines: never a whole request-timeout without progress.
        const int Chunks = 30;
        var server = await StartAsync(new ServeMux().HandleFunc("GET /slow", async (w, _) =>
        {
            for (var i = 0; i < Chunks; i++)
            {
                await w.WriteAsync($"{i};");
                await w.FlushAsync();
                await Task.Delay(Timeout / 10);
            }
        }), Settings with { RequestTimeout = Timeout });
        await using var raw = await ConnectAsync(server);

        var sent = Stopwatch.StartNew();
        await raw.SendAsync("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
        var response = await raw.ReadResponseAsync(timeout: TimeSpan.FromSeconds(30));
        var waited = sent.Elapsed;

        Assert.True(waited > Timeout * 2, $"the stream took {waited}: it did not outlast the deadline, so the test proves nothing");
        Assert.Equal((200, string.Concat(Enumerable.Range(0, Chunks).Select(i => $"{i};"))), (response.Status, response.Text));
        Assert.False(await raw.IsClosedByPeerAsync(TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public async Task With_request_timeout_off_a_slow_delegate_is_not_answered_by_the_connection()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = await StartAsync(new ServeMux().HandleFunc("GET /wait", async (w, _) =>
        {
            entered.TrySetResult();
            await release.Task;
            await w.WriteAsync("answered by the handler");
        }), Settings with { RequestTimeout = TimeSpan.Zero, IdleTimeout = Timeout });
        await using var raw = await ConnectAsync(server);

        await raw.SendAsync("GET /wait HTTP/1.1\r\nHost: x\r\n\r\n");
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        // The heartbeat runs (the idle timeout is on) for several rounds while the handler waits.
        var early = raw.ReadResponseAsync(timeout: TimeSpan.FromSeconds(10));
        Assert.False(await early.WaitAsync(Timeout * 3).ContinueWith(t => t.IsCompletedSuccessfully));
        release.SetResult();

        Assert.Equal((200, "answered by the handler"), ((await early).Status, (await early).Text));
    }
}
