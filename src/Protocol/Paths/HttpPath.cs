namespace ActorHttp.Protocol;

/// <summary>
/// Canonical form of request paths, as Go's <c>net/http</c> <c>cleanPath</c> computes it: one
/// leading '/', no empty, <c>.</c> or <c>..</c> segments (<c>..</c> never climbs above the root),
/// and a trailing slash kept when the input had one.
/// </summary>
/// <remarks>
/// The router redirects any request whose path differs from its clean form, so almost every
/// path it sees is already clean: <see cref="Clean"/> checks that first and hands back the very
/// same string instance, allocating only when it has something to rewrite.
/// Escapes are left alone: <c>%2e%2e</c> is an ordinary segment, not <c>..</c>, exactly as in Go.
/// </remarks>
public static class HttpPath
{
    /// <summary>Returns the clean form of <paramref name="path"/>; the same instance when it is already clean.</summary>
    public static string Clean(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (IsClean(path))
        {
            return path;
        }
        return CleanSlow(path);
    }

    /// <summary>True when <see cref="Clean"/> would return <paramref name="path"/> unchanged.</summary>
    public static bool IsClean(ReadOnlySpan<char> path)
    {
        if (path.IsEmpty || path[0] != '/')
        {
            return false;
        }
        // Walk the segments after the leading slash; only the last one may be empty (a trailing slash).
        var i = 1;
        while (i < path.Length)
        {
            var end = path[i..].IndexOf('/');
            var segment = end < 0 ? path[i..] : path.Slice(i, end);
            if (segment.IsEmpty || segment is "." || segment is "..")
            {
                return false;
            }
            if (end < 0)
            {
                return true;
            }
            i += end + 1;
        }
        return true;
    }

    private static string CleanSlow(string path)
    {
        var trailingSlash = path.Length > 0 && path[^1] == '/';
        // Segments are copied into a buffer as they survive; 'tops' remembers where each kept
        // segment starts so that ".." can drop the last one. The output is never longer than
        // the input plus the leading slash.
        var buffer = new char[path.Length + 1];
        var tops = new int[path.Length / 2 + 2];
        var depth = 0;
        var written = 0;
        var i = 0;
        while (i <= path.Length)
        {
            var end = path.IndexOf('/', i);
            if (end < 0)
            {
                end = path.Length;
            }
            var segment = path.AsSpan(i, end - i);
            if (segment.IsEmpty || segment is ".")
            {
                // Repeated slashes and "." vanish.
            }
            else if (segment is "..")
            {
                if (depth > 0)
                {
                    depth--;
                    written = tops[depth];
                }
            }
            else
            {
                tops[depth++] = written;
                buffer[written++] = '/';
                segment.CopyTo(buffer.AsSpan(written));
                written += segment.Length;
            }
            i = end + 1;
        }
        if (written == 0)
        {
            return "/";
        }
        if (trailingSlash)
        {
            buffer[written++] = '/';
        }
        return new string(buffer, 0, written);
    }
}
