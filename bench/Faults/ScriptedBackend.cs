using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ActorHttp.Faults;

/// <summary>
/// A misbehaving HTTP/1.1 server for the client faults, on raw sockets: it reads request heads (and Content-Length
/// bodies), answers keep-alive, and misbehaves as the fault says: closes idle connections at random, or resets a
/// connection in the middle of a response body. Only what the client needs to be tested against; not a server.
/// </summary>
public sealed class ScriptedBackend : IAsyncDisposable
{
    /// <summary>Body length of a normal answer (<c>/ok</c> and the reset fault's good requests).</summary>
    public const int BodyLength = 65_536;

    /// <summary>Bytes of the body sent before a reset.</summary>
    public const int BodyBeforeReset = 16_384;

    private readonly Socket _listener;
    private readonly Func<ScriptedBackend, Socket, Task> _serve;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, bool> _open = new();
    private readonly Task _accepting;
    private static readonly byte[] Body = Encoding.ASCII.GetBytes(new string('x', BodyLength));

    private ScriptedBackend(Func<ScriptedBackend, Socket, Task> serve)
    {
        _serve = serve;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(512);
        _accepting = AcceptAsync();
    }

    /// <summary>Where it listens.</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>Connections accepted.</summary>
    public long Accepted;
    /// <summary>Requests read.</summary>
    public long Requests;
    /// <summary>Connections closed while idle (closes-idle).</summary>
    public long IdleCloses;
    /// <summary>Idle closes made with a request already arriving: the close raced it.</summary>
    public long RacedCloses;
    /// <summary>Idle closes made abortive (RST) rather than graceful (FIN).</summary>
    public long ResetCloses;
    /// <summary>Connections reset in the middle of a body.</summary>
    public long Resets;

    /// <summary>closes-idle: the chance, after each answer, that the connection is closed once idle; 0 until the fault window.</summary>
    public double CloseProbability
    {
        get => Volatile.Read(ref _closeProbability);
        set => Volatile.Write(ref _closeProbability, value);
    }

    private double _closeProbability;

    /// <summary>Connections open now.</summary>
    public int OpenConnections => _open.Count;

    /// <summary>
    /// A backend that answers every request 200 "ok" and, after each answer, with probability <see cref="CloseProbability"/>
    /// closes the connection if no new request has started within a random 0 to <paramref name="maxIdle"/> (seeded per connection).
    /// </summary>
    public static ScriptedBackend ClosesIdle(int seed, TimeSpan maxIdle)
    {
        long connections = 0;
        return new ScriptedBackend(async (b, socket) =>
        {
            var random = new Random((int)(Mix.Hash(seed, Interlocked.Increment(ref connections)) & 0x7fffffff));
            var reader = new HeadReader(socket);
            while (await reader.ReadRequestAsync())
            {
                Interlocked.Increment(ref b.Requests);
                if (!await Raw.SendAsync(socket, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"u8.ToArray())) return;
                if (random.NextDouble() >= b.CloseProbability) continue;
                // Idle for a random 0 to maxIdle, watched without a pending read (closing a socket with one
                // outstanding makes the runtime abort it); a request that starts meanwhile is served.
                var idle = TimeSpan.FromTicks((long)(maxIdle.Ticks * random.NextDouble()));
                var clock = System.Diagnostics.Stopwatch.StartNew();
                while (clock.Elapsed < idle && socket.Available == 0 && !reader.HasBuffered) await Task.Delay(1);
                if (socket.Available > 0 || reader.HasBuffered)
                {
                    // A request arrived in time, or arrives as we decide: half of these closes race it.
                    if (random.Next(2) == 0) continue;
                    Interlocked.Increment(ref b.RacedCloses);
                }
                Interlocked.Increment(ref b.IdleCloses);
                if (random.Next(2) == 0)
                {
                    // Abortive, as a server that drops connections under pressure (or any close with unread bytes).
                    socket.LingerState = new LingerOption(true, 0);
                    Interlocked.Increment(ref b.ResetCloses);
                }
                else
                {
                    socket.Shutdown(SocketShutdown.Send);
                }
                socket.Close();
                return;
            }
        });
    }

    /// <summary>
    /// A backend that answers <c>/reset</c> with a head promising <see cref="BodyLength"/> bytes, sends
    /// <see cref="BodyBeforeReset"/> of them and resets the connection (SO_LINGER 0); anything else gets the whole body.
    /// </summary>
    public static ScriptedBackend ResetsMidBody() => new(async (b, socket) =>
    {
        var reader = new HeadReader(socket);
        while (await reader.ReadRequestAsync())
        {
            Interlocked.Increment(ref b.Requests);
            var head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {BodyLength}\r\n\r\n");
            if (reader.Target.StartsWith("/reset", StringComparison.Ordinal))
            {
                if (!await Raw.SendAsync(socket, head) || !await Raw.SendAsync(socket, Body.AsMemory(0, BodyBeforeReset))) return;
                await Task.Delay(5);   // the client is reading the body by now
                socket.LingerState = new LingerOption(true, 0);
                Interlocked.Increment(ref b.Resets);
                socket.Close();
                return;
            }
            if (!await Raw.SendAsync(socket, head) || !await Raw.SendAsync(socket, Body)) return;
        }
    });

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            Interlocked.Increment(ref Accepted);
            _open[socket] = true;
            _ = Task.Run(async () =>
            {
                try
                {
                    await _serve(this, socket).ConfigureAwait(false);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
                {
                }
                finally
                {
                    _open.TryRemove(socket, out _);
                    socket.Dispose();
                }
            });
        }
    }

    /// <summary>Stops accepting and closes every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _accepting.ConfigureAwait(false);
        foreach (var socket in _open.Keys) socket.Dispose();
        _stop.Dispose();
    }

    // Reads one request at a time: the head up to its empty line, then a Content-Length body, discarded.
    private sealed class HeadReader(Socket socket)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start, _end;

        public string Target { get; private set; } = "";

        public bool HasBuffered => _end > _start;

        public async Task<bool> ReadRequestAsync()
        {
            int headEnd;
            while ((headEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
                if (!await FillAsync()) return false;
            var head = Encoding.Latin1.GetString(_buffer, _start, headEnd);
            _start += headEnd + 4;
            var line = head.Split("\r\n")[0].Split(' ');
            Target = line.Length > 1 ? line[1] : "";
            long length = 0;
            foreach (var field in head.Split("\r\n").Skip(1))
                if (field.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                    length = long.Parse(field.AsSpan(15).Trim(), CultureInfo.InvariantCulture);
            while (length > 0)
            {
                if (_start == _end && !await FillAsync()) return false;
                var take = (int)Math.Min(length, _end - _start);
                _start += take;
                length -= take;
            }
            return true;
        }

        private async Task<bool> FillAsync()
        {
            if (_start == _end) _start = _end = 0;
            if (_end == _buffer.Length)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            var n = await socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None).ConfigureAwait(false);
            _end += n;
            return n > 0;
        }
    }
}
