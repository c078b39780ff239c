using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace ActorHttp.Actors.Tests.Support.Peers;

/// <summary>
/// The routes <see cref="KestrelPeer"/> serves, modelled on httpbin so a client test reads
/// like one written against httpbin.org:
/// <list type="bullet">
/// <item><c>GET /plaintext</c>: <see cref="PlaintextBody"/>, with Content-Length.</item>
/// <item><c>POST /echo</c>: the request body streamed back (Content-Length copied when the request had one, else chunked).</item>
/// <item><c>ANY /anything/{**rest}</c>: a JSON description of the request (<see cref="WriteDescription"/>).</item>
/// <item><c>GET /status/{code}</c>: that status, empty body.</item>
/// <item><c>GET /redirect/{n}</c>: 302 to <c>/redirect/{n-1}</c>; <c>/redirect/1</c> goes to <c>/anything</c>.</item>
/// <item><c>ANY /redirect-to?url=&amp;status=</c>: <c>status</c> (default 302) to <c>url</c>.</item>
/// <item><c>GET /cookies/set?name=value...</c>: 200 with one Set-Cookie per pair; <c>GET /cookies/set/{name}/{value}</c>: Set-Cookie and 302 to <c>/cookies</c>.</item>
/// <item><c>GET /cookies</c>: <c>{"cookies": {name: value}}</c> from the Cookie header received.</item>
/// <item><c>GET /gzip</c>, <c>GET /deflate</c>: the request description, compressed, with Content-Encoding (deflate is the zlib format, RFC 9110 §8.4.1.2).</item>
/// <item><c>GET /chunked-trailers</c>: <see cref="ChunkedTrailersBody"/> in three chunks, then trailers <c>X-Checksum</c> and <c>X-Chunks</c>, declared in <c>Trailer</c> (framed by the route: Kestrel has no HTTP/1.1 response trailers).</item>
/// <item><c>GET /stream/{bytes}</c>: <see cref="PeerBytes"/> pattern, chunked, flushed in 4 KiB pieces.</item>
/// <item><c>GET /delay/{ms}</c>: waits, then answers "delayed {ms}".</item>
/// <item><c>GET /conn</c>: the client's port as text, so two requests on one connection answer the same.</item>
/// </list>
/// Every GET route answers HEAD too (Kestrel keeps the headers and drops the body).
/// </summary>
public static class KestrelPeerRoutes
{
    /// <summary>The body of <c>/plaintext</c>.</summary>
    public const string PlaintextBody = "Hello, World!";

    /// <summary>The body of <c>/chunked-trailers</c>, sent in three chunks (one per word).</summary>
    public static readonly string[] ChunkedTrailersChunks = ["alpha ", "beta ", "gamma"];

    /// <summary>The whole body of <c>/chunked-trailers</c>.</summary>
    public static string ChunkedTrailersBody => string.Concat(ChunkedTrailersChunks);

    private static readonly string[] GetHead = [HttpMethods.Get, HttpMethods.Head];

    /// <summary>Maps every route onto <paramref name="app"/>.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        MapGet(app, "/plaintext", ctx => WriteFixed(ctx, 200, "text/plain", Encoding.UTF8.GetBytes(PlaintextBody)));
        app.MapMethods("/echo", [HttpMethods.Post, HttpMethods.Put], (RequestDelegate)Echo);
        app.Map("/anything/{**rest}", (RequestDelegate)Anything);
        MapGet(app, "/status/{code:int}", Status);
        MapGet(app, "/redirect/{n:int}", Redirect);
        app.Map("/redirect-to", (RequestDelegate)RedirectTo);
        MapGet(app, "/cookies/set", SetCookies);
        MapGet(app, "/cookies/set/{name}/{value}", SetCookieAndRedirect);
        MapGet(app, "/cookies", Cookies);
        MapGet(app, "/gzip", ctx => Compressed(ctx, "gzip"));
        MapGet(app, "/deflate", ctx => Compressed(ctx, "deflate"));
        MapGet(app, "/chunked-trailers", ChunkedTrailers);
        MapGet(app, "/stream/{bytes:long}", Stream);
        MapGet(app, "/delay/{ms:int}", Delay);
        MapGet(app, "/conn", ctx => WriteFixed(ctx, 200, "text/plain",
            Encoding.ASCII.GetBytes(ctx.Connection.RemotePort.ToString(CultureInfo.InvariantCulture))));
    }

    private static void MapGet(IEndpointRouteBuilder app, string pattern, RequestDelegate handler) =>
        app.MapMethods(pattern, GetHead, handler);

    private static async Task WriteFixed(HttpContext ctx, int status, string contentType, byte[] body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = contentType;
        ctx.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(ctx.Request.Method)) await ctx.Response.Body.WriteAsync(body, ctx.RequestAborted);
    }

    private static async Task Echo(HttpContext ctx)
    {
        // Reading the body is what makes Kestrel send "100 Continue" to a client that expects it.
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = ctx.Request.ContentType ?? "application/octet-stream";
        if (ctx.Request.ContentLength is { } length) ctx.Response.ContentLength = length;
        await ctx.Request.Body.CopyToAsync(ctx.Response.Body, ctx.RequestAborted);
    }

    private static async Task Anything(HttpContext ctx)
    {
        var body = await ReadBody(ctx);
        await WriteFixed(ctx, 200, "application/json", Describe(ctx, body));
    }

    private static Task Status(HttpContext ctx)
    {
        int code = int.Parse((string)ctx.Request.RouteValues["code"]!, CultureInfo.InvariantCulture);
        if (code is < 200 or > 599) return WriteFixed(ctx, 400, "text/plain", "status must be 200-599"u8.ToArray());
        ctx.Response.StatusCode = code;
        // 204 and 304 carry no Content-Length about a body they cannot have.
        if (code is not (204 or 304)) ctx.Response.ContentLength = 0;
        return Task.CompletedTask;
    }

    private static Task Redirect(HttpContext ctx)
    {
        int n = int.Parse((string)ctx.Request.RouteValues["n"]!, CultureInfo.InvariantCulture);
        return Found(ctx, 302, n > 1 ? $"/redirect/{n - 1}" : "/anything");
    }

    private static Task RedirectTo(HttpContext ctx)
    {
        string? url = ctx.Request.Query["url"];
        if (string.IsNullOrEmpty(url)) return WriteFixed(ctx, 400, "text/plain", "url is required"u8.ToArray());
        int status = int.TryParse(ctx.Request.Query["status"], CultureInfo.InvariantCulture, out int s) ? s : 302;
        return Found(ctx, status, url);
    }

    private static Task Found(HttpContext ctx, int status, string location)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.Headers.Location = location;
        ctx.Response.ContentLength = 0;
        return Task.CompletedTask;
    }

    private static Task SetCookies(HttpContext ctx)
    {
        foreach (var (name, values) in ctx.Request.Query)
            ctx.Response.Headers.Append(HeaderNames.SetCookie, new SetCookieHeaderValue(name, values.ToString()) { Path = "/" }.ToString());
        return Cookies(ctx, ctx.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()));
    }

    private static Task SetCookieAndRedirect(HttpContext ctx)
    {
        var name = (string)ctx.Request.RouteValues["name"]!;
        var value = (string)ctx.Request.RouteValues["value"]!;
        ctx.Response.Headers.Append(HeaderNames.SetCookie, new SetCookieHeaderValue(name, value) { Path = "/" }.ToString());
        return Found(ctx, 302, "/cookies");
    }

    private static Task Cookies(HttpContext ctx) =>
        Cookies(ctx, ctx.Request.Cookies.ToDictionary(c => c.Key, c => c.Value));

    private static Task Cookies(HttpContext ctx, Dictionary<string, string> cookies)
    {
        var json = Json(w =>
        {
            w.WriteStartObject("cookies");
            foreach (var (name, value) in cookies) w.WriteString(name, value);
            w.WriteEndObject();
        });
        return WriteFixed(ctx, 200, "application/json", json);
    }

    private static async Task Compressed(HttpContext ctx, string coding)
    {
        var plain = Describe(ctx, [], w => w.WriteBoolean(coding == "gzip" ? "gzipped" : "deflated", true));
        using var buffer = new MemoryStream();
        await using (Stream compressor = coding == "gzip"
                         ? new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true)
                         : new ZLibStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            await compressor.WriteAsync(plain, ctx.RequestAborted);
        }
        ctx.Response.Headers.ContentEncoding = coding;
        await WriteFixed(ctx, 200, "application/json", buffer.ToArray());
    }

    private static async Task ChunkedTrailers(HttpContext ctx)
    {
        // Kestrel's HTTP/1.1 responses do not support trailers (SupportsTrailers() is false, and
        // AppendTrailer throws). When the application sets Transfer-Encoding: chunked itself,
        // Kestrel stops chunking and passes the bytes through, so this route frames its own chunks
        // and trailer section; the head, connection and keep-alive are still Kestrel's.
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "text/plain";
        ctx.Response.Headers.Append(HeaderNames.Trailer, "X-Checksum, X-Chunks");
        // HEAD: Kestrel writes the chunked head itself; an app-set coding with no body would make it close.
        if (HttpMethods.IsHead(ctx.Request.Method)) return;
        ctx.Response.Headers.TransferEncoding = "chunked";
        foreach (var chunk in ChunkedTrailersChunks)
        {
            await ctx.Response.Body.WriteAsync(Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n{chunk}\r\n"), ctx.RequestAborted);
            await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
        }
        var trailers = $"0\r\nX-Checksum: {ChecksumOf(ChunkedTrailersBody)}\r\nX-Chunks: {ChunkedTrailersChunks.Length}\r\n\r\n";
        await ctx.Response.Body.WriteAsync(Encoding.ASCII.GetBytes(trailers), ctx.RequestAborted);
    }

    /// <summary>The <c>X-Checksum</c> trailer of <c>/chunked-trailers</c>: SHA-256 of the body, lower-case hex.</summary>
    public static string ChecksumOf(string body) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.ASCII.GetBytes(body)));

    private static async Task Stream(HttpContext ctx)
    {
        long total = long.Parse((string)ctx.Request.RouteValues["bytes"]!, CultureInfo.InvariantCulture);
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/octet-stream";
        if (HttpMethods.IsHead(ctx.Request.Method)) return;
        var piece = new byte[4096];
        for (long sent = 0; sent < total; sent += piece.Length)
        {
            int n = (int)Math.Min(piece.Length, total - sent);
            PeerBytes.Fill(piece.AsSpan(0, n), sent);
            await ctx.Response.Body.WriteAsync(piece.AsMemory(0, n), ctx.RequestAborted);
            // Flushing each piece makes each one a chunk on the wire, not one coalesced write.
            await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
        }
    }

    private static async Task Delay(HttpContext ctx)
    {
        int ms = int.Parse((string)ctx.Request.RouteValues["ms"]!, CultureInfo.InvariantCulture);
        // The server side of a timeout test: the client is expected to give up first.
        await Task.Delay(ms, ctx.RequestAborted);
        await WriteFixed(ctx, 200, "text/plain", Encoding.ASCII.GetBytes($"delayed {ms}"));
    }

    private static async Task<byte[]> ReadBody(HttpContext ctx)
    {
        using var body = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(body, ctx.RequestAborted);
        return body.ToArray();
    }

    private static byte[] Describe(HttpContext ctx, byte[] body, Action<Utf8JsonWriter>? extra = null) =>
        Json(w => WriteDescription(w, ctx, body, extra));

    /// <summary>
    /// The <c>/anything</c> description: <c>method</c>, <c>target</c> (as received), <c>path</c>,
    /// <c>query</c> (raw, without '?'), <c>args</c> (name → list), <c>proto</c>, <c>host</c>,
    /// <c>headers</c> (name → list), <c>body_b64</c>, <c>trailers</c> (name → list), <c>remote_port</c>.
    /// </summary>
    private static void WriteDescription(Utf8JsonWriter w, HttpContext ctx, byte[] body, Action<Utf8JsonWriter>? extra)
    {
        var request = ctx.Request;
        w.WriteString("method", request.Method);
        w.WriteString("target", ctx.Features.Get<IHttpRequestFeature>()!.RawTarget);
        w.WriteString("path", request.Path.Value);
        w.WriteString("query", request.QueryString.HasValue ? request.QueryString.Value![1..] : "");
        WriteLists(w, "args", request.Query.Select(q => (q.Key, (IEnumerable<string?>)q.Value)));
        w.WriteString("proto", request.Protocol);
        w.WriteString("host", request.Headers.Host.ToString());
        WriteLists(w, "headers", request.Headers.Select(h => (h.Key, (IEnumerable<string?>)h.Value)));
        w.WriteBase64String("body_b64", body);
        var trailers = request.SupportsTrailers() && request.CheckTrailersAvailable()
            ? ctx.Features.Get<IHttpRequestTrailersFeature>()!.Trailers.Select(t => (t.Key, (IEnumerable<string?>)t.Value))
            : [];
        WriteLists(w, "trailers", trailers);
        w.WriteNumber("remote_port", ctx.Connection.RemotePort);
        extra?.Invoke(w);
    }

    private static void WriteLists(Utf8JsonWriter w, string property, IEnumerable<(string Name, IEnumerable<string?> Values)> fields)
    {
        w.WriteStartObject(property);
        foreach (var (name, values) in fields)
        {
            w.WriteStartArray(name);
            foreach (var value in values) w.WriteStringValue(value);
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    private static byte[] Json(Action<Utf8JsonWriter> writeProperties)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            writeProperties(w);
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
