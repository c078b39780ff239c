namespace ActorHttp.Kernel;

/// <summary>
/// A parent's bookkeeping for one child: how many restarts it has asked for within the current
/// window. Owned by the parent's cell (only touched while the parent processes a message).
/// </summary>
public sealed class ChildRestartStats
{
    private int _restartCount;
    private TimeSpan _windowStart;

    internal ChildRestartStats(IActorRef child) => Child = child;

    /// <summary>True once the parent has asked the child to stop (guarded by the parent's children lock).</summary>
    internal bool IsDying { get; set; }

    /// <summary>The child.</summary>
    public IActorRef Child { get; }

    /// <summary>Restarts counted in the current window (or in total when there is no window).</summary>
    public int RestartCount => _restartCount;

    /// <summary>
    /// Akka's rule: no limit when <paramref name="maxNrOfRetries"/> is negative and there is no window;
    /// zero retries means never; with a window, at most <c>max(maxNrOfRetries, 1)</c> restarts within
    /// any window that starts at the first counted restart.
    /// </summary>
    internal bool RequestRestartPermission(int maxNrOfRetries, TimeSpan? withinTimeRange, TimeSpan now)
    {
        if (maxNrOfRetries == 0) return false;
        var retriesDefined = maxNrOfRetries > 0;
        var windowDefined = withinTimeRange is { } w && w > TimeSpan.Zero && w != Timeout.InfiniteTimeSpan;
        if (retriesDefined && !windowDefined) return ++_restartCount <= maxNrOfRetries;
        if (!windowDefined) return true;

        var retries = retriesDefined ? maxNrOfRetries : 1;
        if (_restartCount == 0) _windowStart = now;
        if (now - _windowStart <= withinTimeRange!.Value) return ++_restartCount <= retries;

        // The window has passed: start a new one with this restart as its first.
        _windowStart = now;
        _restartCount = 1;
        return true;
    }
}
