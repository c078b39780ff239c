namespace ActorHttp.Client;

/// <summary>Trace: the transport starts looking for a connection to <paramref name="HostPort"/> (Go's GetConn).</summary>
/// <param name="HostPort">"host:port" of the first hop (Go's <c>connectMethod.addr</c>): the proxy when the pool goes through one, else the server.</param>
public sealed record GetConn(string HostPort) : ClientTraceEvent;
