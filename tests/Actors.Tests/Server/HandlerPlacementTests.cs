using ActorHttp.Actors.Tests.Support;
using ActorHttp.Dispatch;
using ActorHttp.Server;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Server;

/// <summary>
/// Blocking user code never reaches an event loop's thread: a delegate handler that blocks holds up its own
/// connection only, while every other connection, whichever loop it shares, is served meanwhile.
/// </summary>
public sealed class HandlerPlacementTests(ITestOutputHelper output) : ServerTestBase(output, TestConfig.Server)
{
    [Fact]
    public async Task A_blocking_handler_runs_off_the_loops_and_does_not_stall_the_connections_of_its_loop()
    {
        using var gate = new ManualResetEventSlim();
        var blocked = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = await StartAsync(new ServeMux()
            .HandleFunc("GET /block", (w, _) =>
            {
                blocked.TrySetResult(EventLoopDispatchers.CurrentLoop);
                // Blocking is what is under test: a synchronous wait inside the handler's turn.
                gate.Wait(TimeSpan.FromSeconds(30));
                return w.WriteAsync("unblocked").AsTask();
            })
            .HandleFunc("GET /where", (w, _) => w.WriteAsync(EventLoopDispatchers.CurrentLoop.ToString()).AsTask()));
        // Connections go round-robin over the loops: with two per loop beside the blocked one, every loop has one.
        var loops = Http.Get(Sys).Loops?.Count ?? 1;
        await using var blocking = await ConnectAsync(server);
        var others = await Task.WhenAll(Enumerable.Range(0, 2 * loops).Select(_ => ConnectAsync(server)));

        await blocking.SendAsync("GET /block HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(-1, await blocked.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        foreach (var other in others)
        {
            await other.SendAsync("GET /where HTTP/1.1\r\nHost: x\r\n\r\n");
            var response = await other.ReadResponseAsync(timeout: TimeSpan.FromSeconds(10));
            Assert.Equal((200, "-1"), (response.Status, response.Text));
        }

        gate.Set();
        Assert.Equal("unblocked", (await blocking.ReadResponseAsync()).Text);
        foreach (var other in others) await other.DisposeAsync();
    }
}
