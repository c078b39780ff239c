using System.IO.Pipelines;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using ActorHttp.Client;
using ActorHttp.Protocol;
using static ActorHttp.Actors.Tests.Client.Facade.Support;

namespace ActorHttp.Actors.Tests.Client.Facade;

public class HandlerTests
{
    [Fact]
    public async Task HttpClient_runs_end_to_end_over_the_handler()
    {
        var fake = new FakeRoundTripper().Redirect(302, "/final")
            .Then(200, Gzip(Utf8("hello")), ("Content-Encoding", "gzip"), ("Content-Type", "text/plain; charset=utf-8"), ("X-Server", "fake"));
        using var http = new HttpClient(new ActorHttpHandler(fake, Options()));

        using var response = await http.GetAsync("http://a.test/start");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello", await response.Content.ReadAsStringAsync());
        Assert.Equal("fake", response.Headers.GetValues("X-Server").Single());
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("http://a.test/final", fake.Requests[1].Uri.ToString());
    }

    [Fact]
    public async Task Request_headers_content_headers_and_content_reach_the_transport()
    {
        var fake = new FakeRoundTripper().Then(204);
        using var http = new HttpClient(new ActorHttpHandler(fake, Options()));
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://a.test/upload")
        {
            Content = new StringContent("{\"a\":1}", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain"));
        request.Headers.ExpectContinue = true;
        request.Headers.Add("Cookie", ["a=1", "b=2"]);
        request.Headers.Host = "virtual.test";

        using var response = await http.SendAsync(request);

        var sent = fake.Requests[0];
        Assert.Equal("POST", sent.Method);
        Assert.Equal("application/json, text/plain", sent.Headers.GetValue("Accept"));
        Assert.Equal("100-continue", sent.Headers.GetValue("Expect"));
        Assert.Equal("a=1; b=2", sent.Headers.GetValue("Cookie"));
        Assert.Equal("virtual.test", sent.Headers.GetValue("Host"));
        Assert.Equal("application/json; charset=utf-8", sent.Headers.GetValue("Content-Type"));
        Assert.False(sent.Headers.Contains("Content-Length"));
        Assert.Equal(7, sent.Content!.Length);
        Assert.True(sent.Content.IsReplayable);
        Assert.Equal("{\"a\":1}", System.Text.Encoding.UTF8.GetString(fake.SentBodies[0]!));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task Streamed_and_chunked_content_has_no_length_and_is_not_replayable()
    {
        var fake = new FakeRoundTripper().Then(200);
        using var http = new HttpClient(new ActorHttpHandler(fake, Options()));
        using var request = new HttpRequestMessage(HttpMethod.Put, "http://a.test/")
        {
            Content = new StreamContent(new NonSeekableStream(Utf8("streamed"))),
        };
        request.Headers.TransferEncodingChunked = true;
        using var _ = await http.SendAsync(request);
        Assert.Null(fake.Requests[0].Content!.Length);
        Assert.False(fake.Requests[0].Content!.IsReplayable);
        Assert.False(fake.Requests[0].Headers.Contains("Transfer-Encoding"));
        Assert.Equal("streamed", System.Text.Encoding.UTF8.GetString(fake.SentBodies[0]!));
    }

    [Fact]
    public async Task Response_status_reason_version_headers_and_trailers_map_back()
    {
        var fake = new FakeRoundTripper();
        var trailers = HeaderCollection.FromFields([KeyValuePair.Create("X-Digest", "d1")]);
        fake.Then((r, _) => Task.FromResult(new ClientResponse(r, 418, "I'm a teapot", HttpProtocolVersion.Http10,
            HeaderCollection.FromFields([
                KeyValuePair.Create("Content-Type", "text/plain"), KeyValuePair.Create("Content-Length", "4"),
                KeyValuePair.Create("Last-Modified", "Tue, 15 Nov 1994 12:45:26 GMT"),
                KeyValuePair.Create("Set-Cookie", "a=1"), KeyValuePair.Create("Set-Cookie", "b=2"),
                KeyValuePair.Create("X-Custom", "v"), KeyValuePair.Create("Trailer", "X-Digest")]),
            new TrackingStream(Utf8("body")), [100, 103], () => trailers)));
        using var http = new HttpClient(new ActorHttpHandler(fake, Options()));

        using var response = await http.GetAsync("http://a.test/", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(418, (int)response.StatusCode);
        Assert.Equal("I'm a teapot", response.ReasonPhrase);
        Assert.Equal(HttpVersion.Version10, response.Version);
        Assert.Equal(["a=1", "b=2"], response.Headers.GetValues("Set-Cookie"));
        Assert.Equal("v", response.Headers.GetValues("X-Custom").Single());
        Assert.Equal(4, response.Content.Headers.ContentLength);
        Assert.NotNull(response.Content.Headers.LastModified);
        Assert.False(response.Headers.NonValidated.Contains("Content-Type"));
        Assert.Empty(response.TrailingHeaders);
        Assert.Equal("body", await response.Content.ReadAsStringAsync());
        Assert.Equal("d1", response.TrailingHeaders.GetValues("X-Digest").Single());
    }

    [Fact]
    public async Task The_body_streams_and_disposing_the_response_releases_it()
    {
        var pipe = new Pipe();
        var fake = new FakeRoundTripper().Then((r, _) => Task.FromResult(new ClientResponse(r, 200, "OK", HttpProtocolVersion.Http11,
            HeaderCollection.Empty, pipe.Reader.AsStream())));
        using var http = new HttpClient(new ActorHttpHandler(fake, Options()));
        var response = await http.GetAsync("http://a.test/", HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStreamAsync();

        await pipe.Writer.WriteAsync(Utf8("first"));
        var buffer = new byte[16];
        int n = await body.ReadAsync(buffer);
        Assert.Equal("first", System.Text.Encoding.UTF8.GetString(buffer, 0, n));

        response.Dispose();
        // The pipe reader was completed by the dispose: the writer learns it on its next flush.
        var flush = await pipe.Writer.WriteAsync(Utf8("more"));
        Assert.True(flush.IsCompleted);
    }

    public static TheoryData<ClientErrorKind, Type, HttpRequestError?> Errors => new()
    {
        { ClientErrorKind.Dial, typeof(HttpRequestException), HttpRequestError.ConnectionError },
        { ClientErrorKind.TlsHandshake, typeof(HttpRequestException), HttpRequestError.SecureConnectionError },
        { ClientErrorKind.MalformedResponse, typeof(HttpRequestException), HttpRequestError.InvalidResponse },
        { ClientErrorKind.ResponseHeadersTooLarge, typeof(HttpRequestException), HttpRequestError.ConfigurationLimitExceeded },
        { ClientErrorKind.ConnectionClosed, typeof(HttpRequestException), HttpRequestError.ConnectionError },
        { ClientErrorKind.ResponseHeaderTimeout, typeof(TaskCanceledException), null },
        { ClientErrorKind.DialTimeout, typeof(TaskCanceledException), null },
        { ClientErrorKind.Canceled, typeof(TaskCanceledException), null },
    };

    [Theory, MemberData(nameof(Errors))]
    public async Task Client_errors_map_to_what_HttpClient_users_catch(ClientErrorKind kind, Type expected, HttpRequestError? error)
    {
        var fake = new FakeRoundTripper().Then((r, _) => throw new HttpClientException(kind, "boom", r));
        using var http = new HttpClient(new ActorHttpHandler(fake, Options()));
        var e = await Assert.ThrowsAnyAsync<Exception>(() => http.GetAsync("http://a.test/"));
        Assert.IsType(expected, e);
        Assert.Equal(kind, Assert.IsType<HttpClientException>(e.InnerException).Kind);
        if (error is { } requestError) Assert.Equal(requestError, ((HttpRequestException)e).HttpRequestError);
    }

    [Fact]
    public async Task Errors_while_reading_the_body_are_HttpIOExceptions()
    {
        var fake = new FakeRoundTripper().Then(200, Utf8("this is not gzip at all"), ("Content-Encoding", "gzip"));
        using var http = new HttpClient(new ActorHttpHandler(fake, Options()));
        using var response = await http.GetAsync("http://a.test/", HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStreamAsync();
        var e = await Assert.ThrowsAsync<HttpIOException>(async () => Assert.Equal(-1, await body.ReadAsync(new byte[64])));
        Assert.Equal(HttpRequestError.InvalidResponse, e.HttpRequestError);
        Assert.Equal(ClientErrorKind.ContentDecoding, Assert.IsType<HttpClientException>(e.InnerException).Kind);
    }

    [Fact]
    public async Task Cancellation_is_honoured()
    {
        var started = new TaskCompletionSource();
        var fake = new FakeRoundTripper().Then(async (_, ct) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        });
        using var http = new HttpClient(new ActorHttpHandler(fake, Options()));
        using var cts = new CancellationTokenSource();
        var call = http.GetAsync("http://a.test/", cts.Token);
        await started.Task;
        cts.Cancel();
        var e = await Assert.ThrowsAsync<TaskCanceledException>(() => call);
        Assert.Equal(cts.Token, e.CancellationToken);
    }

    [Fact]
    public async Task HttpClient_timeout_surfaces_as_its_own_TaskCanceledException()
    {
        var fake = new FakeRoundTripper().Then(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        });
        using var http = new HttpClient(new ActorHttpHandler(fake, Options())) { Timeout = TimeSpan.FromMilliseconds(50) };
        var e = await Assert.ThrowsAsync<TaskCanceledException>(() => http.GetAsync("http://a.test/"));
        Assert.IsType<TimeoutException>(e.InnerException);
    }

    [Fact]
    public async Task A_relative_uri_without_base_address_is_refused()
    {
        using var invoker = new HttpMessageInvoker(new ActorHttpHandler(new FakeRoundTripper(), Options()));
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri("/relative", UriKind.Relative)), default));
    }
}
