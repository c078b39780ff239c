namespace ActorHttp.Client.Pool;

/// <summary>
/// An idle connection as the transport sees it: which host pool holds it, and the connection.
/// </summary>
/// <param name="HostKey">The connection key of the pool that holds it.</param>
/// <param name="Conn">The connection.</param>
public readonly record struct IdleConnRef<TKey, TConn>(TKey HostKey, TConn Conn);
