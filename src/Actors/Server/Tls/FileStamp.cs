namespace ActorHttp.Server.Tls;

/// <summary>What a reload compares: a file's last write time and length, read through symlinks, or "missing".</summary>
internal readonly record struct FileStamp(long LastWriteTicks, long Length)
{
    private static readonly FileStamp s_missing = new(-1, -1);

    /// <summary>The stamp of <paramref name="path"/> now (a stat, following symlinks: certbot's live/ and Kubernetes' ..data swaps change the target).</summary>
    public static FileStamp Of(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists ? new FileStamp(info.LastWriteTimeUtc.Ticks, info.Length) : s_missing;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return s_missing;
        }
    }

    /// <summary>The stamps of <paramref name="paths"/>, in order.</summary>
    public static FileStamp[] Of(IEnumerable<string> paths) => paths.Select(Of).ToArray();
}
