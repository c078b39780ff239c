using System.Globalization;
using System.Text;

namespace ActorHttp.Actors.Tests.Support.Peers;

/// <summary>
/// Ready-made <see cref="ScriptedServer"/> scripts for the client's fault list: each is a
/// function of the connection, so one server can be started with it directly:
/// <c>await using var server = new ScriptedServer(FaultScripts.ResetMidBody());</c>.
/// Scripts that "serve" keep answering requests on the connection until the client closes.
/// </summary>
public static class FaultScripts
{
    /// <summary>The body every serving script answers with, unless a script says otherwise.</summary>
    public const string OkBody = "ok";

    /// <summary>Answers every request on the connection with <see cref="RawResponse.Ok"/> until the client closes.</summary>
    public static Func<ScriptedConnection, Task> ServeOk() => Serve(_ => RawResponse.Ok());

    /// <summary>Answers every request with what <paramref name="respond"/> returns, until the client closes.</summary>
    public static Func<ScriptedConnection, Task> Serve(Func<ScriptedRequest, string> respond) => async c =>
    {
        while (await c.ReadRequestAsync() is { } request) await c.SendAsync(respond(request));
    };

    /// <summary>
    /// Answers one request (keep-alive, nothing says close), then closes the idle connection
    /// with FIN: the pooled connection dies while idle.
    /// </summary>
    public static Func<ScriptedConnection, Task> CloseIdleAfterOneResponse() => async c =>
    {
        if (await c.ReadRequestAsync() is null) return;
        await c.SendAsync(RawResponse.Ok());
        await c.CloseAsync();
    };

    /// <summary>
    /// Answers the first request on every connection, then reads the second and closes without
    /// a byte of answer: the race "server closed the idle connection just as the client reused
    /// it", made deterministic. A client should retry an idempotent request on a new connection.
    /// </summary>
    public static Func<ScriptedConnection, Task> DropSecondRequest() => async c =>
    {
        if (await c.ReadRequestAsync() is null) return;
        await c.SendAsync(RawResponse.Ok());
        if (await c.ReadRequestAsync() is null) return;
        await c.CloseAsync();
    };

    /// <summary>
    /// The backend-closes-idle fault made deterministic: each of the first <paramref name="stale"/> connections answers
    /// its first request, then reads the next one and ends without a byte of answer — RST on odd-numbered connections,
    /// FIN on even ones — as a backend that closes an idle keep-alive connection just as the client reuses it. The first
    /// answers are held until <paramref name="stale"/> connections each have a request, so that many are idle in the
    /// client's pool together. Later connections answer every request.
    /// </summary>
    public static Func<ScriptedConnection, Task> StaleIdleConnections(int stale)
    {
        var held = 0;
        var allHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return async c =>
        {
            if (c.Id > stale)
            {
                while (await c.ReadRequestAsync() is not null) await c.SendAsync(RawResponse.Ok());
                return;
            }
            if (await c.ReadRequestAsync() is null) return;
            if (Interlocked.Increment(ref held) == stale) allHeld.TrySetResult();
            await allHeld.Task.WaitAsync(c.Aborted);
            await c.SendAsync(RawResponse.Ok());
            if (await c.ReadRequestAsync() is null) return;
            if (c.Id % 2 == 1) c.Reset();
            else await c.CloseAsync();
        };
    }

    /// <summary>
    /// Sends a head promising <paramref name="declaredLength"/> bytes, <paramref name="sentLength"/>
    /// of them (the <see cref="PeerBytes"/> pattern), then RST.
    /// </summary>
    public static Func<ScriptedConnection, Task> ResetMidBody(int declaredLength = 64 * 1024, int sentLength = 1024) => async c =>
    {
        if (await c.ReadRequestAsync() is null) return;
        await c.SendAsync($"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {declaredLength}\r\n\r\n");
        await c.SendAsync(PeerBytes.Pattern(sentLength));
        c.Reset();
    };

    /// <summary>A response with neither Content-Length nor Transfer-Encoding: the body is <paramref name="body"/> and ends with FIN.</summary>
    public static Func<ScriptedConnection, Task> ReadToClose(string body = "read until close", string version = "HTTP/1.1") => async c =>
    {
        if (await c.ReadRequestAsync() is null) return;
        await c.SendAsync(RawResponse.Build(200, body, contentLength: false, version: version));
        await c.CloseAsync();
    };

    /// <summary>
    /// Sends the given 1xx responses (<c>103</c> with a <c>Link</c> field) before a 200 with
    /// <see cref="OkBody"/>; serves every request on the connection that way.
    /// </summary>
    public static Func<ScriptedConnection, Task> InformationalThenOk(params int[] codes) => Serve(_ =>
        string.Concat(codes.Select(code => RawResponse.Build(code,
            headers: code == 103 ? [("Link", "</style.css>; rel=preload; as=style")] : null, contentLength: false)))
        + RawResponse.Ok(OkBody));

    /// <summary>
    /// HEAD answered with <c>Content-Length: {length}</c> and no body; GET answered with
    /// <paramref name="length"/> pattern bytes. Serves until the client closes, so a client that
    /// wrongly waits for a HEAD body hangs, and one that reuses the connection is seen to.
    /// </summary>
    public static Func<ScriptedConnection, Task> HeadWithContentLength(int length = 1234) => async c =>
    {
        while (await c.ReadRequestAsync() is { } request)
        {
            await c.SendAsync($"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {length}\r\n\r\n");
            if (request.Method != "HEAD") await c.SendAsync(PeerBytes.Pattern(length));
        }
    };

    /// <summary>The chunks <see cref="ChunkedWithTrailers"/> sends.</summary>
    public static readonly string[] TrailerChunks = ["Hello, ", "chunked ", "world!"];

    /// <summary>The trailers <see cref="ChunkedWithTrailers"/> sends, declared in its <c>Trailer</c> field.</summary>
    public static readonly (string Name, string Value)[] Trailers = [("X-Checksum", "c0ffee"), ("X-Count", "3")];

    /// <summary>A chunked response of <see cref="TrailerChunks"/> (one with a chunk extension) and <see cref="Trailers"/>; serves until close.</summary>
    public static Func<ScriptedConnection, Task> ChunkedWithTrailers() => Serve(_ =>
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n" +
        $"Trailer: {string.Join(", ", Trailers.Select(t => t.Name))}\r\n\r\n" +
        // A chunk extension on the first chunk: clients must skip it (RFC 9112 §7.1.1).
        RawResponse.Chunked(TrailerChunks, Trailers).Replace("7\r\n", "7;note=\"first\"\r\n", StringComparison.Ordinal));

    /// <summary>The bytes <see cref="Malformed"/> sends for <paramref name="kind"/>.</summary>
    public static string MalformedText(MalformedResponse kind) => kind switch
    {
        MalformedResponse.BadStatusLine => "HTTP/1.1 2x0 OK\r\nContent-Length: 2\r\n\r\nok",
        MalformedResponse.NotHttp => "SSH-2.0-OpenSSH_9.6\r\n\r\n",
        MalformedResponse.BadChunkSize => "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
        MalformedResponse.ContentLengthAndTransferEncoding =>
            "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        MalformedResponse.ConflictingContentLength => "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok!",
        MalformedResponse.HugeHeaderSection => HugeHead(),
        MalformedResponse.BareLineFeed => "HTTP/1.1 200 OK\r\nX-Bad: value\nContent-Length: 2\r\n\r\nok",
        MalformedResponse.TruncatedBody => "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Reads one request, sends <see cref="MalformedText"/> for <paramref name="kind"/>, then FIN.</summary>
    public static Func<ScriptedConnection, Task> Malformed(MalformedResponse kind) => async c =>
    {
        if (await c.ReadRequestAsync() is null) return;
        try
        {
            await c.SendAsync(MalformedText(kind));
        }
        catch (System.Net.Sockets.SocketException)
        {
            // A client that gives up on a 1 MiB head part-way resets; that is the point of the test.
            return;
        }
        await c.CloseAsync();
    };

    /// <summary>
    /// Reads the request, then holds the response head until <paramref name="release"/> completes
    /// (a <see cref="TaskCompletionSource"/> the test controls), then answers 200. For
    /// response-header timeouts: no sleeps, the test decides when (if ever) the head comes.
    /// </summary>
    public static Func<ScriptedConnection, Task> SlowHead(Task release) => async c =>
    {
        if (await c.ReadRequestAsync() is null) return;
        await release.WaitAsync(c.Aborted);
        await SendIgnoringReset(c, RawResponse.Ok());
    };

    /// <summary>
    /// Sends the head (Content-Length of <paramref name="body"/>) at once and the body only when
    /// <paramref name="release"/> completes: for body-read timeouts and streaming.
    /// </summary>
    public static Func<ScriptedConnection, Task> SlowBody(Task release, string body = "slow body") => async c =>
    {
        if (await c.ReadRequestAsync() is null) return;
        await c.SendAsync($"HTTP/1.1 200 OK\r\nContent-Length: {Encoding.Latin1.GetByteCount(body)}\r\n\r\n");
        await release.WaitAsync(c.Aborted);
        await SendIgnoringReset(c, body);
    };

    /// <summary>
    /// Reads the request head only and answers <paramref name="status"/> (417 or 200) at once with
    /// <c>Connection: close</c>, never reading the body and never sending <c>100 Continue</c>:
    /// the server side of a client's <c>Expect: 100-continue</c> path. Records the head in
    /// <paramref name="heads"/> when given, so a test can check what the client announced.
    /// </summary>
    public static Func<ScriptedConnection, Task> NeverReadsBody(int status = 417, ICollection<ScriptedRequest>? heads = null) => async c =>
    {
        if (await c.ReadRequestAsync(readBody: false) is not { } request) return;
        if (heads is not null)
            lock (heads) heads.Add(request);
        await c.SendAsync(RawResponse.Build(status, status == 200 ? OkBody : "", [("Connection", "close")]));
        await c.CloseAsync();
    };

    private static string HugeHead()
    {
        var head = new StringBuilder("HTTP/1.1 200 OK\r\n");
        var filler = new string('x', 1000);
        for (int i = 0; head.Length < 1024 * 1024; i++)
            head.Append(CultureInfo.InvariantCulture, $"X-Filler-{i}: {filler}\r\n");
        return head.Append("Content-Length: 2\r\n\r\nok").ToString();
    }

    /// <summary>A slow answer may meet a client that already gave up: that is the test passing, not the script failing.</summary>
    private static async Task SendIgnoringReset(ScriptedConnection c, string text)
    {
        try
        {
            await c.SendAsync(text);
        }
        catch (System.Net.Sockets.SocketException)
        {
        }
    }
}
