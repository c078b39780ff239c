using System.Net;
using System.Net.Sockets;

namespace ActorHttp.Actors.Tests.Dispatch;

/// <summary>A connected pair of loopback TCP sockets; the server side is non-blocking, ready for an event loop.</summary>
public static class LoopbackPair
{
    public static async Task<(Socket Server, Socket Client)> OpenAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var connect = client.ConnectAsync(listener.LocalEndPoint!);
        var server = await listener.AcceptAsync();
        await connect;
        server.Blocking = false;
        return (server, client);
    }
}
