namespace ActorHttp.Client;

/// <summary>
/// One step of a request's life on the transport, Go's <c>httptrace</c> hooks as messages. The
/// order for a request on a new connection is <see cref="GetConn"/>, <see cref="DialStart"/>,
/// <see cref="DialDone"/>, (<see cref="TlsHandshakeStart"/>, <see cref="TlsHandshakeDone"/>),
/// <see cref="GotConn"/>, <see cref="WroteHeaders"/>, <see cref="WroteRequest"/>,
/// <see cref="GotFirstResponseByte"/>, (<see cref="Got1xxResponse"/>...), and
/// <see cref="PutIdleConn"/> once the body was consumed.
/// </summary>
public abstract record ClientTraceEvent;
