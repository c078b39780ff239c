using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace ActorHttp.Cli.Tests;

/// <summary>
/// <c>actorhttp serve</c> as a user runs it: a real process that prints where it listens, answers
/// over HTTP, and exits cleanly on SIGTERM.
/// </summary>
public sealed class ServeProcessTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Serve_prints_its_address_answers_and_stops_gracefully_on_sigterm()
    {
        var root = Directory.CreateTempSubdirectory("actorhttp-serve-").FullName;
        await File.WriteAllTextAsync(Path.Combine(root, "hello.txt"), "hello from a file");
        using var process = Start("serve", "--port", "0", "--root", root);
        try
        {
            var address = await ReadListeningAddressAsync(process);
            using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = Deadline };

            Assert.Equal("ok\n", await client.GetStringAsync("/healthz"));
            Assert.Equal("hello from a file", await client.GetStringAsync("/hello.txt"));
            using var anything = JsonDocument.Parse(await client.GetStringAsync("/anything/x?y=1"));
            Assert.Equal("/anything/x", anything.RootElement.GetProperty("path").GetString());

            Assert.Equal(0, kill(process.Id, 15));   // SIGTERM
            await process.WaitForExitAsync().WaitAsync(Deadline);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Serve_anything_answers_every_path_with_the_request_description()
    {
        using var process = Start("serve", "--port", "0", "--anything");
        try
        {
            var address = await ReadListeningAddressAsync(process);
            using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = Deadline };

            using var response = await client.PostAsync("/any/path", new StringContent("payload"));
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

            Assert.Equal("POST", json.RootElement.GetProperty("method").GetString());
            Assert.Equal("cGF5bG9hZA==", json.RootElement.GetProperty("body_b64").GetString());
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().WaitAsync(Deadline);
        }
    }

    [Fact]
    public async Task Serve_with_inline_scheduling_answers_concurrent_requests_and_uploads_and_stops_gracefully()
    {
        // The event-loop mode: connection actors run on their sockets' event loops, so reads,
        // handlers and sends run on the loops' threads. Concurrent connections and bodies
        // larger than the request pipe's pause threshold (64 KiB) exercise the paths where a
        // handler waits for the reader and the reader for the handler, on the same threads.
        var configFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(configFile, "actorhttp.server.unsafe-prefer-inline-scheduling = on\n");
        var inlineLogged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = Start(["serve", "--port", "0", "--anything", "--config", configFile], line =>
        {
            if (line.Contains("handlers run on the event loops", StringComparison.Ordinal)) inlineLogged.TrySetResult();
        });
        try
        {
            var address = await ReadListeningAddressAsync(process);
            // The server's own account (a log line on stderr): the setting was read and loops run.
            await inlineLogged.Task.WaitAsync(Deadline);
            using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = Deadline };
            var body = new byte[300_000];
            new Random(7).NextBytes(body);
            var expected = Convert.ToBase64String(body);

            var requests = Enumerable.Range(0, 8).Select(async i =>
            {
                for (var round = 0; round < 5; round++)
                {
                    Assert.Equal("ok\n", await client.GetStringAsync("/healthz"));
                    using var response = await client.PostAsync($"/upload/{i}", new ByteArrayContent(body));
                    using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                    Assert.Equal(expected, json.RootElement.GetProperty("body_b64").GetString());
                }
            });
            await Task.WhenAll(requests).WaitAsync(Deadline);

            Assert.Equal(0, kill(process.Id, 15));   // SIGTERM
            await process.WaitForExitAsync().WaitAsync(Deadline);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            File.Delete(configFile);
        }
    }

    // The tool next to the test assembly (the project reference copies it there).
    private static Process Start(params string[] args) => Start(args, _ => { });

    private static Process Start(string[] args, Action<string> onStandardError)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ActorHttp.Cli.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) onStandardError(e.Data);
        };
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<string> ReadListeningAddressAsync(Process process)
    {
        using var cts = new CancellationTokenSource(Deadline);
        while (true)
        {
            var line = await process.StandardOutput.ReadLineAsync(cts.Token)
                       ?? throw new InvalidOperationException("serve exited before it listened");
            const string prefix = "listening on ";
            if (line.StartsWith(prefix, StringComparison.Ordinal)) return line[prefix.Length..];
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
