using System.Net;
using System.Net.Sockets;
using System.Text;
using ActorHttp.Actors.Tests.Support.Peers;

namespace ActorHttp.Actors.Tests.Client.Proxy;

/// <summary>
/// A small HTTP forward proxy on raw sockets, for the client to be tested against: an absolute-form request is
/// forwarded to its origin (on a fresh origin connection per request, whose response is relayed with its own
/// framing, so the client's connection to the proxy stays open), and CONNECT opens a byte tunnel both ways. It
/// can demand <c>Proxy-Authorization</c> (answering 407 and closing), and records every request head it receives.
/// </summary>
public sealed class ForwardProxy : IAsyncDisposable
{
    /// <summary>A request head as the proxy received it.</summary>
    public sealed record Received(string Method, string Target, IReadOnlyDictionary<string, string> Headers)
    {
        /// <summary>A field's value, or null.</summary>
        public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
    }

    private readonly TcpListener _listener;
    private readonly string? _requiredAuthorization;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = new();
    private readonly List<Received> _received = new();
    private readonly Task _accepting;

    private ForwardProxy(TcpListener listener, string? requiredAuthorization)
    {
        _listener = listener;
        _requiredAuthorization = requiredAuthorization;
        _accepting = AcceptAsync();
    }

    /// <summary>Client connections accepted and closed.</summary>
    public ConnectionTracker Connections { get; } = new();

    /// <summary>"http://127.0.0.1:port", without credentials.</summary>
    public string Url => $"http://{_listener.LocalEndpoint}";

    /// <summary>The proxy URL with <paramref name="user"/> and <paramref name="password"/> (percent-encoded here).</summary>
    public string UrlWith(string user, string password) =>
        $"http://{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password)}@{_listener.LocalEndpoint}";

    /// <summary>Every request head so far, in arrival order.</summary>
    public IReadOnlyList<Received> Requests
    {
        get
        {
            lock (_received) return _received.ToArray();
        }
    }

    /// <summary>Starts a proxy; with <paramref name="user"/>, every request must carry its Basic credentials.</summary>
    public static ForwardProxy Start(string? user = null, string? password = null)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var required = user is null ? null : "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        return new ForwardProxy(listener, required);
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Connections.OnAccepted();
                lock (_connections) _connections.Add(ServeAsync(client));
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            using var _ = client;
            var stream = client.GetStream();
            var reader = new HeadReader(stream);
            while (await reader.ReadHeadAsync(_stop.Token) is { } head)
            {
                var request = Parse(head);
                lock (_received) _received.Add(request);
                if (_requiredAuthorization is not null && request.Header("Proxy-Authorization") != _requiredAuthorization)
                {
                    await stream.WriteAsync("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), _stop.Token);
                    return;
                }
                if (request.Method == "CONNECT")
                {
                    await TunnelAsync(stream, reader, request.Target);
                    return;
                }
                await ForwardAsync(stream, reader, request);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            // The client or the origin went away, or the proxy stops.
        }
        finally
        {
            Connections.OnClosed();
        }
    }

    private async Task TunnelAsync(NetworkStream client, HeadReader reader, string target)
    {
        var colon = target.LastIndexOf(':');
        using var origin = new TcpClient();
        await origin.ConnectAsync(target[..colon].Trim('[', ']'), int.Parse(target[(colon + 1)..]), _stop.Token);
        await client.WriteAsync("HTTP/1.1 200 Connection Established\r\n\r\n"u8.ToArray(), _stop.Token);
        var upstream = origin.GetStream();
        await reader.DrainBufferedAsync(upstream, _stop.Token);
        // Either side's end ends the tunnel: the other is shut down so its pump ends too.
        var up = PumpAsync(client, upstream, origin.Client);
        var down = PumpAsync(upstream, client, null);
        await Task.WhenAny(up, down);
        origin.Close();
        await Task.WhenAll(up, down).WaitAsync(TimeSpan.FromSeconds(10));
    }

    private async Task PumpAsync(Stream from, Stream to, Socket? shutdown)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int n;
            while ((n = await from.ReadAsync(buffer, _stop.Token)) > 0) await to.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
            shutdown?.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // One side closed.
        }
    }

    private async Task ForwardAsync(NetworkStream client, HeadReader reader, Received request)
    {
        var target = new Uri(request.Target);
        using var origin = new TcpClient();
        await origin.ConnectAsync(target.Host.Trim('[', ']'), target.Port, _stop.Token);
        var upstream = origin.GetStream();
        var head = new StringBuilder($"{request.Method} {target.PathAndQuery} HTTP/1.1\r\n");
        foreach (var (name, value) in request.Headers)
        {
            if (name is "proxy-authorization" or "proxy-connection" or "connection") continue;
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }
        head.Append("Connection: close\r\n\r\n");
        await upstream.WriteAsync(Encoding.Latin1.GetBytes(head.ToString()), _stop.Token);
        if (request.Header("transfer-encoding") is not null) throw new IOException("the test proxy forwards Content-Length bodies only");
        if (request.Header("content-length") is { } length) await reader.CopyBodyAsync(upstream, long.Parse(length), _stop.Token);

        // The response head loses the origin's "Connection: close" (that is the proxy's business with the origin);
        // the body is relayed as sent, with its own framing, until the origin closes.
        var response = new HeadReader(upstream);
        var responseHead = await response.ReadHeadAsync(_stop.Token) ?? throw new IOException("the origin sent no response");
        var kept = responseHead.Split("\r\n").Where(line => !line.StartsWith("Connection:", StringComparison.OrdinalIgnoreCase));
        await client.WriteAsync(Encoding.Latin1.GetBytes(string.Join("\r\n", kept) + "\r\n\r\n"), _stop.Token);
        await response.DrainBufferedAsync(client, _stop.Token);
        await upstream.CopyToAsync(client, _stop.Token);
    }

    private static Received Parse(string head)
    {
        var lines = head.Split("\r\n");
        var parts = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }
        return new Received(parts[0], parts[1], headers);
    }

    /// <summary>Stops accepting, closes every connection and waits for their tasks.</summary>
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _accepting;
        Task[] connections;
        lock (_connections) connections = _connections.ToArray();
        await Task.WhenAll(connections).WaitAsync(TimeSpan.FromSeconds(10));
    }

    // Reads heads (up to the empty line) from a stream, keeping what came after for the body or the tunnel.
    private sealed class HeadReader(Stream stream)
    {
        private byte[] _buffer = new byte[16 * 1024];
        private int _count;

        public async Task<string?> ReadHeadAsync(CancellationToken ct)
        {
            while (true)
            {
                var end = _buffer.AsSpan(0, _count).IndexOf("\r\n\r\n"u8);
                if (end >= 0)
                {
                    var head = Encoding.Latin1.GetString(_buffer, 0, end);
                    Consume(end + 4);
                    return head;
                }
                if (_count == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
                var n = await stream.ReadAsync(_buffer.AsMemory(_count), ct);
                if (n == 0) return null;
                _count += n;
            }
        }

        public async Task DrainBufferedAsync(Stream to, CancellationToken ct)
        {
            if (_count == 0) return;
            await to.WriteAsync(_buffer.AsMemory(0, _count), ct);
            _count = 0;
        }

        public async Task CopyBodyAsync(Stream to, long length, CancellationToken ct)
        {
            while (length > 0)
            {
                if (_count == 0)
                {
                    _count = await stream.ReadAsync(_buffer, ct);
                    if (_count == 0) throw new IOException("the client closed in the middle of a body");
                }
                var n = (int)Math.Min(length, _count);
                await to.WriteAsync(_buffer.AsMemory(0, n), ct);
                Consume(n);
                length -= n;
            }
        }

        private void Consume(int n)
        {
            _buffer.AsSpan(n, _count - n).CopyTo(_buffer);
            _count -= n;
        }
    }
}
