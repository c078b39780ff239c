using System.Net;
using System.Net.Sockets;

namespace ActorHttp.Client.Bench;

/// <summary>
/// A loopback HTTP/1.1 server that answers every bodiless request with the same canned 200
/// ("Hello, World!", keep-alive). It parses nothing but the blank line ending each head and
/// allocates nothing per request, so what the client costs is all that is left to count.
/// </summary>
internal sealed class CannedServer : IAsyncDisposable
{
    private static readonly byte[] Response =
        "HTTP/1.1 200 OK\r\nContent-Length: 13\r\nContent-Type: text/plain\r\n\r\nHello, World!"u8.ToArray();

    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public CannedServer()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(512);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
                socket.NoDelay = true;
                _ = ServeAsync(socket);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private static async Task ServeAsync(Socket socket)
    {
        var buffer = new byte[16 * 1024];
        var output = new byte[Response.Length * 64];
        int matched = 0; // how much of "\r\n\r\n" the bytes so far end with
        try
        {
            while (true)
            {
                int n = await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                if (n == 0) break;
                int heads = 0;
                for (int i = 0; i < n; i++)
                {
                    byte b = buffer[i];
                    matched = b == (matched % 2 == 0 ? (byte)'\r' : (byte)'\n') ? matched + 1 : b == '\r' ? 1 : 0;
                    if (matched == 4)
                    {
                        heads++;
                        matched = 0;
                    }
                }
                while (heads > 0)
                {
                    int batch = Math.Min(heads, 64);
                    for (int i = 0; i < batch; i++) Response.CopyTo(output, i * Response.Length);
                    await socket.SendAsync(output.AsMemory(0, batch * Response.Length), SocketFlags.None).ConfigureAwait(false);
                    heads -= batch;
                }
            }
        }
        catch (SocketException)
        {
        }
        finally
        {
            socket.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        await _accepting.ConfigureAwait(false);
    }
}
