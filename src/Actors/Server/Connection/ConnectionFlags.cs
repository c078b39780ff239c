namespace ActorHttp.Server.Connection;

/// <summary>
/// State of a server connection that its handlers read while they run on other threads.
/// </summary>
/// <remarks>Written only by the <see cref="ServerConnection"/> actor; read by handler threads.</remarks>
internal sealed class ConnectionFlags
{
    private volatile bool _shuttingDown;

    /// <summary>The server is shutting down: responses written from now on say <c>Connection: close</c>.</summary>
    public bool ShuttingDown
    {
        get => _shuttingDown;
        set => _shuttingDown = value;
    }
}
