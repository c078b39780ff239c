using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace ActorHttp.Actors.Tests.Support.Peers;

/// <summary>
/// Python's <c>http.server</c> (<c>ThreadingHTTPServer</c>) in a child process on 127.0.0.1 and
/// an ephemeral port: a second server written by others, with an older framing style. Routes:
/// <list type="bullet">
/// <item><c>GET /close-delimited?bytes=N</c>: an HTTP/1.0 response without Content-Length whose
/// body (N bytes of <see cref="PeerBytes"/>, default 1000) ends when the server closes.</item>
/// <item><c>GET /keepalive</c>: HTTP/1.1, Content-Length, connection kept.</item>
/// <item><c>GET /close</c>: HTTP/1.1, Content-Length, <c>Connection: close</c>, then closed.</item>
/// <item><c>GET /conn</c>: the client's port as text.</item>
/// <item><c>POST /echo</c>: the body back (request body by Content-Length or chunked).</item>
/// <item><c>GET /status/{code}</c>: that status, empty body.</item>
/// <item><c>ANY /anything...</c>: the JSON description <see cref="KestrelPeerRoutes"/> gives, field for field.</item>
/// </list>
/// <c>http.server</c> answers <c>Expect: 100-continue</c> itself. Every response carries
/// Content-Length except <c>/close-delimited</c>; HEAD is answered without a body.
/// Tests using it are marked <see cref="PythonFactAttribute"/>, so they skip when python3 is absent.
/// </summary>
public sealed class PythonHttpServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(5);
    private static readonly Lazy<string?> Python = new(FindPython);

    private readonly Process _process;
    private readonly string _scriptPath;
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;
    // Owned by the stderr pump until the process exits; read only for failure messages.
    private readonly System.Text.StringBuilder _stderr = new();

    private PythonHttpServer(Process process, string scriptPath, ConnectionTracker connections, TaskCompletionSource<int> port)
    {
        _process = process;
        _scriptPath = scriptPath;
        Connections = connections;
        _stdoutPump = PumpStdout(process, connections, port);
        _stderrPump = PumpStderr(process);
    }

    /// <summary>True when a <c>python3</c> executable is on the PATH.</summary>
    public static bool IsAvailable => Python.Value is not null;

    /// <summary>The listening address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The listening endpoint.</summary>
    public IPEndPoint EndPoint { get; private set; } = null!;

    /// <summary>Connections accepted and closed, as the Python process reports them on stdout.</summary>
    public ConnectionTracker Connections { get; }

    /// <summary>An absolute URL for <paramref name="pathAndQuery"/> on this peer.</summary>
    public Uri Url(string pathAndQuery) => new(BaseAddress, pathAndQuery);

    /// <summary>Writes the script to a temporary file, starts python3 and waits until it listens.</summary>
    /// <exception cref="InvalidOperationException">python3 is absent, or exited or stayed silent before listening.</exception>
    public static async Task<PythonHttpServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var python = Python.Value ?? throw new InvalidOperationException("python3 is not on the PATH.");
        var scriptPath = Path.Combine(Path.GetTempPath(), $"actorhttp-peer-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(scriptPath, PythonPeerScript.Source, cancellationToken);
        var info = new ProcessStartInfo(python)
        {
            ArgumentList = { "-u", scriptPath },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The child writes UTF-8 whatever the machine's locale, so its tracebacks read back intact.
        info.Environment["PYTHONIOENCODING"] = "utf-8";
        var process = Process.Start(info) ?? throw new InvalidOperationException("python3 did not start.");
        var port = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = new PythonHttpServer(process, scriptPath, new ConnectionTracker(), port);
        try
        {
            int listening = await port.Task.WaitAsync(StartTimeout, cancellationToken);
            server.EndPoint = new IPEndPoint(IPAddress.Loopback, listening);
            server.BaseAddress = new Uri($"http://{server.EndPoint}/");
            return server;
        }
        catch (Exception e)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException($"python3 peer did not start: {e.Message}\n{server.StandardError}", e);
        }
    }

    /// <summary>What the process wrote on stderr so far (tracebacks).</summary>
    public string StandardError
    {
        get
        {
            lock (_stderr) return _stderr.ToString();
        }
    }

    /// <summary>Kills the process tree, waits for it to exit and deletes the script.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            using var deadline = new CancellationTokenSource(ExitTimeout);
            await _process.WaitForExitAsync(deadline.Token);
            await Task.WhenAll(_stdoutPump, _stderrPump).WaitAsync(deadline.Token);
        }
        finally
        {
            _process.Dispose();
            File.Delete(_scriptPath);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"PythonHttpServer({BaseAddress}, {Connections})";

    private static async Task PumpStdout(Process process, ConnectionTracker connections, TaskCompletionSource<int> port)
    {
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            var (verb, argument) = line.IndexOf(' ') is var space and > 0 ? (line[..space], line[(space + 1)..]) : (line, "");
            switch (verb)
            {
                case "PORT":
                    port.TrySetResult(int.Parse(argument, CultureInfo.InvariantCulture));
                    break;
                case "ACCEPTED":
                    connections.OnAccepted();
                    break;
                case "CLOSED":
                    connections.OnClosed();
                    break;
            }
        }
        port.TrySetException(new InvalidOperationException("python3 exited before it listened."));
    }

    private async Task PumpStderr(Process process)
    {
        while (await process.StandardError.ReadLineAsync() is { } line)
        {
            lock (_stderr) _stderr.AppendLine(line);
        }
    }

    private static string? FindPython()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, OperatingSystem.IsWindows() ? "python3.exe" : "python3");
            if (File.Exists(candidate)) return ResolveInterpreter(candidate);
        }
        return null;
    }

    /// <summary>
    /// The interpreter behind <paramref name="launcher"/>: version managers (pyenv) put a shell
    /// shim on the PATH that costs a second per start and stands between us and the process we
    /// kill, so it is asked once for <c>sys.executable</c>. Falls back to the launcher itself.
    /// </summary>
    private static string ResolveInterpreter(string launcher)
    {
        try
        {
            using var probe = Process.Start(new ProcessStartInfo(launcher)
            {
                ArgumentList = { "-c", "import sys; print(sys.executable)" },
                RedirectStandardOutput = true,
                UseShellExecute = false,
            });
            if (probe is null) return launcher;
            var output = probe.StandardOutput.ReadToEndAsync();
            if (!output.Wait(ExitTimeout) || !probe.WaitForExit(ExitTimeout)) return launcher;
            var executable = output.Result.Trim();
            return probe.ExitCode == 0 && File.Exists(executable) ? executable : launcher;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return launcher;
        }
    }
}
