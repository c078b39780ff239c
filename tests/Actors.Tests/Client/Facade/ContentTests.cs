using System.Buffers;
using System.IO.Pipelines;
using ActorHttp.Client;
using static ActorHttp.Actors.Tests.Client.Facade.Support;

namespace ActorHttp.Actors.Tests.Client.Facade;

public class ContentTests
{
    private static async Task<string> Copy(RequestContent content)
    {
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, default);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    [Fact]
    public async Task Bytes_have_a_length_and_replay()
    {
        var content = RequestContent.FromBytes(Utf8("abc"));
        Assert.Equal(3, content.Length);
        Assert.True(content.IsReplayable);
        Assert.Equal("abc", await Copy(content));
        content.Rewind();
        Assert.Equal("abc", await Copy(content));
    }

    [Fact]
    public async Task A_seekable_stream_replays_from_its_starting_position()
    {
        var stream = new MemoryStream(Utf8("..hello"));
        stream.Position = 2;
        var content = RequestContent.FromStream(stream);
        Assert.Equal(5, content.Length);
        Assert.Equal("hello", await Copy(content));
        content.Rewind();
        Assert.Equal("hello", await Copy(content));
    }

    [Fact]
    public async Task A_forward_only_stream_is_chunked_and_sent_once()
    {
        var content = RequestContent.FromStream(new NonSeekableStream(Utf8("once")));
        Assert.Null(content.Length);
        Assert.False(content.IsReplayable);
        Assert.Equal("once", await Copy(content));
        Assert.True(content.HasStarted);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Copy(content));
        Assert.Throws<InvalidOperationException>(content.Rewind);
    }

    [Fact]
    public async Task A_stream_shorter_than_its_declared_length_fails()
    {
        var content = RequestContent.FromStream(new NonSeekableStream(Utf8("abc")), length: 5);
        await Assert.ThrowsAsync<IOException>(() => Copy(content));
    }

    [Fact]
    public async Task A_stream_with_a_declared_length_sends_exactly_that()
    {
        var content = RequestContent.FromStream(new NonSeekableStream(Utf8("abcdef")), length: 4);
        Assert.Equal("abcd", await Copy(content));
    }

    [Theory]
    [InlineData(null, "piped", true)]
    [InlineData(5L, "piped", true)]
    [InlineData(3L, "piped", false)]
    [InlineData(9L, "piped", false)]
    public async Task A_pipe_is_read_to_completion_and_checked_against_its_length(long? length, string data, bool ok)
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Utf8(data));
        await pipe.Writer.CompleteAsync();
        var content = RequestContent.FromPipe(pipe.Reader, length);
        Assert.Equal(length, content.Length);
        Assert.False(content.IsReplayable);
        if (ok) Assert.Equal(data, await Copy(content));
        else await Assert.ThrowsAsync<IOException>(() => Copy(content));
    }

    [Fact]
    public async Task Content_copies_to_a_pipe_writer()
    {
        var pipe = new Pipe();
        await RequestContent.FromString("to a pipe").CopyToAsync(pipe.Writer, default);
        await pipe.Writer.CompleteAsync();
        var result = await pipe.Reader.ReadAsync();
        Assert.Equal("to a pipe", System.Text.Encoding.UTF8.GetString(result.Buffer.ToArray()));
    }

    [Fact]
    public void Messages_never_print_bodies()
    {
        var request = new ClientRequest("POST", new Uri("http://a.test/x"), RequestContent.FromString("secret-body"))
            .WithHeader("X-A", "1");
        Assert.DoesNotContain("secret-body", request.ToString());
        Assert.Contains("POST http://a.test/x", request.ToString());
        var response = new ClientResponse(request, 200, "OK", ActorHttp.Protocol.HttpProtocolVersion.Http11,
            ActorHttp.Protocol.HeaderCollection.Empty, new MemoryStream(Utf8("secret-body")));
        Assert.DoesNotContain("secret-body", response.ToString());
        Assert.StartsWith("HTTP/1.1 200 OK", response.ToString());
    }

    [Theory]
    [InlineData("get")]
    [InlineData("GE T")]
    [InlineData("")]
    public void Requests_refuse_bad_methods_but_accept_extension_tokens(string method)
    {
        if (method == "get") Assert.Equal("get", new ClientRequest(method, new Uri("http://a.test/")).Method);
        else Assert.ThrowsAny<ArgumentException>(() => new ClientRequest(method, new Uri("http://a.test/")));
    }

    [Theory]
    [InlineData("ftp://a.test/")]
    [InlineData("/relative")]
    public void Requests_refuse_non_http_uris(string uri) =>
        Assert.Throws<ArgumentException>(() => new ClientRequest("GET", new Uri(uri, UriKind.RelativeOrAbsolute)));

    [Theory]
    [InlineData("GET", true)]
    [InlineData("PUT", true)]
    [InlineData("POST", false)]
    [InlineData("PATCH", false)]
    public void Idempotency_follows_the_method_or_the_key(string method, bool idempotent)
    {
        var request = new ClientRequest(method, new Uri("http://a.test/"));
        Assert.Equal(idempotent, request.IsIdempotent);
        Assert.True(request.WithHeader("Idempotency-Key", "k").IsIdempotent);
    }

    [Fact]
    public void Headers_are_immutable_ordered_and_validated()
    {
        var a = RequestHeaders.From(("Accept", "x"), ("X-A", "1"), ("accept", "y"));
        var b = a.Set("ACCEPT", "z");
        Assert.Equal(["x", "y"], a.GetValues("Accept"));
        Assert.Equal([("ACCEPT", "z"), ("X-A", "1")], b.Select(f => (f.Key, f.Value)));
        Assert.Same(a, a.Remove("Missing"));
        Assert.Throws<ArgumentException>(() => a.Add("Bad Name", "v"));
        Assert.Throws<ArgumentException>(() => a.Add("X-B", "line\r\nInjected: 1"));
    }

    [Fact]
    public void Retry_predicates_follow_go()
    {
        Assert.True(new HttpClientException(ClientErrorKind.ConnectionClosed, "m", requestWritten: true).IsRetryable);
        Assert.True(new HttpClientException(ClientErrorKind.ConnectionReset, "m", requestWritten: false).IsRetryable);
        Assert.False(new HttpClientException(ClientErrorKind.ConnectionReset, "m", requestWritten: true).IsRetryable);
        Assert.False(new HttpClientException(ClientErrorKind.ConnectionReset, "m", new ClientRequest("POST", new Uri("http://x/")), requestWritten: true).IsRetryable);
        Assert.True(new HttpClientException(ClientErrorKind.ConnectionReset, "m", ClientRequest.Get("http://x/"), requestWritten: true).IsRetryable);
        Assert.False(new HttpClientException(ClientErrorKind.ResponseHeaderTimeout, "m").IsRetryable);
        Assert.True(new HttpClientException(ClientErrorKind.ResponseHeaderTimeout, "m").IsTimeout);
        Assert.False(new HttpClientException(ClientErrorKind.MalformedResponse, "m").IsTimeout);
    }
}
