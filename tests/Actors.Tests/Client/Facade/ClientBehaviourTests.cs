using System.Net;
using ActorHttp.Client;
using static ActorHttp.Actors.Tests.Client.Facade.Support;

namespace ActorHttp.Actors.Tests.Client.Facade;

public class ClientBehaviourTests
{
    [Fact]
    public async Task Cookies_are_stored_from_every_response_and_sent_per_uri()
    {
        var jar = new CookieContainer();
        var fake = new FakeRoundTripper()
            .Then(302, null, ("Location", "/next"), ("Set-Cookie", "a=1; Path=/"), ("Set-Cookie", "b=2; Path=/next"))
            .Then(200, null, ("Set-Cookie", "c=3"), ("Set-Cookie", "bad=; Domain=other.test"))
            .Then(200);
        var client = new ActorHttpClient(fake, Options() with { Cookies = jar });

        await using (await client.GetAsync("http://a.test/start")) { }
        await using (await client.SendAsync(ClientRequest.Get("http://a.test/other").WithHeader("Cookie", "own=0"))) { }

        Assert.Null(fake.Requests[0].Headers.GetValue("Cookie"));
        // CookieContainer puts longer paths first (RFC 6265 §5.4).
        Assert.Equal("b=2; a=1", fake.Requests[1].Headers.GetValue("Cookie"));
        Assert.Equal("own=0; a=1; c=3", fake.Requests[2].Headers.GetValue("Cookie"));
        Assert.Equal(3, jar.Count);
    }

    [Fact]
    public async Task Jar_cookies_follow_their_domain_across_redirects()
    {
        var jar = new CookieContainer();
        jar.Add(new Uri("http://a.test/"), new Cookie("sa", "1"));
        jar.Add(new Uri("http://b.test/"), new Cookie("sb", "2"));
        var fake = new FakeRoundTripper().Redirect(302, "http://b.test/").Then(200);
        await using var _ = await new ActorHttpClient(fake, Options() with { Cookies = jar }).GetAsync("http://a.test/");
        Assert.Equal("sa=1", fake.Requests[0].Headers.GetValue("Cookie"));
        Assert.Equal("sb=2", fake.Requests[1].Headers.GetValue("Cookie"));
    }

    [Fact]
    public async Task Host_and_user_agent_are_filled_in_and_framing_fields_removed()
    {
        var fake = new FakeRoundTripper().Then(200).Then(200).Then(200).Then(200);
        var client = new ActorHttpClient(fake, Options(userAgent: "ua/1"));
        await using (await client.SendAsync(ClientRequest.Get("http://a.test:8080/x")
            .WithHeader("Content-Length", "5").WithHeader("Transfer-Encoding", "chunked"))) { }
        await using (await client.SendAsync(ClientRequest.Get("http://a.test/").WithHeader("User-Agent", "mine"))) { }
        await using (await client.SendAsync(ClientRequest.Get("http://a.test/").WithHeader("User-Agent", ""))) { }
        await using (await client.SendAsync(ClientRequest.Get("http://[::1]:81/"))) { }

        var first = fake.Requests[0].Headers;
        Assert.Equal("Host", first[0].Key);
        Assert.Equal("a.test:8080", first.GetValue("Host"));
        Assert.Equal("ua/1", first.GetValue("User-Agent"));
        Assert.False(first.Contains("Content-Length"));
        Assert.False(first.Contains("Transfer-Encoding"));
        Assert.Equal("mine", fake.Requests[1].Headers.GetValue("User-Agent"));
        Assert.False(fake.Requests[2].Headers.Contains("User-Agent"));
        Assert.Equal("[::1]:81", fake.Requests[3].Headers.GetValue("Host"));
    }

    [Fact]
    public async Task No_user_agent_when_configured_empty()
    {
        var fake = new FakeRoundTripper().Then(200);
        await using var _ = await new ActorHttpClient(fake, Options(userAgent: "")).GetAsync("http://a.test/");
        Assert.False(fake.Requests[0].Headers.Contains("User-Agent"));
    }

    public static TheoryData<string, Func<byte[], byte[]>> Encodings => new()
    {
        { "gzip", Gzip },
        { "x-gzip", Gzip },
        { "deflate", Zlib },
        { "DEFLATE", RawDeflate },
    };

    [Theory, MemberData(nameof(Encodings))]
    public async Task Encoded_bodies_are_decoded_when_the_client_asked(string encoding, Func<byte[], byte[]> encode)
    {
        var plain = Utf8(string.Concat(Enumerable.Repeat("hello, world ", 200)));
        var encoded = encode(plain);
        var fake = new FakeRoundTripper().Then(200, encoded,
            ("Content-Encoding", encoding), ("Content-Length", encoded.Length.ToString()), ("Content-Type", "text/plain"));
        var response = await new ActorHttpClient(fake, Options()).GetAsync("http://a.test/");

        Assert.Equal("gzip, deflate", fake.Requests[0].Headers.GetValue("Accept-Encoding"));
        Assert.False(response.Headers.Contains("Content-Encoding"));
        Assert.False(response.Headers.Contains("Content-Length"));
        Assert.Equal("text/plain", response.Headers.GetValue("Content-Type"));
        Assert.Equal(plain, await response.ReadAsByteArrayAsync());
        Assert.True(fake.Bodies[0].Disposed);
    }

    public static TheoryData<string, bool, (string, string)[]> Skipped => new()
    {
        // method, disable-compression, caller's fields
        { "GET", false, [("Accept-Encoding", "gzip")] },
        { "GET", false, [("Range", "bytes=0-9")] },
        { "GET", true, [] },
        { "HEAD", false, [] },
    };

    [Theory, MemberData(nameof(Skipped))]
    public async Task Decoding_is_skipped_when_the_client_did_not_ask(string method, bool disabled, (string, string)[] fields)
    {
        var encoded = Gzip(Utf8("data"));
        var fake = new FakeRoundTripper().Then(200, method == "HEAD" ? [] : encoded, ("Content-Encoding", "gzip"));
        var request = new ClientRequest(method, new Uri("http://a.test/")) { Headers = RequestHeaders.From(fields) };
        var response = await new ActorHttpClient(fake, Options(disableCompression: disabled)).SendAsync(request);

        var accept = fake.Requests[0].Headers.GetValues("Accept-Encoding");
        Assert.Equal(fields.Where(f => f.Item1 == "Accept-Encoding").Select(f => f.Item2), accept);
        Assert.Equal("gzip", response.Headers.GetValue("Content-Encoding"));
        Assert.Equal(method == "HEAD" ? [] : encoded, await response.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_corrupt_gzip_body_fails_with_ContentDecoding()
    {
        var fake = new FakeRoundTripper().Then(200, [0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9], ("Content-Encoding", "gzip"));
        var response = await new ActorHttpClient(fake, Options()).GetAsync("http://a.test/");
        var e = await Assert.ThrowsAsync<HttpClientException>(() => response.ReadAsByteArrayAsync());
        Assert.Equal(ClientErrorKind.ContentDecoding, e.Kind);
    }

    [Fact]
    public async Task Trailers_stay_reachable_through_a_decoded_body()
    {
        var fake = new FakeRoundTripper();
        var trailers = ActorHttp.Protocol.HeaderCollection.FromFields([KeyValuePair.Create("X-Checksum", "abc")]);
        fake.Then((r, _) => Task.FromResult(fake.Response(r, 200, Gzip(Utf8("x")), [("Content-Encoding", "gzip")], trailers)));
        var response = await new ActorHttpClient(fake, Options()).GetAsync("http://a.test/");
        Assert.Empty(response.Trailers);
        using var body = new MemoryStream();
        await response.Body.CopyToAsync(body);
        Assert.Equal("abc", response.Trailers.GetValue("X-Checksum"));
    }

    [Fact]
    public async Task The_deadline_covers_waiting_for_the_head()
    {
        var fake = new FakeRoundTripper().Then(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        });
        var client = new ActorHttpClient(fake, Options(timeout: TimeSpan.FromMilliseconds(50)));
        var e = await Assert.ThrowsAsync<HttpClientException>(() => client.GetAsync("http://a.test/"));
        Assert.Equal(ClientErrorKind.RequestTimeout, e.Kind);
        Assert.True(e.IsTimeout);
        Assert.IsAssignableFrom<OperationCanceledException>(e.InnerException);
    }

    [Fact]
    public async Task The_deadline_keeps_running_while_the_body_is_read()
    {
        var stalled = new StallingStream();
        var fake = new FakeRoundTripper().Then((r, _) => Task.FromResult(new ClientResponse(r, 200, "OK",
            ActorHttp.Protocol.HttpProtocolVersion.Http11, ActorHttp.Protocol.HeaderCollection.Empty, stalled)));
        var response = await new ActorHttpClient(fake, Options(timeout: TimeSpan.FromMilliseconds(50))).GetAsync("http://a.test/");
        var e = await Assert.ThrowsAsync<HttpClientException>(async () => Assert.Equal(-1, await response.Body.ReadAsync(new byte[10])));
        Assert.Equal(ClientErrorKind.RequestTimeout, e.Kind);
        await response.DisposeAsync();
        Assert.True(stalled.Disposed);
    }

    [Fact]
    public async Task Caller_cancellation_is_an_OperationCanceledException_with_the_callers_token()
    {
        using var cts = new CancellationTokenSource();
        var started = new TaskCompletionSource();
        var fake = new FakeRoundTripper().Then(async (_, ct) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        });
        var client = new ActorHttpClient(fake, Options(timeout: TimeSpan.FromMinutes(5)));
        var call = client.GetAsync("http://a.test/", cts.Token);
        await started.Task;
        cts.Cancel();
        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(cts.Token, e.CancellationToken);
        Assert.Equal(ClientErrorKind.Canceled, Assert.IsType<HttpClientException>(e.InnerException).Kind);
    }

    [Fact]
    public async Task Transport_errors_pass_through_unchanged()
    {
        var fake = new FakeRoundTripper().Then((r, _) =>
            throw new HttpClientException(ClientErrorKind.ConnectionReset, "reset", r, requestWritten: true));
        var e = await Assert.ThrowsAsync<HttpClientException>(() => new ActorHttpClient(fake, Options()).GetAsync("http://a.test/"));
        Assert.Equal(ClientErrorKind.ConnectionReset, e.Kind);
        Assert.True(e.RequestWritten);
        Assert.True(e.IsRetryable);   // a GET: idempotent, so a reset before the answer may be retried
    }
}

/// <summary>A body whose async reads never complete until cancelled.</summary>
internal sealed class StallingStream : MemoryStream
{
    public bool Disposed { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return 0;
    }

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }
}
