using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using ActorHttp.Actors.Tests.Support;
using ActorHttp.Server;
using ActorHttp.Server.Handlers;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Server;

/// <summary>The file server on a real socket, checked with HttpClient and curl.</summary>
public sealed class FileServerTests : ServerTestBase, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("actorhttp-files-").FullName;

    public FileServerTests(ITestOutputHelper output) : base(output, TestConfig.Server)
    {
        File.WriteAllText(Path.Combine(_root, "hello.txt"), "0123456789abcdefghij");
        Directory.CreateDirectory(Path.Combine(_root, "sub"));
        File.WriteAllText(Path.Combine(_root, "sub", "page.html"), "<p>page</p>");
        File.WriteAllText(Path.Combine(_root, "secret.txt"), "outside");
    }

    private Task<HttpServer> StartFilesAsync() =>
        StartAsync(new ServeMux().HandleFunc("/files/", FileServer.Create(Path.Combine(_root), "/files")));

    [Fact]
    public async Task Serves_a_file_with_type_validators_and_length()
    {
        var server = await StartFilesAsync();
        using var client = ClientFor(server);

        using var response = await client.GetAsync("/files/hello.txt");

        Assert.Equal("0123456789abcdefghij", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.NotNull(response.Headers.ETag);
        Assert.NotNull(response.Content.Headers.LastModified);
        Assert.Equal("bytes", response.Headers.AcceptRanges.Single());
    }

    [Fact]
    public async Task If_none_match_and_if_modified_since_give_304()
    {
        var server = await StartFilesAsync();
        using var client = ClientFor(server);
        using var first = await client.GetAsync("/files/hello.txt");

        using var byEtag = new HttpRequestMessage(HttpMethod.Get, "/files/hello.txt");
        byEtag.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var byDate = new HttpRequestMessage(HttpMethod.Get, "/files/hello.txt");
        byDate.Headers.IfModifiedSince = first.Content.Headers.LastModified;

        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(byEtag)).StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(byDate)).StatusCode);
    }

    [Fact]
    public async Task Range_gives_206_and_unsatisfiable_range_416()
    {
        var server = await StartFilesAsync();
        using var client = ClientFor(server);

        using var partial = new HttpRequestMessage(HttpMethod.Get, "/files/hello.txt");
        partial.Headers.Range = new RangeHeaderValue(2, 5);
        using var response = await client.SendAsync(partial);
        using var beyond = new HttpRequestMessage(HttpMethod.Get, "/files/hello.txt");
        beyond.Headers.Range = new RangeHeaderValue(100, 200);
        using var unsatisfiable = await client.SendAsync(beyond);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("2345", await response.Content.ReadAsStringAsync());
        Assert.Equal("bytes 2-5/20", response.Content.Headers.ContentRange!.ToString());
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, unsatisfiable.StatusCode);
        Assert.Equal("bytes */20", unsatisfiable.Content.Headers.ContentRange!.ToString());
    }

    [Fact]
    public async Task Directories_redirect_to_their_slash_and_list_their_entries()
    {
        var server = await StartFilesAsync();
        await using var raw = await ConnectAsync(server);

        await raw.SendAsync("GET /files/sub HTTP/1.1\r\nHost: x\r\n\r\nGET /files/sub/ HTTP/1.1\r\nHost: x\r\n\r\n");
        var redirect = await raw.ReadResponseAsync();
        var listing = await raw.ReadResponseAsync();

        Assert.Equal(301, redirect.Status);
        Assert.Equal("sub/", redirect.Header("Location"));
        Assert.Contains("<a href=\"page.html\">page.html</a>", listing.Text);
    }

    [Fact]
    public async Task Dot_dot_cannot_leave_the_root()
    {
        var server = await StartAsync(new ServeMux().HandleFunc("/files/", FileServer.Create(Path.Combine(_root, "sub"), "/files")));
        await using var raw = await ConnectAsync(server);

        await raw.SendAsync("GET /files/%2e%2e/secret.txt HTTP/1.1\r\nHost: x\r\n\r\n");

        Assert.Equal(404, (await raw.ReadResponseAsync()).Status);
    }

    [Fact]
    public async Task Curl_head_and_range_agree_with_the_server()
    {
        if (!Curl.IsAvailable) return;   // .ci/run installs curl; a bare dev box may lack it
        var server = await StartFilesAsync();
        var url = $"http://{server.LocalEndPoint}/files/hello.txt";

        var head = await Curl.RunAsync("-sS", "-I", url);
        var range = await Curl.RunAsync("-sS", "-r", "10-14", url);

        Assert.Contains("HTTP/1.1 200 OK", head);
        Assert.Contains("Content-Length: 20", head);
        Assert.Equal("abcde", range);
    }

    public new void Dispose()
    {
        base.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}
