namespace ActorHttp.Client.Connection;

/// <summary>
/// Opens the byte stream under one persistent connection (Go's <c>Transport.DialContext</c>): a TCP
/// connection by default (<see cref="SocketDialer"/>); tests pass their own to script dials. TLS is
/// not the dialer's business: the connection actor runs it over whatever stream this returns.
/// </summary>
public interface IDialer
{
    /// <summary>Connects to <paramref name="host"/>:<paramref name="port"/>; the connection owns and disposes the stream.</summary>
    /// <param name="host">Host name or address literal.</param>
    /// <param name="port">TCP port.</param>
    /// <param name="ct">Cancelled when the dial timeout passes or the connection is stopped.</param>
    Task<Stream> DialAsync(string host, int port, CancellationToken ct);
}
