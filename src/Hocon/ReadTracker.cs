namespace ActorHttp.Hocon;

/// <summary>
/// Records the full path of every value read through a <see cref="Config"/> view returned by
/// <see cref="Config.TrackReads"/>. The set is locked while written, so views may be read from
/// several threads.
/// </summary>
internal sealed class ReadTracker(ISet<string> paths)
{
    public void Record(HoconPath fullPath)
    {
        lock (paths) paths.Add(fullPath.ToString());
    }
}
