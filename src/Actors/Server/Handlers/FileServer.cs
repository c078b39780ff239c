using System.Globalization;
using System.Net;
using System.Text;
using ActorHttp.Protocol;
using ActorHttp.Protocol.Semantics;

namespace ActorHttp.Server.Handlers;

/// <summary>
/// Serves the files under a directory: Go's <c>http.FileServer</c>. Content-Type by extension (sniffed
/// when unknown), <c>Last-Modified</c> / <c>If-Modified-Since</c>, <c>ETag</c> / <c>If-None-Match</c>,
/// <c>Range</c> (206, multipart/byteranges, 416), and an HTML listing for directories without an
/// <c>index.html</c>.
/// </summary>
/// <remarks>
/// Paths are percent-decoded, cleaned and then resolved under the root; anything that would leave
/// the root is a 404, so <c>..</c> and encoded slashes cannot escape it. Like Go, a directory asked for
/// without its trailing slash is redirected to it, and <c>/index.html</c> to <c>./</c>.
/// </remarks>
public static class FileServer
{
    // Go's http.ServeContent caps the number of ranges it honours; beyond it the request is served whole.
    private const int MaxRanges = 100;
    private const int ChunkSize = 64 * 1024;

    /// <summary>A handler serving <paramref name="root"/>; <paramref name="stripPrefix"/> is removed from request paths first.</summary>
    public static HandlerFunc Create(string root, string stripPrefix = "")
    {
        var rootFull = Path.GetFullPath(root);
        var rootWithSeparator = rootFull.EndsWith(Path.DirectorySeparatorChar) ? rootFull : rootFull + Path.DirectorySeparatorChar;
        return (w, r) => ServeAsync(w, r, rootFull, rootWithSeparator, stripPrefix);
    }

    private static async Task ServeAsync(ResponseWriter w, ServerRequest r, string root, string rootWithSeparator, string stripPrefix)
    {
        if (r.Method is not ("GET" or "HEAD"))
        {
            w.Headers.Set("Allow", "GET, HEAD");
            await w.ErrorAsync(405, "405 method not allowed").ConfigureAwait(false);
            return;
        }

        var urlPath = WebUtility.UrlDecode(r.Path.Replace("+", "%2B", StringComparison.Ordinal));
        if (!urlPath.StartsWith(stripPrefix, StringComparison.Ordinal))
        {
            await w.ErrorAsync(404, "404 page not found").ConfigureAwait(false);
            return;
        }

        var relative = urlPath[stripPrefix.Length..].TrimStart('/');
        var full = Path.GetFullPath(Path.Join(root, relative));
        if (full != root && !full.StartsWith(rootWithSeparator, StringComparison.Ordinal))
        {
            await w.ErrorAsync(404, "404 page not found").ConfigureAwait(false);
            return;
        }

        if (urlPath.EndsWith("/index.html", StringComparison.Ordinal))
        {
            Redirect(w, r, "./");
            return;
        }

        if (Directory.Exists(full))
        {
            if (!r.Path.EndsWith('/'))
            {
                Redirect(w, r, LastSegment(r.Path) + "/");
                return;
            }

            var index = Path.Join(full, "index.html");
            if (File.Exists(index))
            {
                await ServeFileAsync(w, r, new FileInfo(index)).ConfigureAwait(false);
                return;
            }

            await ListAsync(w, r, new DirectoryInfo(full)).ConfigureAwait(false);
            return;
        }

        if (!File.Exists(full) || r.Path.EndsWith('/'))
        {
            await w.ErrorAsync(404, "404 page not found").ConfigureAwait(false);
            return;
        }

        await ServeFileAsync(w, r, new FileInfo(full)).ConfigureAwait(false);
    }

    private static async Task ServeFileAsync(ResponseWriter w, ServerRequest r, FileInfo file)
    {
        // HTTP dates have one-second resolution: compare and announce the truncated time.
        var modified = new DateTimeOffset(file.LastWriteTimeUtc.Ticks - file.LastWriteTimeUtc.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        var etag = EntityTag.ForFile(file.Length, modified).Tag;
        var request = new ConditionalRequest(r.Method)
        {
            IfMatch = r.Headers.GetValue("If-Match"),
            IfUnmodifiedSince = Date(r.Headers.GetValue("If-Unmodified-Since")),
            IfNoneMatch = r.Headers.GetValue("If-None-Match"),
            IfModifiedSince = Date(r.Headers.GetValue("If-Modified-Since")),
            IfRange = r.Headers.GetValue("If-Range"),
            IfRangeDate = Date(r.Headers.GetValue("If-Range")),
        };

        var contentType = MimeTypes.FromExtension(file.Name);
        if (contentType is null)
        {
            // Go sniffs the first 512 bytes when the extension says nothing.
            var head = new byte[Math.Min(512, file.Length)];
            await using (var sniff = File.OpenRead(file.FullName))
                await sniff.ReadExactlyAsync(head).ConfigureAwait(false);
            contentType = ContentSniffer.Detect(head);
        }

        var plan = ContentPlan.Decide(request, r.Headers.GetValue("Range"), etag, modified, file.Length, contentType,
            MaxRanges, MultipartByteRanges.NewBoundary);

        if (plan.SendLastModified) w.Headers.Set("Last-Modified", FormatDate(modified));
        if (plan.SendValidators) w.Headers.Set("ETag", etag);
        if (plan.AcceptRanges) w.Headers.Set("Accept-Ranges", "bytes");
        if (plan.ContentType is not null) w.Headers.Set("Content-Type", plan.ContentType);
        if (plan.ContentRange is not null) w.Headers.Set("Content-Range", plan.ContentRange);
        if (plan.ContentLength is { } length) w.Headers.Set("Content-Length", length.ToString(CultureInfo.InvariantCulture));
        w.WriteHeader(plan.Status);
        if (plan.Status is not (200 or 206) || r.Method == "HEAD") return;

        await using var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1,
            FileOptions.Asynchronous | FileOptions.SequentialScan);
        if (plan.Status == 200)
        {
            await CopyAsync(stream, 0, file.Length, w).ConfigureAwait(false);
            return;
        }

        if (!plan.IsMultipart)
        {
            var range = plan.Ranges[0];
            await CopyAsync(stream, range.Start, range.Length, w).ConfigureAwait(false);
            return;
        }

        for (var i = 0; i < plan.Ranges.Length; i++)
        {
            var range = plan.Ranges[i];
            await w.WriteAsync(MultipartByteRanges.PartHeader(i, plan.Boundary!, range, plan.PartContentType, file.Length)).ConfigureAwait(false);
            await CopyAsync(stream, range.Start, range.Length, w).ConfigureAwait(false);
        }

        await w.WriteAsync(MultipartByteRanges.Closing(plan.Boundary!)).ConfigureAwait(false);
    }

    private static async Task CopyAsync(FileStream stream, long start, long length, ResponseWriter w)
    {
        stream.Position = start;
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent((int)Math.Min(ChunkSize, Math.Max(length, 1)));
        try
        {
            while (length > 0)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length))).ConfigureAwait(false);
                if (n == 0) throw new IOException("The file became shorter while it was being sent.");
                await w.WriteAsync(buffer.AsMemory(0, n)).ConfigureAwait(false);
                length -= n;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task ListAsync(ResponseWriter w, ServerRequest r, DirectoryInfo directory)
    {
        var html = new StringBuilder("<!doctype html>\n<meta name=\"viewport\" content=\"width=device-width\">\n<pre>\n");
        foreach (var entry in directory.EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var name = entry is DirectoryInfo ? entry.Name + "/" : entry.Name;
            html.Append("<a href=\"").Append(WebUtility.HtmlEncode(Uri.EscapeDataString(entry.Name)))
                .Append(entry is DirectoryInfo ? "/" : "").Append("\">").Append(WebUtility.HtmlEncode(name)).Append("</a>\n");
        }

        html.Append("</pre>\n");
        w.Headers.Set("Content-Type", "text/html; charset=utf-8");
        w.Headers.Set("Last-Modified", FormatDate(directory.LastWriteTimeUtc));
        if (r.Method == "HEAD")
        {
            w.Headers.Set("Content-Length", Encoding.UTF8.GetByteCount(html.ToString()).ToString(CultureInfo.InvariantCulture));
            w.WriteHeader(200);
            return;
        }

        await w.WriteAsync(html.ToString()).ConfigureAwait(false);
    }

    private static void Redirect(ResponseWriter w, ServerRequest r, string location)
    {
        w.Headers.Set("Location", r.RawQuery is null ? location : location + "?" + r.RawQuery);
        w.WriteHeader(301);
    }

    private static string LastSegment(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? path : path[(slash + 1)..];
    }

    private static DateTimeOffset? Date(string? value) =>
        value is not null && HttpDate.TryParse(value, out var date) ? date : null;

    private static string FormatDate(DateTimeOffset value)
    {
        Span<byte> bytes = stackalloc byte[HttpDate.Length];
        HttpDate.Format(value, bytes);
        return Encoding.ASCII.GetString(bytes);
    }
}
