using ActorHttp.Client;
using static ActorHttp.Actors.Tests.Client.Facade.Support;

namespace ActorHttp.Actors.Tests.Client.Facade;

public class RedirectTests
{
    public static TheoryData<string, int, string, bool> MethodRules => new()
    {
        // method, status, method of the next request, body kept
        { "GET", 301, "GET", false },
        { "HEAD", 301, "HEAD", false },
        { "POST", 301, "GET", false },
        { "POST", 302, "GET", false },
        { "PUT", 302, "GET", false },
        { "POST", 303, "GET", false },
        { "HEAD", 303, "HEAD", false },
        { "DELETE", 303, "GET", false },
        { "POST", 307, "POST", true },
        { "PUT", 307, "PUT", true },
        { "POST", 308, "POST", true },
        { "GET", 308, "GET", false },
    };

    [Theory, MemberData(nameof(MethodRules))]
    public async Task Redirect_method_and_body_follow_the_status(string method, int status, string nextMethod, bool bodyKept)
    {
        var fake = new FakeRoundTripper().Redirect(status, "/next").Then(200);
        var client = new ActorHttpClient(fake, Options());
        var request = new ClientRequest(method, new Uri("http://a.test/start"),
            method is "GET" or "HEAD" ? null : RequestContent.FromBytes(Utf8("payload")))
        { Headers = RequestHeaders.From(("Content-Type", "text/plain"), ("X-Keep", "1")) };

        await using var response = await client.SendAsync(request);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(2, fake.Requests.Count);
        var next = fake.Requests[1];
        Assert.Equal(nextMethod, next.Method);
        Assert.Equal("http://a.test/next", next.Uri.ToString());
        Assert.Equal("1", next.Headers.GetValue("X-Keep"));
        if (bodyKept)
        {
            Assert.Equal("payload", System.Text.Encoding.UTF8.GetString(fake.SentBodies[1]!));
            Assert.Equal("text/plain", next.Headers.GetValue("Content-Type"));
        }
        else
        {
            Assert.Null(next.Content);
            Assert.False(next.Headers.Contains("Content-Type") && request.Content is not null);
        }
        Assert.True(fake.Bodies[0].Disposed, "the redirect response's body is disposed before following");
    }

    [Theory]
    [InlineData(300)]
    [InlineData(304)]
    [InlineData(305)]
    public async Task Other_3xx_are_returned(int status)
    {
        var fake = new FakeRoundTripper().Redirect(status, "/elsewhere");
        await using var response = await new ActorHttpClient(fake, Options()).GetAsync("http://a.test/");
        Assert.Equal(status, response.StatusCode);
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task A_redirect_without_Location_is_returned()
    {
        var fake = new FakeRoundTripper().Then(302);
        await using var response = await new ActorHttpClient(fake, Options()).GetAsync("http://a.test/");
        Assert.Equal(302, response.StatusCode);
    }

    [Fact]
    public async Task A_307_with_a_body_that_cannot_be_replayed_is_returned()
    {
        var fake = new FakeRoundTripper().Redirect(307, "/again");
        var client = new ActorHttpClient(fake, Options());
        var forwardOnly = new NonSeekableStream(Utf8("once"));
        await using var response = await client.SendAsync(new ClientRequest("POST", new Uri("http://a.test/"), RequestContent.FromStream(forwardOnly)));
        Assert.Equal(307, response.StatusCode);
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task A_307_with_a_seekable_stream_body_is_rewound_and_resent()
    {
        var fake = new FakeRoundTripper().Redirect(307, "/again").Redirect(308, "/third").Then(201);
        var stream = new MemoryStream(Utf8("xxabc"));
        stream.Position = 2;
        var response = await new ActorHttpClient(fake, Options())
            .SendAsync(new ClientRequest("PUT", new Uri("http://a.test/"), RequestContent.FromStream(stream)));
        Assert.Equal(201, response.StatusCode);
        Assert.All(fake.SentBodies, b => Assert.Equal("abc", System.Text.Encoding.UTF8.GetString(b!)));
        Assert.Equal(3, fake.SentBodies.Count);
    }

    [Fact]
    public async Task Relative_and_absolute_locations_resolve_against_the_current_uri()
    {
        var fake = new FakeRoundTripper().Redirect(302, "b/c?q=1").Redirect(302, "//other.test/x").Redirect(302, "https://third.test:8443/y").Then(200);
        await using var _ = await new ActorHttpClient(fake, Options()).GetAsync("http://a.test/dir/page");
        Assert.Equal(["http://a.test/dir/page", "http://a.test/dir/b/c?q=1", "http://other.test/x", "https://third.test:8443/y"],
            fake.Requests.Select(r => r.Uri.ToString()));
        Assert.Equal("third.test:8443", fake.Requests[3].Headers.GetValue("Host"));
    }

    [Fact]
    public async Task Referer_is_set_except_from_https_to_http()
    {
        var fake = new FakeRoundTripper().Redirect(302, "https://s.test/secure").Redirect(302, "http://plain.test/").Then(200);
        await using var _ = await new ActorHttpClient(fake, Options()).GetAsync("http://user:pw@a.test/start#frag");
        Assert.Equal("http://a.test/start", fake.Requests[1].Headers.GetValue("Referer"));
        Assert.Null(fake.Requests[2].Headers.GetValue("Referer"));
    }

    [Fact]
    public async Task The_callers_referer_is_kept_but_not_sent_from_https_to_http()
    {
        var fake = new FakeRoundTripper().Redirect(302, "/b").Redirect(302, "http://plain.test/").Then(200);
        await using var _ = await new ActorHttpClient(fake, Options())
            .SendAsync(ClientRequest.Get("https://a.test/").WithHeader("Referer", "https://origin.test/"));
        Assert.Equal("https://origin.test/", fake.Requests[1].Headers.GetValue("Referer"));
        Assert.Null(fake.Requests[2].Headers.GetValue("Referer"));
    }

    [Theory]
    [InlineData(10, 10, false)]
    [InlineData(10, 11, true)]
    [InlineData(1, 1, false)]
    [InlineData(1, 2, true)]
    public async Task Too_many_redirects_fail(int max, int redirects, bool fails)
    {
        var fake = new FakeRoundTripper();
        for (int i = 0; i < redirects; i++) fake.Redirect(302, $"/r{i}");
        if (!fails) fake.Then(200);
        var client = new ActorHttpClient(fake, Options(maxRedirects: max));
        if (fails)
        {
            var e = await Assert.ThrowsAsync<HttpClientException>(() => client.GetAsync("http://a.test/"));
            Assert.Equal(ClientErrorKind.TooManyRedirects, e.Kind);
            Assert.Equal(max + 1, fake.Requests.Count);
            Assert.All(fake.Bodies, b => Assert.True(b.Disposed));
        }
        else
        {
            await using var response = await client.GetAsync("http://a.test/");
            Assert.Equal(200, response.StatusCode);
            Assert.Equal(redirects + 1, fake.Requests.Count);
        }
    }

    [Fact]
    public async Task Zero_max_redirects_returns_the_3xx()
    {
        var fake = new FakeRoundTripper().Redirect(301, "/moved");
        await using var response = await new ActorHttpClient(fake, Options(maxRedirects: 0)).GetAsync("http://a.test/");
        Assert.Equal(301, response.StatusCode);
        Assert.False(fake.Bodies[0].Disposed);
    }

    [Fact]
    public async Task The_policy_sees_the_next_request_and_the_responses_so_far()
    {
        var seen = new List<(string Next, int[] Via)>();
        var fake = new FakeRoundTripper().Redirect(301, "/one").Redirect(302, "/two").Then(200);
        var options = Options() with
        {
            CheckRedirect = (next, via) =>
            {
                seen.Add((next.Uri.AbsolutePath, via.Select(r => r.StatusCode).ToArray()));
                return RedirectDecision.Follow;
            },
        };
        await using var _ = await new ActorHttpClient(fake, options).GetAsync("http://a.test/");
        Assert.Equal(2, seen.Count);
        Assert.Equal("/one", seen[0].Next);
        Assert.Equal([301], seen[0].Via);
        Assert.Equal("/two", seen[1].Next);
        Assert.Equal([301, 302], seen[1].Via);
    }

    [Fact]
    public async Task The_policy_can_return_the_3xx_or_refuse()
    {
        var fake = new FakeRoundTripper().Redirect(302, "/one");
        var client = new ActorHttpClient(fake, Options() with { CheckRedirect = (_, _) => RedirectDecision.ReturnResponse });
        await using (var response = await client.GetAsync("http://a.test/"))
        {
            Assert.Equal(302, response.StatusCode);
            Assert.False(fake.Bodies[0].Disposed);
        }

        fake.Redirect(302, "/one");
        var refusing = new ActorHttpClient(fake, Options() with { CheckRedirect = (_, _) => RedirectDecision.Refuse });
        var e = await Assert.ThrowsAsync<HttpClientException>(() => refusing.GetAsync("http://a.test/"));
        Assert.Equal(ClientErrorKind.RedirectRefused, e.Kind);
        Assert.True(fake.Bodies[1].Disposed);
    }

    [Fact]
    public async Task A_location_that_is_not_http_fails()
    {
        var fake = new FakeRoundTripper().Redirect(302, "ftp://a.test/file");
        var e = await Assert.ThrowsAsync<HttpClientException>(() => new ActorHttpClient(fake, Options()).GetAsync("http://a.test/"));
        Assert.Equal(ClientErrorKind.RedirectRefused, e.Kind);
        Assert.True(fake.Bodies[0].Disposed);
    }

    public static TheoryData<string, string, bool> HostChanges => new()
    {
        // from, to, sensitive fields kept
        { "http://a.test/", "http://a.test/x", true },
        { "http://a.test/", "https://a.test:8443/x", true },
        { "http://a.test/", "http://sub.a.test/x", true },
        { "http://a.test/", "http://b.test/x", false },
        { "http://sub.a.test/", "http://a.test/x", false },
        { "http://a.test/", "http://evila.test/x", false },
        { "http://127.0.0.1/", "http://127.0.0.2/x", false },
    };

    [Theory, MemberData(nameof(HostChanges))]
    public async Task Credentials_do_not_cross_to_another_host(string from, string to, bool kept)
    {
        var fake = new FakeRoundTripper().Redirect(302, to).Then(200);
        var request = new ClientRequest("GET", new Uri(from))
        {
            Headers = RequestHeaders.From(("Authorization", "Bearer t"), ("Cookie", "s=1"), ("Proxy-Authorization", "p"), ("X-Other", "o")),
        };
        await using var _ = await new ActorHttpClient(fake, Options()).SendAsync(request);
        var next = fake.Requests[1].Headers;
        Assert.Equal(kept, next.Contains("Authorization"));
        Assert.Equal(kept, next.Contains("Cookie"));
        Assert.Equal(kept, next.Contains("Proxy-Authorization"));
        Assert.Equal("o", next.GetValue("X-Other"));
    }

    [Fact]
    public async Task Stripped_credentials_stay_stripped_when_the_chain_returns()
    {
        var fake = new FakeRoundTripper().Redirect(302, "http://b.test/").Redirect(302, "http://a.test/back").Then(200);
        var request = ClientRequest.Get("http://a.test/").WithHeader("Authorization", "Bearer t");
        await using var _ = await new ActorHttpClient(fake, Options()).SendAsync(request);
        Assert.False(fake.Requests[2].Headers.Contains("Authorization"));
    }

    [Fact]
    public async Task A_host_override_survives_only_the_same_authority()
    {
        var fake = new FakeRoundTripper().Redirect(302, "/same").Redirect(302, "http://b.test/").Then(200);
        var request = ClientRequest.Get("http://a.test/").WithHeader("Host", "virtual.test");
        await using var _ = await new ActorHttpClient(fake, Options()).SendAsync(request);
        Assert.Equal(["virtual.test", "virtual.test", "b.test"], fake.Requests.Select(r => r.Headers.GetValue("Host")));
    }

    [Fact]
    public async Task The_final_response_answers_the_last_request()
    {
        var fake = new FakeRoundTripper().Redirect(302, "/final").Then(200);
        await using var response = await new ActorHttpClient(fake, Options()).GetAsync("http://a.test/");
        Assert.Equal("/final", response.Request.Uri.AbsolutePath);
    }
}

/// <summary>A readable stream that cannot seek.</summary>
internal sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes, writable: false)
{
    public override bool CanSeek => false;
}
