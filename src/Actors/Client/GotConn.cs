namespace ActorHttp.Client;

/// <summary>Trace: a connection was obtained for the request (Go's GotConn).</summary>
/// <param name="Reused">True when the connection served an earlier request.</param>
/// <param name="WasIdle">True when it was taken from the idle stack (rather than handed over by another request or freshly dialed).</param>
/// <param name="IdleTime">How long it sat idle before; zero unless <paramref name="WasIdle"/>.</param>
public sealed record GotConn(bool Reused, bool WasIdle, TimeSpan IdleTime) : ClientTraceEvent;
