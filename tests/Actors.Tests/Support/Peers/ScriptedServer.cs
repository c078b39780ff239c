using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace ActorHttp.Actors.Tests.Support.Peers;

/// <summary>
/// A raw-socket server on 127.0.0.1 and an ephemeral port that runs a script per accepted
/// connection: the peer for faults no real server produces on demand (see
/// <see cref="FaultScripts"/> for ready-made ones). Connections are accepted in a loop and each
/// script runs concurrently. When a script returns, its connection is closed with FIN unless
/// the script reset it; when request bytes were left unread the close lingers (up to
/// <see cref="LingerTimeout"/> for the client's FIN) so the client still reads the response.
/// <para>
/// A script that throws is a test failure: the exception is kept in <see cref="Failures"/> and
/// <see cref="DisposeAsync"/> throws them all. Exceptions caused by disposal itself are not
/// failures.
/// </para>
/// </summary>
public sealed class ScriptedServer : IAsyncDisposable
{
    /// <summary>How long a finished script's connection waits for the client's FIN before closing anyway.</summary>
    public static readonly TimeSpan LingerTimeout = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan DisposeTimeout = TimeSpan.FromSeconds(5);

    private readonly Func<ScriptedConnection, Task> _script;
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<Exception> _failures = new();
    // Owned by the accept loop (adds) and connection tasks (removes); read at disposal.
    private readonly ConcurrentDictionary<int, (ScriptedConnection Connection, Task Run)> _open = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<ScriptedConnection>> _accepted = new();
    private readonly Task _acceptLoop;
    private int _disposed;

    /// <summary>Starts listening and accepting; <paramref name="script"/> runs once per connection.</summary>
    public ScriptedServer(Func<ScriptedConnection, Task> script)
    {
        ArgumentNullException.ThrowIfNull(script);
        _script = script;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(512);
        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        BaseAddress = new Uri($"http://{EndPoint}/");
        _acceptLoop = AcceptLoop();
    }

    /// <summary>The listening address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The listening endpoint.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Connections accepted, and closed (script finished and socket closed; disposal aborts count too).</summary>
    public ConnectionTracker Connections { get; } = new();

    /// <summary>Exceptions thrown by scripts (and the accept loop) so far.</summary>
    public IReadOnlyList<Exception> Failures => _failures.ToArray();

    /// <summary>An absolute URL for <paramref name="pathAndQuery"/> on this server.</summary>
    public Uri Url(string pathAndQuery) => new(BaseAddress, pathAndQuery);

    /// <summary>The <paramref name="id"/>-th accepted connection (1-based), once it is accepted.</summary>
    public Task<ScriptedConnection> ConnectionAsync(int id) => AcceptedSlot(id).Task;

    /// <summary>Throws an <see cref="AggregateException"/> of <see cref="Failures"/> when there are any.</summary>
    public void ThrowIfFailed()
    {
        var failures = Failures;
        if (failures.Count > 0) throw new AggregateException("A scripted connection failed.", failures);
    }

    /// <summary>
    /// Stops accepting, aborts open connections, waits for their scripts, then throws the
    /// scripts' failures, if any.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stopping.Cancel();
        _listener.Dispose();
        foreach (var (connection, _) in _open.Values) connection.Abort();
        var runs = _open.Values.Select(o => o.Run).Append(_acceptLoop).ToArray();
        try
        {
            await Task.WhenAll(runs).WaitAsync(DisposeTimeout);
        }
        catch (TimeoutException e)
        {
            _failures.Enqueue(new TimeoutException($"Scripts still running {DisposeTimeout} after disposal.", e));
        }
        _stopping.Dispose();
        ThrowIfFailed();
    }

    /// <inheritdoc />
    public override string ToString() => $"ScriptedServer({BaseAddress}, {Connections})";

    private TaskCompletionSource<ScriptedConnection> AcceptedSlot(int id) =>
        _accepted.GetOrAdd(id, _ => new TaskCompletionSource<ScriptedConnection>(TaskCreationOptions.RunContinuationsAsynchronously));

    private async Task AcceptLoop()
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
            catch (Exception e)
            {
                _failures.Enqueue(e);
                return;
            }
            socket.NoDelay = true;
            int id = Connections.OnAccepted();
            var connection = new ScriptedConnection(socket, id, _stopping.Token);
            // Registered before the script starts so disposal always finds it.
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var run = RunAsync(connection, start.Task);
            _open[id] = (connection, run);
            start.SetResult();
            AcceptedSlot(id).TrySetResult(connection);
        }
    }

    private async Task RunAsync(ScriptedConnection connection, Task registered)
    {
        await registered;
        try
        {
            await _script(connection);
            await connection.FinishAsync(LingerTimeout);
        }
        catch (Exception e)
        {
            connection.Abort();
            if (!_stopping.IsCancellationRequested) _failures.Enqueue(new ScriptFailedException(connection, e));
        }
        finally
        {
            _open.TryRemove(connection.Id, out _);
            Connections.OnClosed();
        }
    }
}
