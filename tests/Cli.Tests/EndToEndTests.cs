using System.Text.Json;

namespace ActorHttp.Cli.Tests;

/// <summary>
/// The commands run in-process against an ActorHttp server on loopback, through the test-only
/// SocketsHttpHandler transport (the actor transport replaces it once merged).
/// </summary>
public class EndToEndTests(TestServer server) : IClassFixture<TestServer>
{
    private readonly RoundTripperFactory _transport = CommandRunner.Actors;

    private static JsonElement Json(CommandRunner.Outcome outcome)
    {
        var lines = outcome.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        return JsonDocument.Parse(lines[0]).RootElement.Clone();
    }

    [Fact]
    public async Task Get_prints_the_body()
    {
        var outcome = await CommandRunner.GetAsync(_transport, server.Url("/hello"));
        Assert.Equal((0, "hello\n", ""), (outcome.ExitCode, outcome.Out, outcome.Error));
    }

    [Fact]
    public async Task Proxy_sends_the_request_to_the_proxy_in_absolute_form()
    {
        // The server answers absolute-form requests (RFC 9112 §3.2.2), so it stands in for a proxy: the
        // target's host does not resolve, so only a request that went to the proxy gets an answer.
        var outcome = await CommandRunner.GetAsync(_transport, "http://proxied.invalid/hello", "--proxy", server.Url(""));
        Assert.Equal((0, "hello\n", ""), (outcome.ExitCode, outcome.Out, outcome.Error));

        var bare = await CommandRunner.GetAsync(_transport, "http://proxied.invalid/hello", "-x", server.Url("")["http://".Length..]);
        Assert.Equal((0, "hello\n"), (bare.ExitCode, bare.Out));

        var bad = await CommandRunner.GetAsync(_transport, "http://proxied.invalid/hello", "-x", "socks5://127.0.0.1:1");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("http://", bad.Error);
    }

    [Fact]
    public async Task Include_prints_the_head_first()
    {
        var outcome = await CommandRunner.GetAsync(_transport, server.Url("/hello"), "-i");
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", outcome.Out);
        Assert.Contains("\r\nX-Multi: a\r\nX-Multi: b\r\n", outcome.Out);
        Assert.EndsWith("\r\n\r\nhello\n", outcome.Out);
    }

    [Fact]
    public async Task Json_describes_the_response()
    {
        var root = Json(await CommandRunner.GetAsync(_transport, server.Url("/hello"), "--json"));
        Assert.True(root.GetProperty("ok").GetBoolean());
        Assert.Equal(200, root.GetProperty("status").GetInt32());
        Assert.Equal("HTTP/1.1", root.GetProperty("proto").GetString());
        Assert.Equal(["a", "b"], root.GetProperty("headers").GetProperty("X-Multi").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("hello\n", System.Text.Encoding.UTF8.GetString(root.GetProperty("body_b64").GetBytesFromBase64()));
    }

    [Fact]
    public async Task Json_carries_binary_bodies_intact()
    {
        var root = Json(await CommandRunner.GetAsync(_transport, server.Url("/binary"), "--json"));
        Assert.Equal(new byte[] { 0, 1, 2, 0xFF, 0xFE }, root.GetProperty("body_b64").GetBytesFromBase64());
    }

    [Fact]
    public async Task Data_headers_and_method_reach_the_server()
    {
        var root = Json(await CommandRunner.GetAsync(_transport, server.Url("/echo"), "-d", "a=1&b=2", "-H", "X-Test: yes", "--json"));
        var headers = root.GetProperty("headers");
        Assert.Equal("POST", headers.GetProperty("X-Method")[0].GetString());
        Assert.Equal("application/x-www-form-urlencoded", headers.GetProperty("X-Content-Type")[0].GetString());
        Assert.Equal("yes", headers.GetProperty("X-Test")[0].GetString());
        Assert.Equal("a=1&b=2", System.Text.Encoding.UTF8.GetString(root.GetProperty("body_b64").GetBytesFromBase64()));
    }

    [Fact]
    public async Task A_data_file_is_sent_as_the_body_with_the_given_method()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(file, [1, 2, 3, 4]);
            var root = Json(await CommandRunner.GetAsync(_transport, server.Url("/echo"), "--data-file", file, "-X", "PUT",
                "-H", "Content-Type: application/octet-stream", "--json"));
            Assert.Equal("PUT", root.GetProperty("headers").GetProperty("X-Method")[0].GetString());
            Assert.Equal("application/octet-stream", root.GetProperty("headers").GetProperty("X-Content-Type")[0].GetString());
            Assert.Equal(new byte[] { 1, 2, 3, 4 }, root.GetProperty("body_b64").GetBytesFromBase64());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Output_writes_the_body_to_a_file()
    {
        var file = Path.Combine(Path.GetTempPath(), $"actorhttp-{Guid.NewGuid():N}");
        try
        {
            var outcome = await CommandRunner.GetAsync(_transport, server.Url("/binary"), "-o", file);
            Assert.Equal((0, ""), (outcome.ExitCode, outcome.Out));
            Assert.Equal(new byte[] { 0, 1, 2, 0xFF, 0xFE }, await File.ReadAllBytesAsync(file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_redirect_is_the_response_unless_location_is_given_as_in_curl()
    {
        var root = Json(await CommandRunner.GetAsync(_transport, server.Url("/redirect"), "--json"));
        Assert.Equal(302, root.GetProperty("status").GetInt32());

        var followed = Json(await CommandRunner.GetAsync(_transport, server.Url("/redirect"), "--json", "-L"));
        Assert.Equal(200, followed.GetProperty("status").GetInt32());
        Assert.Equal("aGVsbG8K", followed.GetProperty("body_b64").GetString());
    }

    [Fact]
    public async Task More_redirects_than_max_redirs_fail_typed()
    {
        var outcome = await CommandRunner.GetAsync(_transport, server.Url("/redirect-twice"), "--json", "-L", "--max-redirs", "1");
        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal("too_many_redirects", Json(outcome).GetProperty("error").GetString());

        var enough = Json(await CommandRunner.GetAsync(_transport, server.Url("/redirect-twice"), "--json", "--location", "--max-redirs", "2"));
        Assert.Equal(200, enough.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_404_is_a_response_not_a_failure()
    {
        var outcome = await CommandRunner.GetAsync(_transport, server.Url("/missing"), "--json");
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(404, Json(outcome).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Verbose_shows_the_wire_heads_connection_and_timings_on_stderr()
    {
        var outcome = await CommandRunner.GetAsync(_transport, server.Url("/redirect"), "-v", "-L");
        Assert.Equal("hello\n", outcome.Out);
        var err = outcome.Error;
        Assert.Contains("> GET /redirect HTTP/1.1", err);
        Assert.Contains("> Host: " + new Uri(server.Url("/")).Authority, err);
        Assert.Contains("> User-Agent: ActorHttp/", err);
        Assert.Contains("< HTTP/1.1 302", err);
        Assert.Contains("> GET /hello HTTP/1.1", err);
        Assert.Contains("< HTTP/1.1 200 OK", err);
        Assert.Contains("using a new connection", err);
        Assert.Contains("reusing a connection", err);   // the redirect's second hop
        Assert.Matches(@"\* timings: dial ([\d.]+ ms|-), tls -, request written [\d.]+ ms, first byte [\d.]+ ms, total [\d.]+ ms", err);
    }

    [Fact]
    public async Task A_refused_connection_fails_with_exit_1_and_a_json_error()
    {
        var url = $"http://127.0.0.1:{FreePort()}/";
        var outcome = await CommandRunner.GetAsync(_transport, url, "--json");
        Assert.Equal(1, outcome.ExitCode);
        var root = Json(outcome);
        Assert.False(root.GetProperty("ok").GetBoolean());
        Assert.Equal("dial", root.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("message").GetString()));

        var plain = await CommandRunner.GetAsync(_transport, url);
        Assert.Equal(1, plain.ExitCode);
        Assert.StartsWith("actorhttp get: dial: ", plain.Error);
    }

    [Fact]
    public async Task Bad_arguments_exit_2()
    {
        var outcome = await CommandRunner.GetAsync(_transport, "not a url");
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("not an absolute http or https URL", outcome.Error);
    }

    [Fact]
    public async Task Bench_measures_the_server_and_reuses_connections()
    {
        var outcome = await CommandRunner.BenchAsync(_transport, server.Url("/hello"), "-c", "4", "-n", "400", "--warmup", "0s");
        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains("Requests:     400 (400 2xx, 0 errors)", outcome.Out);
        Assert.Contains("[200] 400 responses", outcome.Out);
        var pool = System.Text.RegularExpressions.Regex.Match(outcome.Out, @"opened (\d+), reused (\d+) times; dials traced \d+, failed 0");
        Assert.True(pool.Success, outcome.Out);
        Assert.InRange(int.Parse(pool.Groups[1].Value), 1, 4);
        Assert.True(int.Parse(pool.Groups[2].Value) >= 396 - 4);
    }

    [Fact]
    public async Task Bench_result_line_against_the_server()
    {
        var outcome = await CommandRunner.BenchAsync(_transport, server.Url("/echo"), "-c", "2", "-n", "50", "-d", "xyz", "--warmup", "0s", "--result-line");
        Assert.Equal(0, outcome.ExitCode);
        Assert.Matches(@"^RESULT rps=\d+\.\d p50_ms=\d+\.\d{3} p99_ms=\d+\.\d{3} errors=0 requests=50$", outcome.Out.TrimEnd());
    }

    [Fact]
    public async Task A_transport_that_cannot_start_is_reported_not_thrown()
    {
        RoundTripperFactory broken = (_, _) => throw new InvalidOperationException("no transport here");
        var get = await CommandRunner.GetAsync(broken, server.Url("/hello"));
        Assert.Equal((1, "actorhttp get: cannot start the transport: no transport here"), (get.ExitCode, get.Error.TrimEnd()));
        var bench = await CommandRunner.BenchAsync(broken, server.Url("/hello"), "-n", "1");
        Assert.Equal((1, "actorhttp bench: cannot start the transport: no transport here"), (bench.ExitCode, bench.Error.TrimEnd()));
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
