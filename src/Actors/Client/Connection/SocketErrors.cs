using System.Net.Sockets;

namespace ActorHttp.Client.Connection;

/// <summary>
/// What a failed non-blocking socket call becomes for the connection: the <see cref="IOException"/> over a
/// <see cref="SocketException"/> that <see cref="NetworkStream"/> throws for the same failure, so both transports report
/// (and classify: <see cref="ClientErrorKind.ConnectionReset"/>) a reset or broken pipe alike.
/// </summary>
internal static class SocketErrors
{
    public static IOException ToException(SocketError error, bool reading)
    {
        var cause = new SocketException((int)error);
        return new IOException(
            $"Unable to {(reading ? "read data from" : "write data to")} the transport connection: {cause.Message}.", cause);
    }
}
