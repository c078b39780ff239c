namespace ActorHttp.Client;

/// <summary>Trace: a dial finished (Go's ConnectDone).</summary>
/// <param name="Address">"host:port" dialed.</param>
/// <param name="RemoteEndPoint">The address connected to, when it succeeded.</param>
/// <param name="Error">Why it failed; null on success.</param>
public sealed record DialDone(string Address, string? RemoteEndPoint, HttpClientException? Error) : ClientTraceEvent;
