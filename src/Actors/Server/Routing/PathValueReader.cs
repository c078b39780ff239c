using System.Buffers;
using ActorHttp.Protocol;

namespace ActorHttp.Server.Routing;

/// <summary>
/// Reads the wildcard values out of a path a pattern is known to match, by walking the pattern's
/// segments over the path's. Done once, after the tree found the leaf, so that backtracking
/// through the tree never allocates.
/// </summary>
internal static class PathValueReader
{
    private const int StackLimit = 256;

    public static PathValues Read(RoutePattern pattern, string path)
    {
        var names = pattern.WildcardNames;
        if (names.Count == 0)
        {
            return PathValues.Empty;
        }
        var values = new string[names.Count];
        var count = 0;
        var position = 0; // index of the '/' that starts the next segment
        foreach (var segment in pattern.SegmentArray)
        {
            if (segment.Kind == RouteSegmentKind.End)
            {
                break;
            }
            if (segment.Kind == RouteSegmentKind.Remainder)
            {
                if (segment.Value.Length > 0)
                {
                    values[count++] = Unescape(path.AsSpan(Math.Min(position + 1, path.Length)));
                }
                break;
            }
            var end = path.IndexOf('/', position + 1);
            if (end < 0)
            {
                end = path.Length;
            }
            if (segment.Kind == RouteSegmentKind.Wildcard)
            {
                values[count++] = Unescape(path.AsSpan(position + 1, end - position - 1));
            }
            position = end;
        }
        return new PathValues(names, values);
    }

    // Go's pathUnescape: decode, or keep the text as it is when an escape is invalid.
    private static string Unescape(ReadOnlySpan<char> value)
    {
        if (!value.Contains('%'))
        {
            return value.ToString();
        }
        char[]? rented = null;
        var buffer = value.Length <= StackLimit ? stackalloc char[StackLimit] : (rented = ArrayPool<char>.Shared.Rent(value.Length));
        try
        {
            return PercentEncoding.Unescape(value, buffer, plusAsSpace: false, out var written) == OperationStatus.Done
                ? new string(buffer[..written])
                : value.ToString();
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }
}
