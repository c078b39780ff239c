using System.Net.Sockets;

namespace ActorHttp.Client.Connection;

/// <summary>The default <see cref="IDialer"/>: a TCP socket with Nagle off, wrapped in a <see cref="NetworkStream"/> that owns it.</summary>
public sealed class SocketDialer : IDialer
{
    /// <summary>The one instance; it holds no state.</summary>
    public static readonly SocketDialer Instance = new();

    private SocketDialer() { }

    /// <inheritdoc />
    public async Task<Stream> DialAsync(string host, int port, CancellationToken ct)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, ct).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
