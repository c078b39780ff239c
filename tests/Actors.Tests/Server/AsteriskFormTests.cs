using ActorHttp.Actors.Tests.Support;
using ActorHttp.Server;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Server;

/// <summary>
/// Asterisk-form targets (RFC 9112 §3.2.4) as Go answers them: <c>OPTIONS *</c> gets 200 with
/// Content-Length: 0 from the server itself (globalOptionsHandler) unless
/// <c>disable-general-options-handler</c> is on, in which case routing answers 400 and closes as Go's
/// ServeMux does; any other method with <c>*</c> is 400 and close.
/// </summary>
public sealed class AsteriskFormTests(ITestOutputHelper output) : ServerTestBase(output, TestConfig.Server)
{
    // A catch-all route: the asterisk must not reach it.
    private static ServeMux Mux() => new ServeMux().HandleFunc("/", (w, _) => w.WriteAsync("routed").AsTask());

    [Fact]
    public async Task Options_asterisk_gets_200_with_an_empty_body_and_keeps_the_connection()
    {
        var server = await StartAsync(Mux());
        await using var raw = await ConnectAsync(server);

        await raw.SendAsync("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\nGET /next HTTP/1.1\r\nHost: x\r\n\r\n");
        var options = await raw.ReadResponseAsync("OPTIONS");
        var next = await raw.ReadResponseAsync();

        Assert.Equal(200, options.Status);
        Assert.Equal("0", options.Header("Content-Length"));
        Assert.Empty(options.Body);
        Assert.Null(options.Header("Connection"));
        Assert.Equal("routed", next.Text);
    }

    [Fact]
    public async Task Options_asterisk_with_a_body_is_answered_and_the_body_skipped()
    {
        var server = await StartAsync(Mux());
        await using var raw = await ConnectAsync(server);

        await raw.SendAsync("OPTIONS * HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhelloGET /next HTTP/1.1\r\nHost: x\r\n\r\n");

        Assert.Equal(200, (await raw.ReadResponseAsync("OPTIONS")).Status);
        Assert.Equal("routed", (await raw.ReadResponseAsync()).Text);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    [InlineData("HEAD")]
    [InlineData("DELETE")]
    public async Task Another_method_with_asterisk_gets_400_and_close(string method)
    {
        var server = await StartAsync(Mux());
        await using var raw = await ConnectAsync(server);

        await raw.SendAsync($"{method} * HTTP/1.1\r\nHost: x\r\n\r\n");
        var response = await raw.ReadResponseAsync(method);

        Assert.Equal(400, response.Status);
        Assert.Equal("close", response.Header("Connection"));
        Assert.True(await raw.IsClosedByPeerAsync());
    }

    [Fact]
    public async Task With_the_general_options_handler_disabled_options_asterisk_gets_400_and_close()
    {
        var server = await StartAsync(Mux(), Settings with { DisableGeneralOptionsHandler = true });
        await using var raw = await ConnectAsync(server);

        await raw.SendAsync("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n");
        var response = await raw.ReadResponseAsync("OPTIONS");

        Assert.Equal(400, response.Status);
        Assert.Equal("close", response.Header("Connection"));
        Assert.Equal("0", response.Header("Content-Length"));
        Assert.True(await raw.IsClosedByPeerAsync());
    }

    [Fact]
    public async Task The_setting_is_read_from_configuration()
    {
        Assert.False(Settings.DisableGeneralOptionsHandler);
        var on = ServerSettings.Load(Akka.Configuration.ConfigurationFactory.ParseString("actorhttp.server.disable-general-options-handler = on"));
        Assert.True(on.DisableGeneralOptionsHandler);
    }
}
