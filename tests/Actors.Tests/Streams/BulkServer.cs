using System.Net;
using System.Net.Sockets;
using System.Text;
using ActorHttp.Actors.Tests.Support.Peers;

namespace ActorHttp.Actors.Tests.Streams;

/// <summary>
/// A raw-socket server that answers every GET with a <see cref="PeerBytes"/> body of <see cref="BodyLength"/> bytes (Content-Length
/// framing, keep-alive), and reports flow control: it writes without blocking and records when the kernel refuses more because
/// the client stopped reading (<see cref="WhenBlockedAsync"/>). That is how tests see demand reach the socket without timing.
/// </summary>
public sealed class BulkServer : IAsyncDisposable
{
    /// <summary>The send buffer asked of every accepted socket; Linux doubles it (see <see cref="SendBufferBytes"/>).</summary>
    private const int SendBuffer = 64 * 1024;
    private const int WriteSize = 64 * 1024;

    private readonly Socket _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;
    private readonly List<Task> _connections = new();
    private readonly object _gate = new();
    // Guarded by _gate: the bytes sent when the server last found the socket full and has not sent since (-1: not blocked),
    // and who waits for that.
    private long _blockedAt = -1;
    private TaskCompletionSource<long>? _blockedWaiter;
    private long _sent;

    /// <summary>Listens on 127.0.0.1 on a free port.</summary>
    public BulkServer(long bodyLength)
    {
        BodyLength = bodyLength;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(16);
        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _acceptLoop = AcceptAsync();
    }

    /// <summary>Bytes of every response body.</summary>
    public long BodyLength { get; }

    /// <summary>Where it listens.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Accepted and closed connections.</summary>
    public ConnectionTracker Connections { get; } = new();

    /// <summary>Body bytes handed to the kernel, over all connections.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>The kernel send buffer of an accepted socket, as Linux reports it (twice what was asked).</summary>
    public int SendBufferBytes { get; private set; }

    /// <summary>An absolute URL on this server.</summary>
    public Uri Url(string path) => new($"http://127.0.0.1:{EndPoint.Port}{path}");

    /// <summary>
    /// Completes, with the body bytes sent so far, once the server finds the client's socket full: now if it is, else the next
    /// time. A client that keeps reading never makes it complete.
    /// </summary>
    public Task<long> WhenBlockedAsync()
    {
        lock (_gate)
        {
            if (_blockedAt >= 0) return Task.FromResult(_blockedAt);
            _blockedWaiter ??= new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            return _blockedWaiter.Task;
        }
    }

    /// <summary>The pattern from <paramref name="offset"/>, <paramref name="count"/> bytes long, without allocating per call.</summary>
    public static ReadOnlySpan<byte> PatternAt(long offset, int count) => Pattern.AsSpan((int)(offset % 251), count);

    private static readonly byte[] Pattern = PeerBytes.Pattern(WriteSize + 251);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        _listener.Dispose();
        await _acceptLoop;
        Task[] running;
        lock (_connections) running = _connections.ToArray();
        await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(10));
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            socket.SendBufferSize = SendBuffer;
            SendBufferBytes = socket.SendBufferSize;
            Connections.OnAccepted();
            lock (_connections) _connections.Add(ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        var request = new byte[8192];
        try
        {
            while (true)
            {
                // Requests are bodiless GETs: a head ends at the first blank line.
                int have = 0;
                while (have < 4 || !request.AsSpan(0, have).EndsWith("\r\n\r\n"u8))
                {
                    int n = await socket.ReceiveAsync(request.AsMemory(have), _stopping.Token);
                    if (n == 0) return;
                    have += n;
                }
                await socket.SendAsync(Encoding.ASCII.GetBytes(
                    $"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {BodyLength}\r\n\r\n"), _stopping.Token);
                await SendBodyAsync(socket);
            }
        }
        catch (Exception) when (_stopping.IsCancellationRequested)
        {
        }
        catch (SocketException)
        {
            // The client closed (or reset) the connection mid-body: what a cancelled or aborted body does.
        }
        finally
        {
            socket.Dispose();
            Connections.OnClosed();
        }
    }

    private async Task SendBodyAsync(Socket socket)
    {
        var buffer = Pattern.AsMemory();
        long offset = 0;
        while (offset < BodyLength)
        {
            int size = (int)Math.Min(WriteSize, BodyLength - offset);
            var chunk = buffer.Slice((int)(offset % 251), size);
            // A non-blocking attempt first: WouldBlock means the client's receive window and our send buffer are full.
            socket.Blocking = false;
            int sent = socket.Send(chunk.Span, SocketFlags.None, out var error);
            socket.Blocking = true;
            if (error == SocketError.WouldBlock)
            {
                Blocked();
                sent = await socket.SendAsync(chunk, SocketFlags.None, _stopping.Token);
            }
            else if (error != SocketError.Success)
            {
                throw new SocketException((int)error);
            }
            offset += sent;
            Progressed(sent);
        }
    }

    private void Blocked()
    {
        lock (_gate)
        {
            _blockedAt = Sent;
            _blockedWaiter?.TrySetResult(_blockedAt);
            _blockedWaiter = null;
        }
    }

    private void Progressed(int sent)
    {
        lock (_gate)
        {
            Interlocked.Add(ref _sent, sent);
            if (sent > 0) _blockedAt = -1;
        }
    }
}
