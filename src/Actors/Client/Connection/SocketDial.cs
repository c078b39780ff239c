using System.Net;
using System.Net.Sockets;
using ActorHttp.Dispatch;
using ActorHttp.Net.Epoll;
using Akka.Actor;
using Akka.Event;

namespace ActorHttp.Client.Connection;

/// <summary>
/// The dial of a <see cref="SocketTransport"/> (Go's <c>Dialer.DialContext</c> for tcp): resolves the host off the loop, then connects
/// to each address in turn with a non-blocking <c>connect</c> whose end the event loop reports, until one succeeds. Owned and driven by
/// the <see cref="PersistentConnection"/>, in its turns on that loop; the dial timeout is the connection's.
/// </summary>
/// <remarks>
/// Why not <c>Socket.ConnectAsync</c>: a connect that waits registers the socket with the runtime's own epoll engine, for good, and
/// every later readiness of the socket would then wake that engine's thread too, once per request, for nothing.
/// </remarks>
internal sealed class SocketDial : IDisposable
{
    /// <summary>To the connection: the host's addresses, or why there are none.</summary>
    public sealed record Resolved(IPAddress[]? Addresses, Exception? Error) : IDeadLetterSuppression;

    /// <summary>To the connection: the loop saw the connect in progress end.</summary>
    public sealed class ConnectCompleted : IDeadLetterSuppression
    {
        /// <summary>The one instance.</summary>
        public static readonly ConnectCompleted Instance = new();

        private ConnectCompleted() { }
    }

    private readonly EventLoopDispatchers _loops;
    private readonly int _loop;
    private readonly string _host;
    private readonly int _port;
    private readonly IActorRef _owner;

    // Owned by the connection's turns.
    private IPAddress[] _addresses = [];
    private int _next;
    private Socket? _socket;
    private EpollSocket? _epoll;
    private EpollConnect? _connect;
    private IPEndPoint? _endPoint;
    private Exception? _lastError;

    public SocketDial(EventLoopDispatchers loops, int loop, string host, int port, IActorRef owner)
    {
        _loops = loops;
        _loop = loop;
        _host = host;
        _port = port;
        _owner = owner;
    }

    /// <summary>The address connected to, once <see cref="Transport"/> is set.</summary>
    public IPEndPoint? RemoteEndPoint => _endPoint;

    /// <summary>The connected transport, once the dial succeeded.</summary>
    public SocketTransport? Transport { get; private set; }

    /// <summary>Why the dial failed, once it did.</summary>
    public Exception? Error { get; private set; }

    /// <summary>True once the dial succeeded or failed.</summary>
    public bool IsDone => Transport is not null || Error is not null;

    /// <summary>Starts: connects at once to an address literal; otherwise resolves on the thread pool (<see cref="Resolved"/> follows).</summary>
    public void Start(CancellationToken ct)
    {
        if (IPAddress.TryParse(_host, out var literal))
        {
            OnResolved(new Resolved([literal], null));
            return;
        }
        Dns.GetHostAddressesAsync(_host, ct).PipeTo(_owner, success: a => new Resolved(a, null), failure: e => new Resolved(null, e));
    }

    /// <summary>The connection got <see cref="Resolved"/>.</summary>
    public void OnResolved(Resolved resolved)
    {
        if (resolved.Error is { } error)
        {
            Error = error;
            return;
        }
        _addresses = resolved.Addresses ?? [];
        _lastError = new SocketException((int)SocketError.HostNotFound);
        ConnectNext();
    }

    /// <summary>The connection got <see cref="ConnectCompleted"/>.</summary>
    public void OnConnectCompleted()
    {
        if (_connect is null) return;
        Finished(_connect.SocketError);
    }

    /// <summary>Closes a socket still connecting; a connected one belongs to its <see cref="Transport"/>.</summary>
    public void Dispose()
    {
        if (Transport is null) CloseAttempt();
    }

    // Tries the addresses from _next on until one connects at once, one waits, or none is left.
    private void ConnectNext()
    {
        while (_next < _addresses.Length)
        {
            var address = _addresses[_next++];
            _endPoint = new IPEndPoint(address, _port);
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, Blocking = false };
            _socket = socket;
            bool inProgress;
            try
            {
                socket.Connect(_endPoint);
                inProgress = false;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
            {
                inProgress = true;
            }
            catch (SocketException e)
            {
                _lastError = e;
                CloseAttempt();
                continue;
            }
            try
            {
                _epoll = _loops.Register(socket, _loop);
            }
            catch (SocketException e)
            {
                _lastError = e;
                CloseAttempt();
                continue;
            }
            if (!inProgress)
            {
                Finished(SocketError.Success);
                return;
            }
            _connect = new EpollConnect(_epoll, socket, _owner, ConnectCompleted.Instance);
            if (!_connect.Start()) return;
            Finished(_connect.SocketError);
            return;
        }
        Error = _lastError;
    }

    private void Finished(SocketError error)
    {
        _connect?.Dispose();
        _connect = null;
        if (error == SocketError.Success)
        {
            Transport = new SocketTransport(_socket!, _epoll!);
            return;
        }
        _lastError = new SocketException((int)error);
        CloseAttempt();
        ConnectNext();
    }

    private void CloseAttempt()
    {
        _connect?.Dispose();
        _connect = null;
        _epoll?.Close();
        _epoll = null;
        _socket?.Dispose();
        _socket = null;
    }
}
