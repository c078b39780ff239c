namespace ActorHttp.Client;

/// <summary>Trace: the transport starts looking for a connection to <paramref name="HostPort"/> (Go's GetConn).</summary>
/// <param name="HostPort">"host:port" of the connection key.</param>
public sealed record GetConn(string HostPort) : ClientTraceEvent;
