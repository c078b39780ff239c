using System.Net;
using ActorHttp.Actors.Tests.Support.Peers;
using ActorHttp.Protocol;
using static ActorHttp.Actors.Tests.Peers.PeerTesting;
using ProtocolException = ActorHttp.Protocol.HttpProtocolException;

namespace ActorHttp.Actors.Tests.Peers;

public sealed class FaultScriptsTests
{
    private const string Get = "GET / HTTP/1.1\r\nHost: s\r\n\r\n";

    [Fact]
    public async Task Close_idle_after_one_response_closes_a_kept_alive_connection()
    {
        await using var server = new ScriptedServer(FaultScripts.CloseIdleAfterOneResponse());
        using var client = NewHttpClient();

        using var first = await client.GetAsync(server.BaseAddress).WaitAsync(Deadline);
        await server.Connections.WaitForClosedAsync(1).WaitAsync(Deadline);
        using var second = await client.GetAsync(server.BaseAddress).WaitAsync(Deadline);

        Assert.False(first.Headers.ConnectionClose ?? false);
        Assert.Equal(FaultScripts.OkBody, await first.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(2, server.Connections.Accepted);
    }

    [Fact]
    public async Task Drop_second_request_answers_one_then_closes_without_a_byte()
    {
        await using var server = new ScriptedServer(FaultScripts.DropSecondRequest());
        await using var raw = await RawClient.ConnectAsync(server.EndPoint);
        await raw.SendAsync(Get + Get);

        var first = await raw.ReadResponseAsync().WaitAsync(Deadline);
        var rest = await raw.ReadToEndAsync().WaitAsync(Deadline);

        Assert.Equal(FaultScripts.OkBody, first.BodyText);
        Assert.Empty(rest);
        Assert.Equal(2, (await server.ConnectionAsync(1)).RequestCount);
    }

    [Fact]
    public async Task Reset_mid_body_breaks_the_body_read()
    {
        await using var server = new ScriptedServer(FaultScripts.ResetMidBody(declaredLength: 64 * 1024, sentLength: 1024));
        using var client = NewHttpClient();

        using var response = await client.GetAsync(server.BaseAddress, HttpCompletionOption.ResponseHeadersRead).WaitAsync(Deadline);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new MemoryStream();

        await Assert.ThrowsAnyAsync<IOException>(() => body.CopyToAsync(buffer).WaitAsync(Deadline));
        Assert.Equal(64 * 1024, response.Content.Headers.ContentLength);
        Assert.True(buffer.Length <= 1024);
    }

    [Theory]
    [InlineData("HTTP/1.1")]
    [InlineData("HTTP/1.0")]
    public async Task Read_to_close_has_no_length_and_ends_with_fin(string version)
    {
        await using var server = new ScriptedServer(FaultScripts.ReadToClose("until the end", version));
        await using var raw = await RawClient.ConnectAsync(server.EndPoint);
        await raw.SendAsync(Get);

        var response = await raw.ReadResponseAsync().WaitAsync(Deadline);

        Assert.Equal(BodyKind.ReadToClose, response.Head.Framing.Kind);
        Assert.Equal("until the end", response.BodyText);
    }

    [Fact]
    public async Task Read_to_close_reaches_httpclient()
    {
        await using var server = new ScriptedServer(FaultScripts.ReadToClose("until the end"));
        using var client = NewHttpClient();

        using var response = await client.GetAsync(server.BaseAddress).WaitAsync(Deadline);

        Assert.Equal("until the end", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Informational_responses_precede_the_final_one()
    {
        await using var server = new ScriptedServer(FaultScripts.InformationalThenOk(100, 103));
        await using var raw = await RawClient.ConnectAsync(server.EndPoint);
        await raw.SendAsync(Get);
        using var client = NewHttpClient();

        var response = await raw.ReadResponseAsync().WaitAsync(Deadline);
        using var viaHttpClient = await client.GetAsync(server.BaseAddress).WaitAsync(Deadline);

        Assert.Equal([100, 103], response.Informational.Select(h => h.StatusCode));
        Assert.Contains("rel=preload", response.Informational[1].Headers.GetValue("Link"));
        Assert.Equal(200, response.Head.StatusCode);
        Assert.Equal(FaultScripts.OkBody, response.BodyText);
        Assert.Equal(FaultScripts.OkBody, await viaHttpClient.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Head_with_content_length_has_no_body_and_keeps_the_connection()
    {
        await using var server = new ScriptedServer(FaultScripts.HeadWithContentLength(1234));
        using var client = NewHttpClient();

        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, server.BaseAddress)).WaitAsync(Deadline);
        using var get = await client.GetAsync(server.BaseAddress).WaitAsync(Deadline);

        Assert.Equal(1234, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(PeerBytes.Pattern(1234), await get.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, server.Connections.Accepted);
    }

    [Fact]
    public async Task Chunked_with_trailers_decodes_with_extension_skipped()
    {
        await using var server = new ScriptedServer(FaultScripts.ChunkedWithTrailers());
        await using var raw = await RawClient.ConnectAsync(server.EndPoint);
        await raw.SendAsync(Get);
        using var client = NewHttpClient();

        var response = await raw.ReadResponseAsync().WaitAsync(Deadline);
        using var viaHttpClient = await client.GetAsync(server.BaseAddress).WaitAsync(Deadline);

        Assert.Equal(string.Concat(FaultScripts.TrailerChunks), response.BodyText);
        Assert.Equal("X-Checksum, X-Count", response.Head.Headers.GetValue("Trailer"));
        Assert.Equal("c0ffee", response.Trailers.GetValue("X-Checksum"));
        Assert.Equal("3", response.Trailers.GetValue("X-Count"));
        Assert.Equal(string.Concat(FaultScripts.TrailerChunks), await viaHttpClient.Content.ReadAsStringAsync());
        Assert.Equal(["c0ffee"], viaHttpClient.TrailingHeaders.GetValues("X-Checksum"));
    }

    // What the protocol's own parser says about each malformed response; null where it accepts.
    public static TheoryData<MalformedResponse, ProtocolError?> MalformedCases => new()
    {
        { MalformedResponse.BadStatusLine, ProtocolError.InvalidStatusLine },
        { MalformedResponse.NotHttp, ProtocolError.InvalidStatusLine },
        { MalformedResponse.BadChunkSize, ProtocolError.InvalidChunkSize },
        { MalformedResponse.ContentLengthAndTransferEncoding, null },
        { MalformedResponse.ConflictingContentLength, ProtocolError.ConflictingContentLength },
        { MalformedResponse.HugeHeaderSection, ProtocolError.ResponseHeaderSectionTooLarge },
        { MalformedResponse.BareLineFeed, ProtocolError.BareLineFeed },
        { MalformedResponse.TruncatedBody, ProtocolError.TruncatedBody },
    };

    [Theory]
    [MemberData(nameof(MalformedCases))]
    public async Task Malformed_responses_are_rejected_for_the_stated_reason(MalformedResponse kind, ProtocolError? expected)
    {
        await using var server = new ScriptedServer(FaultScripts.Malformed(kind));
        // A client's usual 64 KiB response-header bound, so the huge head is over it.
        var limits = PeerLimits.Generous with { MaxResponseHeaderBytes = 64 * 1024 };
        await using var raw = await RawClient.ConnectAsync(server.EndPoint, limits);
        await raw.SendAsync(Get);

        if (expected is { } error)
        {
            var rejected = await Assert.ThrowsAsync<ProtocolException>(() => raw.ReadResponseAsync().WaitAsync(Deadline));
            Assert.Equal(error, rejected.Kind);
        }
        else
        {
            // CL + TE: chunked frames the body and the connection must not be reused (RFC 9112 §6.1).
            var response = await raw.ReadResponseAsync().WaitAsync(Deadline);
            Assert.Equal(BodyKind.Chunked, response.Head.Framing.Kind);
            Assert.True(response.Head.Framing.MustClose);
            Assert.Equal("hello", response.BodyText);
        }
    }

    [Theory]
    [InlineData(MalformedResponse.BadStatusLine)]
    [InlineData(MalformedResponse.HugeHeaderSection)]
    public async Task Malformed_heads_fail_httpclient(MalformedResponse kind)
    {
        await using var server = new ScriptedServer(FaultScripts.Malformed(kind));
        using var client = NewHttpClient();

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(server.BaseAddress).WaitAsync(Deadline));
    }

    [Fact]
    public async Task Slow_head_holds_the_response_until_released()
    {
        var release = new TaskCompletionSource();
        await using var server = new ScriptedServer(FaultScripts.SlowHead(release.Task));
        using var client = NewHttpClient();

        var pending = client.GetAsync(server.BaseAddress);
        await server.Connections.WaitForAcceptedAsync(1).WaitAsync(Deadline);
        Assert.False(pending.IsCompleted);
        release.SetResult();
        using var response = await pending.WaitAsync(Deadline);

        Assert.Equal(FaultScripts.OkBody, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Slow_head_outlasts_a_client_timeout()
    {
        var never = new TaskCompletionSource();
        await using var server = new ScriptedServer(FaultScripts.SlowHead(never.Task));
        using var client = NewHttpClient();
        client.Timeout = TimeSpan.FromMilliseconds(200);

        var timeout = await Assert.ThrowsAsync<TaskCanceledException>(() => client.GetAsync(server.BaseAddress).WaitAsync(Deadline));

        Assert.IsType<TimeoutException>(timeout.InnerException);
    }

    [Fact]
    public async Task Slow_body_sends_the_head_then_waits()
    {
        var release = new TaskCompletionSource();
        await using var server = new ScriptedServer(FaultScripts.SlowBody(release.Task, "later"));
        using var client = NewHttpClient();

        using var response = await client.GetAsync(server.BaseAddress, HttpCompletionOption.ResponseHeadersRead).WaitAsync(Deadline);
        var body = response.Content.ReadAsStringAsync();
        Assert.False(body.IsCompleted);
        release.SetResult();

        Assert.Equal("later", await body.WaitAsync(Deadline));
    }

    [Fact]
    public async Task Never_reads_body_answers_417_to_an_expecting_client_at_once()
    {
        var heads = new List<ScriptedRequest>();
        await using var server = new ScriptedServer(FaultScripts.NeverReadsBody(417, heads));
        await using var raw = await RawClient.ConnectAsync(server.EndPoint);
        await raw.SendAsync("POST / HTTP/1.1\r\nHost: s\r\nExpect: 100-continue\r\nContent-Length: 1000000\r\n\r\n");

        var response = await raw.ReadResponseAsync().WaitAsync(Deadline);

        Assert.Equal(417, response.Head.StatusCode);
        Assert.Equal("close", response.Head.Headers.GetValue("Connection"));
        Assert.Empty(response.Informational);
        Assert.True(Assert.Single(heads).Head.ExpectsContinue);
        Assert.False(heads[0].BodyRead);
    }

    [Fact]
    public async Task Never_reads_body_lets_httpclient_skip_the_body_on_417()
    {
        await using var server = new ScriptedServer(FaultScripts.NeverReadsBody(417));
        using var client = NewHttpClient(h => h.Expect100ContinueTimeout = Deadline);
        var request = new HttpRequestMessage(HttpMethod.Post, server.BaseAddress) { Content = new ByteArrayContent(new byte[1 << 20]) };
        request.Headers.ExpectContinue = true;

        using var response = await client.SendAsync(request).WaitAsync(Deadline);

        Assert.Equal(HttpStatusCode.ExpectationFailed, response.StatusCode);
    }

    [Fact]
    public async Task Never_reads_body_answers_200_to_a_small_post()
    {
        await using var server = new ScriptedServer(FaultScripts.NeverReadsBody(200));
        using var client = NewHttpClient();

        using var response = await client.PostAsync(server.BaseAddress, new StringContent("unread")).WaitAsync(Deadline);

        Assert.Equal(FaultScripts.OkBody, await response.Content.ReadAsStringAsync());
    }
}
