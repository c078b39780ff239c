using ActorHttp.Actors.Tests.Support;
using ActorHttp.Server;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Runtime;

/// <summary>
/// What the runtime says through Akka's logging: a failing handler is one error line naming the request, a
/// connection that ends leaves no dead-letter noise; per-request lines are written at DEBUG.
/// </summary>
public sealed class LoggingTests(ITestOutputHelper output) : ServerTestBase(output, TestConfig.Server)
{
    [Fact]
    public async Task A_failing_handler_is_logged_once_as_an_error_naming_the_request()
    {
        var server = await StartAsync(new ServeMux()
            .HandleFunc("GET /boom", (_, _) => throw new InvalidOperationException("kaboom")));
        using var client = ClientFor(server);

        await EventFilter.Error(contains: "Handler for GET /boom").ExpectOneAsync(async () =>
        {
            using var response = await client.GetAsync("/boom");
            Assert.Equal(500, (int)response.StatusCode);
        });
    }

    [Fact]
    public async Task Connections_that_close_leave_no_dead_letters()
    {
        var server = await StartAsync(new ServeMux().HandleFunc("/", (w, _) => w.WriteAsync("ok").AsTask()));

        await EventFilter.DeadLetter<object>().ExpectAsync(0, async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                await using var raw = await ConnectAsync(server);
                await raw.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                await raw.ReadResponseAsync();
                await raw.ReadResponseAsync();
                Assert.True(await raw.IsClosedByPeerAsync());
            }

            // Every connection actor stops; the listener keeps the one (empty) group the next connection joins.
            await AwaitAssertAsync(() => Assert.Single(ActorTree.LiveDescendants(ActorTree.Find(Sys, server.Actor.Path.ToStringWithoutAddress() + "/listener")!)));
        });
    }
}

/// <summary>At DEBUG (akka.loglevel), each request is one line: method, target, status, bytes, duration.</summary>
public sealed class RequestLogTests(ITestOutputHelper output) : ServerTestBase(output, "akka.loglevel = DEBUG\n" + TestConfig.Server)
{
    [Fact]
    public async Task Each_request_is_one_debug_line()
    {
        var server = await StartAsync(new ServeMux().HandleFunc("/", (w, _) => w.WriteAsync("ok").AsTask()));
        using var client = ClientFor(server);

        await EventFilter.Debug(contains: "GET /logged 200 2B").ExpectOneAsync(async () => Assert.Equal("ok", await client.GetStringAsync("/logged")));
    }
}
