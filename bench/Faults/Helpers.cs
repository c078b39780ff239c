using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ActorHttp.Server;

namespace ActorHttp.Faults;

/// <summary>
/// The child processes the harness starts from its own executable (<c>--helper ...</c>), speaking by lines on
/// standard input and output:
/// <list type="bullet">
/// <item><c>--helper backend PORT</c>: an ActorHttp server on 127.0.0.1:PORT (<c>GET /load</c> answers "ok"); prints
/// <c>READY</c> once it listens. backend-dies kills it with SIGKILL and starts another on the same port.</item>
/// <item><c>--helper flood PORT COUNT</c>: opens COUNT connections to PORT, each sending one <c>GET /load</c>; prints
/// <c>OPENED accepted=A refused=R other=O connect_failed=F</c>, holds the accepted ones idle until a line
/// <c>close</c>, closes them and prints <c>CLOSED</c>. conn-flood holds its 10,000 connections in this process so
/// that the server's process holds only the server's sockets and memory.</item>
/// </list>
/// </summary>
public static class Helpers
{
    /// <summary>Open files wanted by the harness and its children: conn-flood holds over 10,000 sockets in each.</summary>
    public const long FileLimit = 65_536;

    /// <summary>Runs a helper; returns its exit status.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        ProcessFacts.RaiseFileLimit(FileLimit);
        switch (args)
        {
            case ["backend", var port]:
                return await BackendAsync(int.Parse(port, CultureInfo.InvariantCulture));
            case ["flood", var port, var count]:
                return await FloodAsync(int.Parse(port, CultureInfo.InvariantCulture), int.Parse(count, CultureInfo.InvariantCulture));
            case ["slow", var kind, var port, var count, var deadlineMs]:
                return await Table.SlowClients.RunHelperAsync(Enum.Parse<Table.SlowClients.Kind>(kind),
                    new IPEndPoint(IPAddress.Loopback, int.Parse(port, CultureInfo.InvariantCulture)), int.Parse(count, CultureInfo.InvariantCulture),
                    TimeSpan.FromMilliseconds(long.Parse(deadlineMs, CultureInfo.InvariantCulture)));
            default:
                Console.Error.WriteLine($"unknown helper '{string.Join(' ', args)}'");
                return 2;
        }
    }

    /// <summary>Starts this executable as a helper with <paramref name="args"/>, standard input and output redirected.</summary>
    public static Process Start(params string[] args)
    {
        var assembly = typeof(Helpers).Assembly.Location;
        var apphost = Path.ChangeExtension(assembly, null);
        var info = OperatingSystem.IsWindows() || !File.Exists(apphost)
            ? new ProcessStartInfo("dotnet") { ArgumentList = { assembly } }
            : new ProcessStartInfo(apphost);
        info.ArgumentList.Add("--helper");
        foreach (var a in args) info.ArgumentList.Add(a);
        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        info.UseShellExecute = false;
        return Process.Start(info) ?? throw new InvalidOperationException("could not start a helper process");
    }

    /// <summary>Reads the helper's output until a line starting with <paramref name="prefix"/>; null at its end or after <paramref name="timeout"/>.</summary>
    public static async Task<string?> ReadLineStartingAsync(Process helper, string prefix, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await helper.StandardOutput.ReadLineAsync(cts.Token) is { } line)
                if (line.StartsWith(prefix, StringComparison.Ordinal)) return line;
        }
        catch (OperationCanceledException)
        {
        }
        return null;
    }

    /// <summary>A free TCP port on 127.0.0.1 (bound and released; the helpers bind it again with SO_REUSEADDR).</summary>
    public static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private static async Task<int> BackendAsync(int port)
    {
        await using var run = FaultRun.Create("backend", FaultScale.Full);
        await run.StartServerAsync(new ServeMux().HandleFunc("GET /load", (w, _) => w.WriteAsync("ok").AsTask()), port: port);
        Console.Out.WriteLine("READY");
        Console.Out.Flush();
        // Runs until killed, or until the harness closes our standard input.
        while (await Console.In.ReadLineAsync() is not null) { }
        return 0;
    }

    private static async Task<int> FloodAsync(int port, int count)
    {
        var endPoint = new IPEndPoint(IPAddress.Loopback, port);
        var request = Encoding.ASCII.GetBytes("GET /load HTTP/1.1\r\nHost: flood\r\n\r\n");
        var held = new ConcurrentBag<Socket>();
        long accepted = 0, refused = 0, other = 0, connectFailed = 0;
        using var gate = new SemaphoreSlim(128);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            await gate.WaitAsync();
            try
            {
                var socket = await Raw.ConnectAsync(endPoint, TimeSpan.FromSeconds(10));
                if (socket is null)
                {
                    Interlocked.Increment(ref connectFailed);
                    return;
                }
                var start = Stopwatch.GetTimestamp();
                var sent = await Raw.SendAsync(socket, request);
                // One response of "ok" (Content-Length: 2) ends with "\r\n\r\nok"; a refused connection is closed at once.
                var read = sent
                    ? await Raw.ReadAsync(socket, start, TimeSpan.FromSeconds(10), static (data, n) => n >= 6 && data.AsSpan(0, n).EndsWith("\r\n\r\nok"u8))
                    : new RawRead([], RawEnd.Reset, double.NaN, 0);
                if (read.Data.AsSpan().StartsWith("HTTP/1.1 200"u8) && read.End == RawEnd.Stopped)
                {
                    Interlocked.Increment(ref accepted);
                    held.Add(socket);
                    return;
                }
                if (read.Data.Length == 0 && read.End is RawEnd.Closed or RawEnd.Reset) Interlocked.Increment(ref refused);
                else Interlocked.Increment(ref other);
                socket.Dispose();
            }
            finally
            {
                gate.Release();
            }
        }));
        Console.Out.WriteLine(FormattableString.Invariant($"OPENED accepted={accepted} refused={refused} other={other} connect_failed={connectFailed}"));
        Console.Out.Flush();
        while (await Console.In.ReadLineAsync() is { } line && line != "close") { }
        foreach (var socket in held) socket.Dispose();
        Console.Out.WriteLine("CLOSED");
        Console.Out.Flush();
        return 0;
    }
}
