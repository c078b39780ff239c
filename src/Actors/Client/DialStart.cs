namespace ActorHttp.Client;

/// <summary>Trace: a new connection starts dialing <paramref name="Address"/> (Go's ConnectStart).</summary>
/// <param name="Address">"host:port" being dialed.</param>
public sealed record DialStart(string Address) : ClientTraceEvent;
